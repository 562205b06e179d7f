// `emitrace info <raster> [--json]`: what a raster is, without reading pixels.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "core/raster/raster_info.h"

namespace emitrace::cli {

void addInfoCommand(CLI::App& app) {
  struct Args {
    std::string input;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "info", "Describe a raster: size, CRS, geotransform, bands with wavelengths and nodata");
  cmd->add_option("input", args->input, "Raster path (GeoTIFF, JP2, ENVI, netCDF subdataset, VRT, /vsi...)")
      ->required();
  cmd->add_flag("--json", args->json, "Print JSON for scripts");
  cmd->callback([args] {
    const raster::RasterInfo info = raster::describeRaster(args->input);
    if (args->json) std::cout << raster::toJson(info).dump(2) << "\n";
    else std::cout << raster::formatRasterInfo(info);
  });
}

}  // namespace emitrace::cli
