#include "core/raster/valid_mask.h"

#include <cmath>
#include <numeric>

namespace emitrace::raster {

std::vector<std::uint8_t> validMask(const float* data, int bands, long long pixels,
                                    const ValidMaskOptions& options) {
  std::vector<std::uint8_t> mask(static_cast<size_t>(pixels), 1);
  std::vector<std::uint8_t> anyNonZero(static_cast<size_t>(pixels), 0);
  for (int b = 0; b < bands; ++b) {
    const float* plane = data + static_cast<size_t>(b) * pixels;
    for (long long i = 0; i < pixels; ++i) {
      const float v = plane[i];
      if (options.nanIsInvalid && !std::isfinite(v)) mask[i] = 0;
      if (v != 0.0f) anyNonZero[i] = 1;
    }
  }
  if (options.allZeroIsInvalid) {
    for (long long i = 0; i < pixels; ++i) mask[i] &= anyNonZero[i];
  }
  return mask;
}

long long countValid(const std::vector<std::uint8_t>& mask) {
  return std::accumulate(mask.begin(), mask.end(), 0LL);
}

}  // namespace emitrace::raster
