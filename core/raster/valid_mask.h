#pragma once
// Which pixels of a window carry data. Readers already turn nodata and
// off-grid pixels into NaN; imaging-spectrometer swaths and rotated scenes
// also pad with zeros in every band, which must not enter statistics.
#include <cstdint>
#include <vector>

namespace emitrace::raster {

struct ValidMaskOptions {
  bool nanIsInvalid = true;       // any band NaN/inf -> invalid
  bool allZeroIsInvalid = true;   // every band exactly 0 -> invalid (padding)
};

// data: band-major [bands][pixels]. Returns one byte per pixel, 1 = valid.
std::vector<std::uint8_t> validMask(const float* data, int bands, long long pixels,
                                    const ValidMaskOptions& options = {});

// Number of valid pixels in a mask.
long long countValid(const std::vector<std::uint8_t>& mask);

}  // namespace emitrace::raster
