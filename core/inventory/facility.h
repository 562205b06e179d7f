#pragma once
// A facility: adjacent detections of one type merged into one polygon, with
// its centroid as the facility location (DMFNet paper, Section 3.3), and the
// plumes attached to it. Written by mergeFacilities() into the `facilities`
// (polygons) and `facility_points` (centroids) layers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/inventory/facility_type.h"
#include "core/inventory/review_status.h"

namespace emitrace::inventory {

struct Facility {
  std::int64_t id = 0;         // feature id in `facilities` (changes on re-merge)
  std::string key;             // natural key of its first member (stable across re-merges)
  FacilityType type = FacilityType::None;
  std::string ipccCode;        // "" for stand-alone plumes
  std::string ipccSector;
  // Derived from the members: pending if any member is pending, else
  // uncertain if any is uncertain, else confirmed.
  ReviewStatus status = ReviewStatus::Pending;
  double confidence = 0;       // highest member probability
  double meanProbability = 0;
  std::vector<std::int64_t> memberIds;  // detections merged into it
  std::vector<std::int64_t> plumeIds;   // plume detections attached to it
  double centroidLon = 0;      // centroid of the merged area (area-weighted)
  double centroidLat = 0;
  double areaM2 = 0;
  std::string firstAcquisition;  // earliest/latest member acquisition date
  std::string lastAcquisition;
  std::string modelKinds;        // comma-separated kinds of its members
  std::string geometryWkt;       // MULTIPOLYGON, EPSG:4326
};

struct FacilityFilter {
  std::vector<std::int64_t> ids;
  std::vector<FacilityType> types;
  std::vector<ReviewStatus> statuses;
  std::optional<double> minConfidence;
  std::int64_t limit = -1;
  std::int64_t offset = 0;
};

}  // namespace emitrace::inventory
