#pragma once
// Review decisions and the review log. A decision changes the review state of
// one or more detections (directly, or through a facility: all its non-plume
// members) in one transaction that also appends one review_log row per
// changed detection, all sharing one decision id. Undo reverts the newest
// decision that has not been undone, itself logged as a decision.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/inventory/facility_type.h"
#include "core/inventory/review_status.h"

namespace emitrace::inventory {

enum class ReviewTarget { Detection, Facility };

struct ReviewDecision {
  ReviewTarget target = ReviewTarget::Detection;
  std::vector<std::int64_t> ids;   // detection or facility ids (one or more)
  ReviewStatus status = ReviewStatus::Confirmed;
  std::optional<FacilityType> newType;  // required for Relabelled, not allowed otherwise
  std::string note;
  std::string reviewer;            // who decided ("" is stored as "unknown")

  // Throws InputError: no ids, relabelled without a (non-None) type, a type
  // with another status.
  void validate() const;
};

struct ReviewOutcome {
  std::int64_t decisionId = 0;   // 0 when nothing changed
  std::int64_t changed = 0;      // detections whose state changed
  std::int64_t unchanged = 0;    // detections already in that state
  std::vector<std::int64_t> detectionIds;  // the changed ones
};

// One row of review_log.
struct ReviewLogEntry {
  std::int64_t id = 0;
  std::int64_t decisionId = 0;
  std::string action;            // "review", "bulk-reject", "inherit", "undo"
  ReviewTarget target = ReviewTarget::Detection;
  std::int64_t targetId = 0;     // the detection or facility the user chose
  std::int64_t detectionId = 0;  // the detection this row changed
  std::string detectionKey;
  ReviewStatus oldStatus = ReviewStatus::Pending;
  ReviewStatus newStatus = ReviewStatus::Pending;
  std::string oldType;           // effective type before/after ("landfill")
  std::string newType;
  std::string reviewer;
  std::string decidedAt;         // ISO 8601 UTC
  std::string note;
  bool undone = false;
  std::int64_t undoneBy = 0;     // decision id of the undo
};

}  // namespace emitrace::inventory
