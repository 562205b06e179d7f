#pragma once
// Mapping between Detection records and rows of the `detections` layer.
// Internal to core/inventory.
#include <ogrsf_frmts.h>

#include <string>

#include "core/inventory/detection.h"

namespace emitrace::inventory {

// Sets every field a new row gets from the record (review state: pending).
void writeDetectionFields(OGRFeature& f, const Detection& d, FacilityType type,
                          const std::string& scanId, const std::string& key,
                          const std::string& createdAt);

// Reads a row selected as "SELECT fid AS det_id, * FROM detections ...".
StoredDetection readDetectionRow(OGRFeature& f);

// " WHERE ..." for a filter ("" when it does not filter).
std::string detectionWhereClause(const DetectionFilter& filter);

}  // namespace emitrace::inventory
