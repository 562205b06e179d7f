// `emitrace tiles`: write the AOI tile grid of a raster as polygons.
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/terminal_progress.h"
#include "core/raster/tile_grid_export.h"

namespace emitrace::cli {

void addTilesCommand(CLI::App& app) {
  struct Args {
    raster::ExportTileGridOptions options;
    std::string patch = "72px";
    std::string overlap = "0";
    std::string edge = "shift";
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("tiles", "Write the tile grid over an area of interest as polygons");
  cmd->add_option("--input,-i", args->options.input, "Raster whose grid is tiled")->required();
  cmd->add_option("--aoi", args->options.aoi,
                  "Area of interest: whole | minx,miny,maxx,maxy[,EPSG:code] | WKT | vector file");
  cmd->add_option("--patch", args->patch, "Patch size: 720m or 72px")->capture_default_str();
  cmd->add_option("--overlap", args->overlap, "Overlap: fraction (0.25) or 16px / 160m")->capture_default_str();
  cmd->add_option("--edge", args->edge, "At the raster edge: shift | pad | drop")->capture_default_str();
  cmd->add_option("--out,-o", args->options.output, "Output vector file (.gpkg, .geojson, .csv, .kml)")
      ->required();
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar");
  cmd->callback([args] {
    args->options.tiling.patch = raster::Length::parse(args->patch);
    args->options.tiling.overlap = raster::Overlap::parse(args->overlap);
    args->options.tiling.edge = raster::parseEdgePolicy(args->edge);
    TerminalProgress progress(args->quiet);
    const auto result = raster::exportTileGrid(args->options, progress);
    progress.done();
    std::cout << result.tileCount << " tiles (" << result.patchWidthPx << "x" << result.patchHeightPx
              << " px, stride " << result.strideXPx << "x" << result.strideYPx << " px, lattice "
              << result.latticeRows << " rows x " << result.latticeCols << " cols) written to "
              << result.output << "\n";
  });
}

}  // namespace emitrace::cli
