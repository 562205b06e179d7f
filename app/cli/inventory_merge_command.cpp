// `emitrace inventory merge`: rebuild facilities from the detections.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/cli/inventory_commands.h"
#include "app/cli/terminal_progress.h"
#include "core/inventory/inventory.h"
#include "core/inventory/merge.h"

namespace emitrace::cli {

void addInventoryMergeCommand(CLI::App& group) {
  struct Args {
    std::string path;
    inventory::MergeOptions options;
    bool json = false;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "merge", "Merge adjacent detections of one type into facilities and attach plumes");
  cmd->add_option("inventory", args->path, "Inventory GeoPackage")->required();
  cmd->add_option("--plume-distance", args->options.plumeAttachDistanceMetres,
                  "Plumes attach to the nearest facility within this distance (m)")
      ->capture_default_str();
  cmd->add_option("--tolerance", args->options.adjacencyToleranceMetres,
                  "Detections this close still count as adjacent (m)")
      ->capture_default_str();
  cmd->add_option("--min-probability", args->options.minProbability,
                  "Leave out pending/uncertain detections below this probability")
      ->capture_default_str();
  cmd->add_flag("--confirmed-only", args->options.confirmedOnly,
                "Merge only confirmed/relabelled detections (after review)");
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar");
  cmd->callback([args] {
    inventory::Inventory inv = inventory::Inventory::open(args->path);
    TerminalProgress progress(args->quiet || args->json);
    const inventory::MergeResult r = inventory::mergeFacilities(inv, args->options, progress);
    progress.done();
    if (args->json) {
      std::cout << r.toJson().dump(2) << "\n";
      return;
    }
    std::cout << r.facilities << " facilities from " << r.mergedDetections << " detections";
    if (r.attachedPlumes + r.standalonePlumeSources > 0) {
      std::cout << "; " << r.attachedPlumes << " plumes attached, " << r.standalonePlumeSources
                << " stand-alone plume sources";
    }
    std::cout << " (left out: " << r.excludedRejected << " rejected";
    if (r.excludedLowProbability) std::cout << ", " << r.excludedLowProbability << " below --min-probability";
    if (r.excludedUnreviewed) std::cout << ", " << r.excludedUnreviewed << " unreviewed";
    std::cout << ")\n";
    for (const auto& [type, n] : r.facilitiesByType) {
      std::cout << "  " << inventory::info(type).displayName << ": " << n << "\n";
    }
  });
}

}  // namespace emitrace::cli
