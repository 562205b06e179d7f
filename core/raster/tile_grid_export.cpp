#include "core/raster/tile_grid_export.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/partial_output.h"
#include "core/progress.h"
#include "core/raster/raster_info.h"
#include "core/raster/vector_writer.h"

namespace emitrace::raster {

void ExportTileGridOptions::validate() const {
  if (input.empty()) throw InputError("no input raster given");
  if (output.empty()) throw InputError("no output path given");
  tiling.validate();
  checkWritableLocation(output);
}

nlohmann::json ExportTileGridOptions::toJson() const {
  return {{"input", input}, {"aoi", aoi.empty() ? "whole" : aoi}, {"tiling", tiling.toJson()},
          {"output", output}, {"layer", layerName}};
}

ExportTileGridResult exportTileGrid(const ExportTileGridOptions& options, Progress& progress) {
  options.validate();
  const RasterInfo info = describeRaster(options.input);
  const GridSpec grid = gridOf(info);
  const Aoi aoi = Aoi::parse(options.aoi, grid);
  const TileGrid tiles = makeTileGrid(grid, aoi, options.tiling);

  VectorLayerSpec spec;
  spec.name = options.layerName;
  spec.geometry = GeometryKind::Polygon;
  spec.crsWkt = grid.crsWkt;
  spec.fields = {{"tile_id", FieldType::Integer64}, {"row", FieldType::Integer},
                 {"col", FieldType::Integer},       {"px_x", FieldType::Integer},
                 {"px_y", FieldType::Integer},      {"px_w", FieldType::Integer},
                 {"px_h", FieldType::Integer}};
  VectorWriter writer(options.output, {spec});
  const size_t n = tiles.tiles.size();
  for (size_t i = 0; i < n; ++i) {
    if (i % 256 == 0) {
      progress.throwIfCanceled();
      progress.report(static_cast<double>(i) / n, "writing tiles");
    }
    const Tile& t = tiles.tiles[i];
    writer.add(0, tiles.footprintWkt(t),
               {std::int64_t{t.id}, std::int64_t{t.row}, std::int64_t{t.col},
                std::int64_t{t.window.x}, std::int64_t{t.window.y}, std::int64_t{t.window.width},
                std::int64_t{t.window.height}});
  }
  progress.throwIfCanceled();
  writer.finish();
  progress.report(1.0, "done");

  ExportTileGridResult result;
  result.tileCount = static_cast<std::int64_t>(n);
  result.latticeRows = tiles.latticeRows;
  result.latticeCols = tiles.latticeCols;
  result.patchWidthPx = tiles.patchWidthPx;
  result.patchHeightPx = tiles.patchHeightPx;
  result.strideXPx = tiles.strideXPx;
  result.strideYPx = tiles.strideYPx;
  result.output = options.output;
  return result;
}

}  // namespace emitrace::raster
