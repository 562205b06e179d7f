#pragma once
// Connectivity of detections: which detections of one type form one
// facility. Two detections connect when their polygons touch or overlap (or
// come within a tolerance), so tiles that share only a corner are neighbours
// (8-connectivity on a tile grid) and the rule holds across runs, tile grids
// and overlapping tiles, not only for tile ids of one grid. Internal to
// core/inventory; used by mergeFacilities(), the summary and validation.
#include <gdal_priv.h>
#include <ogr_geometry.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/inventory/facility_type.h"
#include "core/inventory/geo.h"
#include "core/inventory/review_status.h"

namespace emitrace::inventory {

struct ClusterItem {
  std::int64_t id = 0;
  std::string key;
  FacilityType type = FacilityType::None;  // effective type
  ReviewStatus status = ReviewStatus::Pending;
  double probability = 0;
  std::string modelKind;
  std::string firstAcquisition;
  std::string lastAcquisition;
  std::unique_ptr<OGRGeometry> geometry;  // EPSG:4326
  geo::Shape shape;                       // lon/lat
  geo::Box box;
};

// Loads detections matching an SQL WHERE clause (e.g. "WHERE review_status
// <> 'rejected'"), ordered by id.
std::vector<ClusterItem> loadClusterItems(GDALDataset& ds, const std::string& where);

// Component index (0, 1, ... in order of each component's smallest item
// index) of every item. Items connect only with items of the same type.
std::vector<int> connectedComponents(const std::vector<const ClusterItem*>& items,
                                     double toleranceMetres);

}  // namespace emitrace::inventory
