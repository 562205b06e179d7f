// `emitrace inventory validate`: coverage of a reference source list (the
// Table 6 view), written to reference_matches.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/cli/inventory_commands.h"
#include "app/cli/terminal_progress.h"
#include "core/inventory/inventory.h"
#include "core/inventory/validation.h"

namespace emitrace::cli {

void addInventoryValidateCommand(CLI::App& group) {
  struct Args {
    std::string path;
    inventory::ValidationOptions options;
    std::string mode = "inside";
    bool json = false;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "validate", "Compare with reference points (EPA GHGRP, Carbon Mapper, ...): coverage by sector");
  cmd->add_option("inventory", args->path, "Inventory GeoPackage")->required();
  cmd->add_option("--reference,-r", args->options.reference,
                  "Reference points: CSV with lon/lat columns, GeoJSON, GeoPackage")
      ->required();
  cmd->add_option("--layer", args->options.layer, "Layer of a multi-layer reference file");
  cmd->add_option("--lon-field", args->options.lonField, "Longitude column (default: detected)");
  cmd->add_option("--lat-field", args->options.latField, "Latitude column (default: detected)");
  cmd->add_option("--class-field", args->options.classField, "Class/sector column (default: detected)");
  cmd->add_option("--id-field", args->options.idField, "Id column (default: detected, else row number)");
  cmd->add_option("--name-field", args->options.nameField, "Name column (default: detected)");
  cmd->add_option("--source", args->options.sourceName, "Name of this reference (default: file name)");
  cmd->add_option("--mode", args->mode, "inside: within a confirmed detection; distance: within --tolerance")
      ->capture_default_str();
  cmd->add_option("--tolerance", args->options.toleranceMetres, "Distance mode: tolerance in metres");
  cmd->add_flag("--include-unreviewed", args->options.includeUnreviewed,
                "Let pending/uncertain detections cover points too");
  cmd->add_option("--area", args->options.area,
                  "Count only reference points in: runs | minLon,minLat,maxLon,maxLat | WKT | polygon file");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar");
  cmd->callback([args] {
    args->options.mode = inventory::parseCoverageMode(args->mode);
    inventory::Inventory inv = inventory::Inventory::open(args->path);
    TerminalProgress progress(args->quiet || args->json);
    const inventory::ValidationResult r = inventory::validateInventory(inv, args->options, progress);
    progress.done();
    if (args->json) {
      std::cout << r.toJson().dump(2) << "\n";
      return;
    }
    std::cout << r.referenceRows << " reference rows read";
    if (r.skippedNoLocation) std::cout << ", " << r.skippedNoLocation << " without a location skipped";
    if (r.outsideArea) std::cout << ", " << r.outsideArea << " outside the area";
    std::cout << "; " << r.matchesWritten << " written to reference_matches\n" << r.table.toText();
  });
}

}  // namespace emitrace::cli
