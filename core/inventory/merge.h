#pragma once
// `emitrace inventory merge`: turn detections into facilities.
//
// DMFNet paper, Section 3.3: "Adjacent patches classified as the same
// facility type were merged, and the centroid of the merged area was taken as
// the estimated facility location." Here:
//   1. Candidates: every detection that is not rejected and not negative
//      (confirmedOnly: only confirmed/relabelled ones), by effective type
//      (a relabelled detection counts as its new type). Pending/uncertain
//      detections below minProbability are left out; validated ones never.
//   2. Detections of one type whose polygons touch or overlap (within
//      adjacencyToleranceMetres) are connected; each connected set is one
//      facility. Touching at a corner connects, so on a tile grid this is
//      8-connectivity, and it holds across runs and overlapping tiles.
//   3. The facility polygon is the union of its members; its location is
//      the area-weighted centroid of that union.
//   4. Each methane plume attaches to the nearest facility within
//      plumeAttachDistanceMetres (polygon to polygon) and takes its IPCC
//      sector; plumes attached to no facility are merged among themselves
//      into stand-alone plume sources.
// The facilities and facility_points layers are rebuilt in one transaction.
// Review decisions live on the detections, so re-merging after review keeps
// them: rejected detections never return, confirmed/relabelled stay so.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "core/inventory/facility_type.h"

namespace emitrace {
class Progress;
}

namespace emitrace::inventory {

class Inventory;

struct MergeOptions {
  // Polygons this close still connect: absorbs floating-point gaps between
  // tiles of different grids. Metres, >= 0.
  double adjacencyToleranceMetres = 1.0;
  // Plumes attach to a facility at most this far away. Metres, >= 0.
  double plumeAttachDistanceMetres = 500.0;
  // Merge only validated (confirmed/relabelled) detections, as the paper
  // does after its manual review.
  bool confirmedOnly = false;
  // Pending/uncertain detections below this probability are not merged.
  double minProbability = 0.0;

  void validate() const;  // throws InputError
  nlohmann::json toJson() const;
};

struct MergeResult {
  std::int64_t facilities = 0;            // including stand-alone plume sources
  std::int64_t mergedDetections = 0;      // non-plume detections in facilities
  std::int64_t attachedPlumes = 0;
  std::int64_t standalonePlumeSources = 0;
  std::int64_t excludedRejected = 0;      // left out because rejected
  std::int64_t excludedLowProbability = 0;
  std::int64_t excludedUnreviewed = 0;    // left out by confirmedOnly
  std::map<FacilityType, std::int64_t> facilitiesByType;

  nlohmann::json toJson() const;
};

// Rebuilds the facilities of an inventory opened for update. Cancellable;
// a cancelled or failed merge leaves the previous facilities untouched.
MergeResult mergeFacilities(Inventory& inventory, const MergeOptions& options, Progress& progress);

}  // namespace emitrace::inventory
