#pragma once
// The tile grid a scan would walk, previewed on the map before running:
// raster::makeTileGrid over an AOI drawn in the map CRS, with every tile's
// footprint expressed in the map CRS for drawing.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/raster/tile_grid.h"
#include "core/render/viewport.h"

namespace emitrace::render {

struct TileGridPreview {
  raster::TileGrid tiles;  // on the raster's own grid, exactly as a scan lays it
  // The AOI as raster::Aoi::parse / ExportTileGridOptions::aoi take it: WKT in
  // the raster grid's CRS, "" for the whole raster.
  std::string aoiSpec;
  // Tile corners in the map CRS (top-left, top-right, bottom-right,
  // bottom-left of the pixel window). Empty when there are more than the
  // preview's limit (footprintsOmitted is then true; the count stays exact).
  std::vector<std::array<MapPoint, 4>> footprints;
  bool footprintsOmitted = false;
  Bounds bounds;  // of the footprints in the map CRS

  std::int64_t count() const { return static_cast<std::int64_t>(tiles.tiles.size()); }
};

// aoiWktInMapCrs: "" for the whole raster. Throws InputError as
// raster::Aoi::parse and raster::makeTileGrid do (AOI outside the raster,
// bad patch/overlap, no tile), or if the AOI cannot be transformed.
TileGridPreview previewTileGrid(const raster::GridSpec& grid, const std::string& aoiWktInMapCrs,
                                const std::string& mapCrsWkt, const raster::TileGridOptions& options,
                                std::int64_t maxFootprints = 250000);

}  // namespace emitrace::render
