// Demo step "raster": real sample scenes through the raster layer.
#include <cmath>
#include <filesystem>
#include <iomanip>

#include "app/cli/demo_steps.h"
#include "core/data_paths.h"
#include "core/raster/grid.h"
#include "core/raster/grid_stack.h"
#include "core/raster/raster_info.h"
#include "core/raster/raster_writer.h"
#include "core/raster/tile_grid_export.h"
#include "core/raster/valid_mask.h"

namespace emitrace::cli {

void demoRaster(DemoContext& context) {
  namespace fs = std::filesystem;
  using namespace emitrace::raster;
  const std::string dir = findDataFile("samples/sentinel2_18SVG_20m");
  const std::vector<std::string> names{"B8A", "B11", "B12"};
  std::vector<BandSource> sources;
  for (const auto& n : names) sources.push_back({dir + "/s2_" + n + ".tif", 1, n});

  const RasterInfo b11 = describeRaster(sources[1].path);
  context.log << "  Sentinel-2 L1C 18SVG (2016-01-12): " << b11.width << " x " << b11.height
              << " px at " << b11.geoTransform[1] << " m, " << crsDisplayName(b11.crsWkt) << "\n";

  // The SWIR/NIR bands on the 10 m grid DMFNet patches use, window by window.
  const GridSpec source = gridOf(b11);
  const GridSpec target = makeGrid(b11.crsWkt, 10.0, 10.0, source.bounds());
  GridStack stack(target, sources, Resampling::Bilinear);
  const std::string stackPath = (fs::path(context.outDir) / "s2_nir_swir_10m.tif").string();
  RasterWriterOptions wopts;
  wopts.bandNames = names;
  wopts.cog = true;
  wopts.nodata = std::nanf("");
  RasterWriter writer(stackPath, target, 3, wopts);
  std::vector<float> block;
  long long valid = 0, total = 0;
  constexpr int kBlock = 512;
  const int blocksX = (target.width + kBlock - 1) / kBlock, blocksY = (target.height + kBlock - 1) / kBlock;
  for (int by = 0; by < blocksY; ++by) {
    for (int bx = 0; bx < blocksX; ++bx) {
      context.progress.throwIfCanceled();
      Window w = target.clip({bx * kBlock, by * kBlock, kBlock, kBlock});
      stack.read(w, block);
      auto mask = validMask(block.data(), 3, w.pixelCount());
      valid += countValid(mask);
      total += w.pixelCount();
      writer.writeAll(w, block.data());
      context.progress.report(0.8 * (by * blocksX + bx + 1) / double(blocksX * blocksY), "resampling to 10 m");
    }
  }
  writer.finish();
  context.log << "  resampled B8A/B11/B12 to 10 m: " << target.width << " x " << target.height
              << " px, " << std::fixed << std::setprecision(1) << 100.0 * valid / total
              << "% valid -> " << stackPath << "\n";

  // 720 m patches (72 px at 10 m), the METER-ML/DMFNet patch size.
  ExportTileGridOptions tiles;
  tiles.input = stackPath;
  tiles.tiling.patch = Length::parse("720m");
  tiles.tiling.overlap = Overlap::parse("0.25");
  tiles.output = (fs::path(context.outDir) / "s2_tiles_720m.gpkg").string();
  auto sub = context.progress.sub(0.8, 0.9);
  const auto grid = exportTileGrid(tiles, sub);
  context.log << "  720 m tile grid, 25% overlap: " << grid.tileCount << " tiles ("
              << grid.latticeRows << " x " << grid.latticeCols << ") -> " << grid.output << "\n";

  // Sentinel-1 VV (20 m, another UTM zone): the same patch size in metres.
  const std::string vv = findDataFile("samples/sentinel1_vv/S1A__IW___A_20150309T173017_VV_grd_mli_geo_norm_db.tif");
  ExportTileGridOptions sarTiles;
  sarTiles.input = vv;
  sarTiles.tiling.patch = Length::parse("720m");
  sarTiles.tiling.edge = EdgePolicy::Pad;
  sarTiles.output = (fs::path(context.outDir) / "s1_tiles_720m.gpkg").string();
  auto sub2 = context.progress.sub(0.9, 1.0);
  const auto sarGrid = exportTileGrid(sarTiles, sub2);
  context.log << "  Sentinel-1 VV (" << crsDisplayName(describeRaster(vv).crsWkt) << "): "
              << sarGrid.tileCount << " tiles of " << sarGrid.patchWidthPx << " px, edge padded -> "
              << sarGrid.output << "\n";

  context.summary["s2_stack"] = {{"path", stackPath}, {"width", target.width}, {"height", target.height},
                                 {"valid_fraction", double(valid) / total}};
  context.summary["s2_tiles"] = grid.tileCount;
  context.summary["s1_tiles"] = sarGrid.tileCount;
}

}  // namespace emitrace::cli
