// `emitrace inventory list`: detections (or facilities) matching filters,
// with their ids, for reviewing from the command line.
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/cli/inventory_commands.h"
#include "core/inventory/inventory.h"

namespace emitrace::cli {
namespace {

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

}  // namespace

void addInventoryListCommand(CLI::App& group) {
  struct Args {
    std::string path;
    std::vector<std::string> statuses;
    std::vector<std::string> types;
    std::vector<std::string> models;
    double minProbability = -1;
    double maxProbability = -1;
    std::int64_t limit = 100;
    bool byProbability = false;
    bool facilities = false;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = group.add_subcommand("list", "List detections (or --facilities) with their ids");
  cmd->add_option("inventory", args->path, "Inventory GeoPackage")->required();
  cmd->add_option("--status", args->statuses, "Only these review states")->delimiter(',');
  cmd->add_option("--type", args->types, "Only these facility types")->delimiter(',');
  cmd->add_option("--model", args->models, "Only these model kinds (detections)")->delimiter(',');
  cmd->add_option("--min-probability", args->minProbability, "Probability (confidence) at least this");
  cmd->add_option("--max-probability", args->maxProbability, "Probability below this (detections)");
  cmd->add_option("--limit", args->limit, "At most this many rows (-1: all)")->capture_default_str();
  cmd->add_flag("--by-probability", args->byProbability, "Highest probability first");
  cmd->add_flag("--facilities", args->facilities, "List facilities instead of detections");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args] {
    inventory::OpenOptions readOnly;
    readOnly.readOnly = true;
    const inventory::Inventory inv = inventory::Inventory::open(args->path, readOnly);
    if (args->facilities) {
      inventory::FacilityFilter filter;
      filter.statuses = parseStatuses(args->statuses);
      filter.types = parseTypes(args->types);
      if (args->minProbability >= 0) filter.minConfidence = args->minProbability;
      filter.limit = args->limit;
      const auto rows = inv.listFacilities(filter);
      if (args->json) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& f : rows) {
          a.push_back({{"id", f.id}, {"key", f.key}, {"type", inventory::toString(f.type)},
                       {"ipcc_code", f.ipccCode}, {"status", inventory::toString(f.status)},
                       {"confidence", f.confidence}, {"members", f.memberIds}, {"plumes", f.plumeIds},
                       {"lon", f.centroidLon}, {"lat", f.centroidLat}, {"area_m2", f.areaM2}});
        }
        std::cout << a.dump(2) << "\n";
        return;
      }
      for (const auto& f : rows) {
        std::cout << std::setw(6) << f.id << "  " << std::left << std::setw(18) << inventory::toString(f.type)
                  << std::setw(11) << inventory::toString(f.status) << std::right << " conf "
                  << fixed(f.confidence, 3) << "  " << f.memberIds.size() << " detections, " << f.plumeIds.size()
                  << " plumes  at " << fixed(f.centroidLon, 5) << ", " << fixed(f.centroidLat, 5) << "  "
                  << fixed(f.areaM2 / 1e4, 1) << " ha\n";
      }
      return;
    }
    inventory::DetectionFilter filter;
    filter.statuses = parseStatuses(args->statuses);
    filter.types = parseTypes(args->types);
    for (const auto& m : args->models) filter.modelKinds.push_back(inventory::parseModelKind(m));
    if (args->minProbability >= 0) filter.minProbability = args->minProbability;
    if (args->maxProbability >= 0) filter.maxProbability = args->maxProbability;
    filter.limit = args->limit;
    if (args->byProbability) filter.order = inventory::DetectionFilter::Order::ProbabilityDescending;
    const auto rows = inv.listDetections(filter);
    if (args->json) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& d : rows) {
        a.push_back({{"id", d.id}, {"key", d.key}, {"model", inventory::toString(d.detection.modelKind)},
                     {"class", d.detection.modelClass}, {"type", inventory::toString(d.effectiveType)},
                     {"probability", d.detection.probability}, {"status", inventory::toString(d.status)},
                     {"tile_id", d.detection.tileId}, {"facility_id", d.facilityId ? nlohmann::json(*d.facilityId)
                                                                                   : nlohmann::json()},
                     {"note", d.reviewNote}});
      }
      std::cout << a.dump(2) << "\n";
      return;
    }
    for (const auto& d : rows) {
      std::cout << std::setw(6) << d.id << "  " << std::left << std::setw(18) << inventory::toString(d.effectiveType)
                << std::setw(11) << inventory::toString(d.status) << std::right << " p "
                << fixed(d.detection.probability, 3) << "  " << d.key;
      if (d.facilityId) std::cout << "  facility " << *d.facilityId;
      if (!d.reviewNote.empty()) std::cout << "  \"" << d.reviewNote << "\"";
      std::cout << "\n";
    }
    const auto total = inv.countDetections(filter);
    if (total > static_cast<std::int64_t>(rows.size())) {
      std::cout << "(" << rows.size() << " of " << total << " shown; --limit -1 for all)\n";
    }
  });
}

}  // namespace emitrace::cli
