#include "core/render/tile_grid_preview.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/raster/aoi.h"
#include "core/render/coordinates.h"

namespace emitrace::render {

TileGridPreview previewTileGrid(const raster::GridSpec& grid, const std::string& aoiWktInMapCrs,
                                const std::string& mapCrsWkt, const raster::TileGridOptions& options,
                                std::int64_t maxFootprints) {
  options.validate();
  const bool reproject = !mapCrsWkt.empty() && !grid.crsWkt.empty() && !sameCrs(mapCrsWkt, grid.crsWkt);
  TileGridPreview preview;
  if (!aoiWktInMapCrs.empty()) {
    preview.aoiSpec =
        reproject ? transformGeometryWkt(aoiWktInMapCrs, mapCrsWkt, grid.crsWkt) : aoiWktInMapCrs;
  }
  const raster::Aoi aoi = raster::Aoi::parse(preview.aoiSpec, grid);
  preview.tiles = raster::makeTileGrid(grid, aoi, options);
  if (preview.count() > maxFootprints) {
    preview.footprintsOmitted = true;
    return preview;
  }

  std::vector<MapPoint> corners;
  corners.reserve(preview.tiles.tiles.size() * 4);
  for (const raster::Tile& t : preview.tiles.tiles) {
    const raster::Window& w = t.window;
    for (const auto& [c, r] : {std::pair<int, int>{w.x, w.y},
                               {w.x + w.width, w.y},
                               {w.x + w.width, w.y + w.height},
                               {w.x, w.y + w.height}}) {
      const auto g = grid.toGeo(c, r);
      corners.push_back({g[0], g[1]});
    }
  }
  if (reproject) CrsTransform(grid.crsWkt, mapCrsWkt).apply(corners);
  Bounds b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  preview.footprints.resize(preview.tiles.tiles.size());
  for (size_t i = 0; i < preview.footprints.size(); ++i) {
    for (int k = 0; k < 4; ++k) {
      const MapPoint& p = corners[i * 4 + k];
      preview.footprints[i][k] = p;
      b.minX = std::min(b.minX, p.x);
      b.maxX = std::max(b.maxX, p.x);
      b.minY = std::min(b.minY, p.y);
      b.maxY = std::max(b.maxY, p.y);
    }
  }
  preview.bounds = b;
  return preview;
}

}  // namespace emitrace::render
