#pragma once
// Several bands from several rasters (different resolutions and CRSs) put on
// one target grid and read window by window through GDAL's warper, so the
// whole scene is never in memory. E.g. Sentinel-2 10 m and 20 m bands and a
// Sentinel-1 VV band on the 10 m grid for a DMFNet patch.
#include <memory>
#include <string>
#include <vector>

#include "core/raster/grid.h"

namespace emitrace::raster {

enum class Resampling { Nearest, Bilinear, Cubic, Average };

// "nearest" | "bilinear" | "cubic" | "average"; throws InputError otherwise.
Resampling parseResampling(const std::string& name);
std::string toString(Resampling r);

struct BandSource {
  std::string path;   // any GDAL raster path, including /vsi... and subdatasets
  int band = 1;       // 1-based band of that raster
  std::string name;   // how outputs refer to it ("B04", "VV"); may be empty
};

class GridStack {
 public:
  // Opens every source and prepares a warped view of it on `target`.
  // Throws IoError/InputError for unreadable sources or missing bands, and
  // InputError if a source's CRS cannot be transformed to the target's.
  GridStack(const GridSpec& target, std::vector<BandSource> sources,
            Resampling resampling = Resampling::Bilinear);
  ~GridStack();
  GridStack(const GridStack&) = delete;
  GridStack& operator=(const GridStack&) = delete;

  const GridSpec& grid() const;
  const std::vector<BandSource>& sources() const;
  int bandCount() const;

  // Reads `window` of every band, band-major ([band][row][col], float32) into
  // `out`, resized to bandCount() * width * height. Pixels outside the grid,
  // outside a source's footprint, or at a source's nodata value are NaN.
  void read(const Window& window, std::vector<float>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emitrace::raster
