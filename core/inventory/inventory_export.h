#pragma once
// `emitrace inventory export`: write inventory layers to GeoPackage, GeoJSON,
// CSV (geometry as WKT) or KML, optionally filtered by review status, type
// and probability. A GeoPackage export of every layer (the default) is a
// complete inventory itself, with feature ids and default QGIS styles kept.
// All layers are read from one snapshot, so a concurrent review cannot make
// them disagree.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/inventory/facility_type.h"
#include "core/inventory/review_status.h"

namespace emitrace {
class Progress;
}

namespace emitrace::inventory {

class Inventory;

struct ExportOptions {
  std::string output;               // .gpkg, .geojson/.json, .csv, .kml
  std::string format;               // OGR driver name; "" = from the extension
  // Layers to write. Empty: every layer for GeoPackage; "facilities" for the
  // one-layer formats. Names: detections, facilities, facility_points,
  // reference_matches, review_log, runs, emitrace_metadata.
  std::vector<std::string> layers;
  // Filters for detections (review_status, effective_type, probability) and
  // facilities / facility_points (review_status, facility_type, confidence).
  std::vector<ReviewStatus> statuses;
  std::vector<FacilityType> types;
  std::optional<double> minProbability;
  bool overwrite = true;

  void validate() const;  // throws InputError/IoError before writing
  nlohmann::json toJson() const;
  std::string resolvedFormat() const;
  std::vector<std::string> resolvedLayers() const;
};

struct ExportResult {
  std::string output;
  std::string format;
  std::vector<std::pair<std::string, std::int64_t>> layers;  // name, features written
};

// Cancellable; a cancelled or failed export leaves no output file.
ExportResult exportInventory(const Inventory& inventory, const ExportOptions& options, Progress& progress);

}  // namespace emitrace::inventory
