#pragma once
// `emitrace tiles` / the QGIS "Create AOI tile grid" algorithm: lay a tile
// grid over a raster's AOI and write the footprints as polygons.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

#include "core/raster/tile_grid.h"

namespace emitrace {
class Progress;
}

namespace emitrace::raster {

struct ExportTileGridOptions {
  std::string input;            // raster whose grid is tiled
  std::string aoi;              // see Aoi::parse; "" = whole raster
  TileGridOptions tiling;
  std::string output;           // .gpkg (default), .geojson, .csv, .kml, .shp
  std::string layerName = "tiles";

  // Throws InputError/IoError before any output exists.
  void validate() const;
  nlohmann::json toJson() const;
};

struct ExportTileGridResult {
  std::int64_t tileCount = 0;
  int latticeRows = 0;
  int latticeCols = 0;
  int patchWidthPx = 0;
  int patchHeightPx = 0;
  int strideXPx = 0;
  int strideYPx = 0;
  std::string output;
};

// Writes one polygon per tile with fields tile_id, row, col, px_x, px_y,
// px_w, px_h (pixel window on the input grid). Cancellable; a cancelled or
// failed run leaves no output file.
ExportTileGridResult exportTileGrid(const ExportTileGridOptions& options, Progress& progress);

}  // namespace emitrace::raster
