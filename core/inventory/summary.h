#pragma once
// `emitrace inventory summary`: what an inventory holds, and the two tables
// of the DMFNet paper's deployment experiment:
//   Table 5 view, per predicted type: initial detections, false positives
//     (rejected, or relabelled to another type), validated (confirmed),
//     still unreviewed (pending/uncertain), precision = validated /
//     (validated + false positives) over the reviewed ones, and the facility
//     count (adjacent validated detections of the type, as merged; plumes
//     are detections of emissions, not facilities, and count 0 here).
//   Table 6 view, per reference source validated so far (validation.h),
//     recomputed against the current review state.
// The app and the QGIS plugin show these same structures.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/inventory/facility_type.h"
#include "core/inventory/review_status.h"
#include "core/inventory/validation.h"

namespace emitrace {
class Progress;
}

namespace emitrace::inventory {

class Inventory;

struct PrecisionRow {
  FacilityType type = FacilityType::None;  // predicted type (Total row: None)
  std::int64_t initial = 0;
  std::int64_t falsePositives = 0;
  std::int64_t validated = 0;
  std::int64_t unreviewed = 0;
  std::optional<double> precision;  // unset when nothing was reviewed
  std::int64_t facilities = 0;      // of validated detections of this (effective) type
};

struct InventorySummary {
  std::string path;
  int schemaVersion = 0;
  std::string createdAt;
  std::int64_t runs = 0;
  std::int64_t detections = 0;
  std::int64_t facilities = 0;        // as last merged
  bool facilitiesStale = false;
  std::string lastMergeAt;
  std::int64_t reviewDecisions = 0;   // not undone
  // Detections by effective type and review status.
  std::map<FacilityType, std::map<ReviewStatus, std::int64_t>> byTypeAndStatus;
  std::map<ReviewStatus, std::int64_t> byStatus;
  std::map<SectorGroup, std::int64_t> detectionsBySector;  // plumes: sector of their facility
  std::map<SectorGroup, std::int64_t> facilitiesBySector;  // as last merged
  std::map<std::string, std::int64_t> byModel;
  std::vector<PrecisionRow> precision;  // Table 5 view (rows with detections, then Total)
  std::vector<CoverageTable> coverage;  // Table 6 view, one per reference source

  nlohmann::json toJson() const;
  std::string toText() const;
};

// Reads the summary (no writing). Cancellable.
InventorySummary summarizeInventory(const Inventory& inventory, Progress& progress);

}  // namespace emitrace::inventory
