// `emitrace inventory export`: GeoPackage, GeoJSON, CSV (WKT) or KML.
#include <iostream>
#include <memory>

#include "app/cli/inventory_commands.h"
#include "app/cli/terminal_progress.h"
#include "core/inventory/inventory.h"
#include "core/inventory/inventory_export.h"

namespace emitrace::cli {

void addInventoryExportCommand(CLI::App& group) {
  struct Args {
    std::string path;
    inventory::ExportOptions options;
    std::vector<std::string> statuses;
    std::vector<std::string> types;
    double minProbability = -1;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "export", "Export layers to GeoPackage (all layers, with styles), GeoJSON, CSV with WKT, or KML");
  cmd->add_option("inventory", args->path, "Inventory GeoPackage")->required();
  cmd->add_option("--out,-o", args->options.output, "Output: .gpkg, .geojson, .csv, .kml")->required();
  cmd->add_option("--layer", args->options.layers,
                  "Layer(s): detections, facilities, facility_points, reference_matches, review_log, runs "
                  "(default: all for .gpkg, facilities otherwise)")
      ->delimiter(',');
  cmd->add_option("--status", args->statuses, "Only detections/facilities in these review states")->delimiter(',');
  cmd->add_option("--type", args->types, "Only these facility types")->delimiter(',');
  cmd->add_option("--min-probability", args->minProbability, "Only probability (confidence) at least this");
  cmd->add_option("--format", args->options.format, "OGR driver name, if not chosen by the extension");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar");
  cmd->callback([args] {
    args->options.statuses = parseStatuses(args->statuses);
    args->options.types = parseTypes(args->types);
    if (args->minProbability >= 0) args->options.minProbability = args->minProbability;
    inventory::OpenOptions readOnly;
    readOnly.readOnly = true;
    const inventory::Inventory inv = inventory::Inventory::open(args->path, readOnly);
    TerminalProgress progress(args->quiet);
    const auto result = inventory::exportInventory(inv, args->options, progress);
    progress.done();
    std::cout << "exported to " << result.output << " (" << result.format << "):";
    for (const auto& [layer, n] : result.layers) std::cout << " " << layer << " " << n;
    std::cout << "\n";
  });
}

}  // namespace emitrace::cli
