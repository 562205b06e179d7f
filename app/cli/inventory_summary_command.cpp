// `emitrace inventory summary`: counts per type, sector and status, and the
// Table 5 (review precision) and Table 6 (reference coverage) views.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/cli/inventory_commands.h"
#include "app/cli/terminal_progress.h"
#include "core/inventory/inventory.h"
#include "core/inventory/summary.h"

namespace emitrace::cli {

void addInventorySummaryCommand(CLI::App& group) {
  struct Args {
    std::string path;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "summary", "Counts per type, sector and status; review precision (Table 5) and coverage (Table 6)");
  cmd->add_option("inventory", args->path, "Inventory GeoPackage")->required();
  cmd->add_flag("--json", args->json, "Print JSON for scripts");
  cmd->callback([args] {
    inventory::OpenOptions readOnly;
    readOnly.readOnly = true;
    const inventory::Inventory inv = inventory::Inventory::open(args->path, readOnly);
    TerminalProgress progress(true);
    const inventory::InventorySummary s = inventory::summarizeInventory(inv, progress);
    if (args->json) std::cout << s.toJson().dump(2) << "\n";
    else std::cout << s.toText();
  });
}

}  // namespace emitrace::cli
