// `emitrace inventory review`: review decisions from the command line, for
// scripting: set the status of detections or facilities by id, bulk-reject
// pending detections below a probability, undo the last decision, show the log.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/cli/inventory_commands.h"
#include "core/error.h"
#include "core/inventory/inventory.h"

namespace emitrace::cli {
namespace {

nlohmann::json outcomeJson(const inventory::ReviewOutcome& o) {
  return {{"decision_id", o.decisionId}, {"changed", o.changed}, {"unchanged", o.unchanged},
          {"detection_ids", o.detectionIds}};
}

void printLog(const inventory::Inventory& inv, std::int64_t limit, bool json) {
  const auto entries = inv.reviewLog(limit);
  if (json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& e : entries) {
      a.push_back({{"decision_id", e.decisionId}, {"action", e.action},
                   {"target", e.target == inventory::ReviewTarget::Facility ? "facility" : "detection"},
                   {"target_id", e.targetId}, {"detection_id", e.detectionId}, {"detection_key", e.detectionKey},
                   {"old_status", inventory::toString(e.oldStatus)}, {"new_status", inventory::toString(e.newStatus)},
                   {"old_type", e.oldType}, {"new_type", e.newType}, {"reviewer", e.reviewer},
                   {"decided_at", e.decidedAt}, {"note", e.note}, {"undone", e.undone}});
    }
    std::cout << a.dump(2) << "\n";
    return;
  }
  for (const auto& e : entries) {
    std::cout << "#" << e.decisionId << " " << e.decidedAt << " " << e.reviewer << " " << e.action << " detection "
              << e.detectionId << ": " << inventory::toString(e.oldStatus) << " -> "
              << inventory::toString(e.newStatus);
    if (e.oldType != e.newType) std::cout << " (" << e.oldType << " -> " << e.newType << ")";
    if (!e.note.empty()) std::cout << " \"" << e.note << "\"";
    if (e.undone) std::cout << " [undone]";
    std::cout << "\n";
  }
}

}  // namespace

void addInventoryReviewCommand(CLI::App& group) {
  struct Args {
    std::string path;
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> facilities;
    std::string status;
    std::string type;
    std::string note;
    std::string reviewer;
    double rejectBelow = -1;
    std::vector<std::string> scopeTypes;
    std::vector<std::string> scopeModels;
    bool undo = false;
    bool log = false;
    std::int64_t logLimit = 50;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand(
      "review", "Record review decisions: --id/--facility with --status, --reject-below, --undo or --log");
  cmd->add_option("inventory", args->path, "Inventory GeoPackage")->required();
  cmd->add_option("--id", args->ids, "Detection id(s) to decide on (repeat or comma-separate)")->delimiter(',');
  cmd->add_option("--facility", args->facilities, "Facility id(s): the decision applies to all its detections")
      ->delimiter(',');
  cmd->add_option("--status", args->status, "confirmed | rejected | relabelled | uncertain | pending");
  cmd->add_option("--type", args->type, "New facility type when relabelling (landfill, wastewater, ...)");
  cmd->add_option("--note", args->note, "Why (stored with the decision)");
  cmd->add_option("--reviewer", args->reviewer, "Who decides (default: $USER)");
  cmd->add_option("--reject-below", args->rejectBelow,
                  "Reject every pending detection with probability below this value");
  cmd->add_option("--only-type", args->scopeTypes, "With --reject-below: only these facility types")
      ->delimiter(',');
  cmd->add_option("--only-model", args->scopeModels, "With --reject-below: only these model kinds")->delimiter(',');
  cmd->add_flag("--undo", args->undo, "Undo the most recent decision");
  cmd->add_flag("--log", args->log, "Print the review log (newest first)");
  cmd->add_option("--log-limit", args->logLimit, "Entries --log prints")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args] {
    const int actions = (!args->ids.empty() || !args->facilities.empty() ? 1 : 0) + (args->rejectBelow >= 0 ? 1 : 0) +
                        (args->undo ? 1 : 0) + (args->log ? 1 : 0);
    if (actions != 1) {
      throw InputError("give exactly one of --id/--facility (with --status), --reject-below, --undo or --log");
    }
    if (!args->ids.empty() && !args->facilities.empty()) {
      throw InputError("decide on detections (--id) or on facilities (--facility), not both at once");
    }
    if (args->log) {
      inventory::OpenOptions readOnly;
      readOnly.readOnly = true;
      const inventory::Inventory inv = inventory::Inventory::open(args->path, readOnly);
      printLog(inv, args->logLimit, args->json);
      return;
    }
    inventory::Inventory inv = inventory::Inventory::open(args->path);
    const std::string reviewer = defaultReviewer(args->reviewer);
    inventory::ReviewOutcome outcome;
    std::string what;
    if (args->undo) {
      const auto undone = inv.undoLastDecision(reviewer);
      if (!undone) {
        std::cout << (args->json ? "{\"undone\": false}\n" : "nothing to undo\n");
        return;
      }
      outcome = *undone;
      what = "undid the last decision";
    } else if (args->rejectBelow >= 0) {
      inventory::DetectionFilter scope;
      scope.types = parseTypes(args->scopeTypes);
      for (const auto& m : args->scopeModels) scope.modelKinds.push_back(inventory::parseModelKind(m));
      outcome = inv.rejectBelow(args->rejectBelow, scope, args->note, reviewer);
      what = "rejected pending detections below " + std::to_string(args->rejectBelow);
    } else {
      if (args->status.empty()) throw InputError("--status is required with --id/--facility");
      inventory::ReviewDecision decision;
      decision.target = args->ids.empty() ? inventory::ReviewTarget::Facility : inventory::ReviewTarget::Detection;
      decision.ids = args->ids.empty() ? args->facilities : args->ids;
      decision.status = inventory::parseReviewStatus(args->status);
      if (!args->type.empty()) decision.newType = inventory::parseFacilityType(args->type);
      decision.note = args->note;
      decision.reviewer = reviewer;
      outcome = inv.review(decision);
      what = "set " + inventory::toString(decision.status);
    }
    if (args->json) {
      nlohmann::json j = outcomeJson(outcome);
      j["facilities_stale"] = inv.facilitiesStale();
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << what << ": " << outcome.changed << " detection(s) changed";
    if (outcome.unchanged) std::cout << ", " << outcome.unchanged << " already so";
    if (outcome.decisionId) std::cout << " (decision #" << outcome.decisionId << ")";
    std::cout << "\n";
    if (inv.facilitiesStale()) {
      std::cout << "facilities are out of date: run `emitrace inventory merge " << args->path << "`\n";
    }
  });
}

}  // namespace emitrace::cli
