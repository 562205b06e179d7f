#pragma once
// The inventory's tables as data: layer names, geometry types and fields.
// Used to create a new inventory and to check an opened one. Internal to
// core/inventory (includes GDAL).
#include <ogrsf_frmts.h>

#include <string>
#include <vector>

namespace emitrace::inventory::schema {

inline constexpr const char* kDetections = "detections";
inline constexpr const char* kFacilities = "facilities";
inline constexpr const char* kFacilityPoints = "facility_points";
inline constexpr const char* kReferenceMatches = "reference_matches";
inline constexpr const char* kReviewLog = "review_log";
inline constexpr const char* kRuns = "runs";
inline constexpr const char* kMetadata = "emitrace_metadata";
inline constexpr const char* kLayerStyles = "layer_styles";
inline constexpr const char* kGeometryColumn = "geom";

struct FieldSpec {
  const char* name;
  OGRFieldType type;
  OGRFieldSubType subType = OFSTNone;
};

struct LayerSpec {
  const char* name;
  OGRwkbGeometryType geometry;  // wkbNone for attribute tables
  std::vector<FieldSpec> fields;
  const char* description;      // stored in gpkg_contents
};

// Every layer of schema version kSchemaVersion, in creation order.
const std::vector<LayerSpec>& layers();
const LayerSpec& layerSpec(const std::string& name);

// SQL run once after the layers exist: indexes, including the UNIQUE index
// on detections.detection_key that makes writes idempotent.
const std::vector<std::string>& indexStatements();

// Creates every layer, index and metadata row (format, schema version,
// creation time, software version) and the default QGIS styles in `ds`.
// Throws IoError.
void createSchema(GDALDataset& ds);

// Checks an opened GeoPackage is an inventory this build can read. Throws
// InputError with the reason (not an inventory, newer/older schema version,
// missing layer or field). Returns the schema version.
int checkSchema(GDALDataset& ds, const std::string& path);

}  // namespace emitrace::inventory::schema
