#pragma once
// Rasters written window by window: tiled, compressed GeoTIFF, optionally
// converted to a Cloud-Optimised GeoTIFF when finished. Written under a
// ".partial" name and renamed by finish(); destroyed unfinished (exception,
// cancel), it deletes what it wrote.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/raster/grid.h"

namespace emitrace {
class Progress;
}

namespace emitrace::raster {

enum class PixelType { Float32, UInt8, Int16, UInt16, Int32 };

struct RasterWriterOptions {
  PixelType type = PixelType::Float32;
  std::vector<std::string> bandNames;            // band descriptions, one per band
  std::optional<double> nodata;                  // set on every band
  bool cog = false;                              // convert to COG in finish()
  std::string compress = "DEFLATE";              // GTiff COMPRESS= value
  int blockSize = 256;                           // tile edge, pixels
  std::map<std::string, std::string> metadata;   // dataset metadata items
};

class RasterWriter {
 public:
  // Creates `path` (as path's ".partial" sibling) on `grid` with `bands`
  // bands. Throws IoError if the folder is not writable or GDAL cannot create
  // the file.
  RasterWriter(const std::string& path, const GridSpec& grid, int bands,
               RasterWriterOptions options = {});
  ~RasterWriter();
  RasterWriter(const RasterWriter&) = delete;
  RasterWriter& operator=(const RasterWriter&) = delete;

  const GridSpec& grid() const;
  int bandCount() const;

  // Writes one band (1-based) of `window`; `data` is window.width x
  // window.height, row-major. Parts of the window outside the grid are
  // skipped. Throws IoError on a write failure (e.g. full disk).
  void write(int band, const Window& window, const float* data);
  // Writes all bands of `window`; `data` is band-major [band][row][col].
  void writeAll(const Window& window, const float* data);

  // Flushes, builds the COG if asked, and moves the file to its final name.
  void finish(Progress* progress = nullptr);
  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emitrace::raster
