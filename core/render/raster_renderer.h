#pragma once
// Turns a map area of a raster into display bytes, reading only what the
// screen needs: the overview level matching the zoom (overview_choice.h)
// and only the window under the area.
//
//   RasterRenderer r(source.gdalName);           // one per thread
//   ChannelData d = r.readChannels(combo, area, 256, 256);
//   RgbaImage img = toRgba(d, combo, ranges);   // ranges from computeStretch
//
// A RasterRenderer owns an open GDAL dataset and is NOT thread-safe: a
// render thread keeps its own renderer per layer (GDAL datasets must not be
// shared between threads).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/raster/grid.h"
#include "core/render/band_combination.h"
#include "core/render/overview_choice.h"

namespace emitrace::render {

using raster::Bounds;

// Straight (non-premultiplied) RGBA8888, rows top to bottom: byte order
// R, G, B, A for every pixel. No data and outside the raster are transparent.
struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 4
  bool empty() const { return width <= 0 || height <= 0; }
};

// Channel values of an area, one float plane per channel of a combination,
// NaN where there is no data (nodata, masked, outside the raster, x/0).
struct ChannelData {
  int width = 0;
  int height = 0;
  std::vector<std::vector<float>> channels;
};

enum class DisplayResampling { Nearest, Average };

class RasterRenderer {
 public:
  // Opens a GDAL dataset name (a file, or a display VRT from
  // prepareDisplaySource). The dataset must be north-up. Throws IoError /
  // InputError as raster::openRaster does.
  explicit RasterRenderer(const std::string& gdalName);
  ~RasterRenderer();
  RasterRenderer(const RasterRenderer&) = delete;
  RasterRenderer& operator=(const RasterRenderer&) = delete;

  // The displayed grid (north-up; an ungeoreferenced raster gets pixel
  // coordinates with y = -row).
  const raster::GridSpec& grid() const;
  int bandCount() const;
  LevelSize fullSize() const;
  // Overview sizes of band 1, as GDAL lists them.
  std::vector<LevelSize> overviewSizes() const;
  // The level (-1 full resolution, else an overview index) for a view
  // showing mapUnitsPerScreenPixel.
  int levelFor(double mapUnitsPerScreenPixel) const;
  // The level the last read used (for tests and benchmarks).
  int lastLevel() const;

  // Values of the combination's channels over `area` (map CRS = the grid's
  // CRS) sampled onto outWidth x outHeight pixels. Throws InputError for a
  // combination this raster cannot satisfy, IoError if GDAL cannot read.
  ChannelData readChannels(const BandCombination& combination, const Bounds& area, int outWidth,
                           int outHeight, DisplayResampling resampling = DisplayResampling::Nearest);
  // The whole raster at most maxSidePx on its longer side, from the overview
  // nearest that size: what contrast stretches are computed from.
  ChannelData sample(const BandCombination& combination, int maxSidePx = 1024);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Value at `percent` (0-100) of the finite values, by linear interpolation
// between order statistics. NaN if there are none.
double percentile(std::vector<float> values, double percent);

// The per-channel ranges a stretch resolves to on the sample. Channels with
// no valid values get [0, 1]; a constant channel gets [v, v + 1].
std::vector<ChannelRange> computeStretch(const ChannelData& sample, const StretchSettings& stretch);

// Maps channel values to bytes: RGB (channel value -> 0..255 linearly
// between its range, clamped) or one channel through the combination's ramp.
RgbaImage toRgba(const ChannelData& data, const BandCombination& combination,
                 const std::vector<ChannelRange>& ranges);

}  // namespace emitrace::render
