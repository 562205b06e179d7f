// `emitrace inventory`: the command group, and `inventory create`.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/inventory_commands.h"
#include "core/inventory/inventory.h"

namespace emitrace::cli {

std::vector<inventory::ReviewStatus> parseStatuses(const std::vector<std::string>& names) {
  std::vector<inventory::ReviewStatus> out;
  for (const auto& n : names) out.push_back(inventory::parseReviewStatus(n));
  return out;
}

std::vector<inventory::FacilityType> parseTypes(const std::vector<std::string>& names) {
  std::vector<inventory::FacilityType> out;
  for (const auto& n : names) out.push_back(inventory::parseFacilityType(n));
  return out;
}

std::string defaultReviewer(const std::string& given) {
  if (!given.empty()) return given;
  const char* user = std::getenv("USER");
  return user && *user ? user : "unknown";
}

void addInventoryCreateCommand(CLI::App& group) {
  struct Args {
    std::string path;
    bool overwrite = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand("create", "Create an empty inventory GeoPackage");
  cmd->add_option("inventory", args->path, "Inventory GeoPackage to create (.gpkg)")->required();
  cmd->add_flag("--overwrite", args->overwrite, "Replace an existing file");
  cmd->callback([args] {
    inventory::CreateOptions options;
    options.overwrite = args->overwrite;
    const inventory::Inventory inv = inventory::Inventory::create(args->path, options);
    std::cout << "created inventory " << inv.path() << " (schema " << inv.schemaVersion() << ")\n";
  });
}

void addInventoryCommand(CLI::App& app) {
  CLI::App* group = app.add_subcommand(
      "inventory", "Facility inventory: create, merge, review, list, export, validate, summary");
  group->require_subcommand(1);
  addInventoryCreateCommand(*group);
  addInventoryMergeCommand(*group);
  addInventoryReviewCommand(*group);
  addInventoryListCommand(*group);
  addInventoryExportCommand(*group);
  addInventoryValidateCommand(*group);
  addInventorySummaryCommand(*group);
}

}  // namespace emitrace::cli
