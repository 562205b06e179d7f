#include "core/inventory/merge.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/inventory/clustering.h"
#include "core/inventory/inventory_impl.h"
#include "core/progress.h"

namespace emitrace::inventory {
namespace {

// One facility before it is written.
struct Built {
  FacilityType type = FacilityType::None;
  std::vector<const ClusterItem*> members;
  std::vector<const ClusterItem*> plumes;
  std::unique_ptr<OGRGeometry> geometry;  // MULTIPOLYGON, EPSG:4326
  geo::Shape shape;
  geo::Box box;
  double lon = 0, lat = 0, areaM2 = 0;
};

std::unique_ptr<OGRGeometry> unionOf(const std::vector<const ClusterItem*>& members) {
  raster::GdalErrorCapture errors;
  if (members.size() == 1) {
    return std::unique_ptr<OGRGeometry>(members.front()->geometry->clone());
  }
  OGRMultiPolygon all;
  for (const auto* m : members) {
    const OGRGeometry& g = *m->geometry;
    if (wkbFlatten(g.getGeometryType()) == wkbMultiPolygon) {
      for (const auto* part : *g.toMultiPolygon()) all.addGeometry(part);
    } else {
      all.addGeometry(&g);
    }
  }
  std::unique_ptr<OGRGeometry> merged(all.UnionCascaded());
  if (!merged) {
    // GEOS refused the cascaded union (e.g. a topology exception): fall back
    // to pairwise unions, which handle the same inputs more slowly.
    merged.reset(members.front()->geometry->clone());
    for (size_t i = 1; i < members.size() && merged; ++i) {
      merged.reset(merged->Union(members[i]->geometry.get()));
    }
  }
  if (!merged) throw Error("cannot union the polygons of a facility" + errors.suffix());
  return merged;
}

void finishGeometry(Built& b) {
  std::unique_ptr<OGRGeometry> merged = unionOf(b.members);
  b.geometry.reset(OGRGeometryFactory::forceToMultiPolygon(merged.release()));
  b.shape = geo::shapeOf(*b.geometry);
  b.box = geo::boxOf(b.shape);
  const geo::XY c = b.box.centre();
  const geo::LocalFrame frame(c.x, c.y);
  const geo::Shape metric = frame.project(b.shape);
  b.areaM2 = geo::area(metric);
  const geo::XY centroid = geo::centroid(metric);
  const geo::XY lonLat = frame.inverse(centroid.x, centroid.y);
  b.lon = lonLat.x;
  b.lat = lonLat.y;
}

ReviewStatus derivedStatus(const std::vector<const ClusterItem*>& members) {
  bool pending = false, uncertain = false;
  for (const auto* m : members) {
    pending = pending || m->status == ReviewStatus::Pending;
    uncertain = uncertain || m->status == ReviewStatus::Uncertain;
  }
  return pending ? ReviewStatus::Pending : uncertain ? ReviewStatus::Uncertain : ReviewStatus::Confirmed;
}

nlohmann::json idsJson(const std::vector<const ClusterItem*>& items) {
  nlohmann::json ids = nlohmann::json::array();
  for (const auto* m : items) ids.push_back(m->id);
  return ids;
}

// The facilities layers are rebuilt whole. Plain SQL is safe here: the
// inventory has no gpkg_ogr_contents counts to keep, and SQLite triggers
// keep the spatial index in step.
void deleteAll(Inventory::Impl& d, const char* layerName) { d.exec(std::string("DELETE FROM ") + layerName); }

// Which facility each detection belongs to, written with one UPDATE ... FROM
// a temporary table instead of one statement per facility.
struct Assignment {
  std::int64_t detection;
  std::int64_t facility;
  bool plume;
  std::string ipccCode;  // plumes take their facility's code
};

void writeAssignments(Inventory::Impl& d, const std::vector<Assignment>& rows) {
  d.exec("CREATE TEMP TABLE IF NOT EXISTS emitrace_assignment (fid INTEGER PRIMARY KEY, facility_id INTEGER, "
         "role TEXT, ipcc_code TEXT)");
  d.exec("DELETE FROM emitrace_assignment");
  for (size_t start = 0; start < rows.size(); start += 400) {
    std::string values;
    for (size_t i = start; i < std::min(rows.size(), start + 400); ++i) {
      const Assignment& a = rows[i];
      values += (values.empty() ? "(" : ",(") + std::to_string(a.detection) + "," + std::to_string(a.facility) +
                (a.plume ? ",'plume'," + sqlQuote(a.ipccCode) + ")" : ",'member',NULL)");
    }
    d.exec("INSERT INTO emitrace_assignment (fid, facility_id, role, ipcc_code) VALUES " + values);
  }
  d.exec("UPDATE detections SET facility_id = a.facility_id, facility_role = a.role, "
         "ipcc_code = COALESCE(a.ipcc_code, detections.ipcc_code) FROM emitrace_assignment AS a "
         "WHERE detections.fid = a.fid");
  d.exec("DELETE FROM emitrace_assignment");
}

}  // namespace

void MergeOptions::validate() const {
  if (!(adjacencyToleranceMetres >= 0) || !std::isfinite(adjacencyToleranceMetres)) {
    throw InputError("adjacency tolerance must be >= 0 m, got " + std::to_string(adjacencyToleranceMetres));
  }
  if (!(plumeAttachDistanceMetres >= 0) || !std::isfinite(plumeAttachDistanceMetres)) {
    throw InputError("plume attach distance must be >= 0 m, got " +
                     std::to_string(plumeAttachDistanceMetres));
  }
  if (!(minProbability >= 0 && minProbability <= 1)) {
    throw InputError("minimum probability must be in [0, 1], got " + std::to_string(minProbability));
  }
}

nlohmann::json MergeOptions::toJson() const {
  return {{"adjacency_tolerance_m", adjacencyToleranceMetres},
          {"plume_attach_distance_m", plumeAttachDistanceMetres},
          {"confirmed_only", confirmedOnly},
          {"min_probability", minProbability}};
}

nlohmann::json MergeResult::toJson() const {
  nlohmann::json byType = nlohmann::json::object();
  for (const auto& [t, n] : facilitiesByType) byType[toString(t)] = n;
  return {{"facilities", facilities},
          {"merged_detections", mergedDetections},
          {"attached_plumes", attachedPlumes},
          {"standalone_plume_sources", standalonePlumeSources},
          {"excluded_rejected", excludedRejected},
          {"excluded_low_probability", excludedLowProbability},
          {"excluded_unreviewed", excludedUnreviewed},
          {"facilities_by_type", byType}};
}

MergeResult mergeFacilities(Inventory& inventory, const MergeOptions& options, Progress& progress) {
  options.validate();
  Inventory::Impl& d = inventory.impl();
  d.requireWritable();
  // Load, compute and write inside one transaction, so the facilities always
  // match the detections they were built from (a concurrent review makes
  // the write retry from a fresh read).
  return d.write([&] {
    MergeResult result;
    progress.report(0.0, "loading detections");
    result.excludedRejected = selectInt(
        *d.ds, "SELECT COUNT(*) FROM detections WHERE review_status = 'rejected' AND effective_type <> 'none'");
    std::string where = "WHERE review_status <> 'rejected' AND effective_type <> 'none'";
    const std::string validated = "review_status IN ('confirmed', 'relabelled')";
    if (options.confirmedOnly) {
      result.excludedUnreviewed = selectInt(*d.ds, "SELECT COUNT(*) FROM detections " + where +
                                                       " AND NOT " + validated);
      where += " AND " + validated;
    } else if (options.minProbability > 0) {
      const std::string low = "probability < " + sqlNumber(options.minProbability) + " AND NOT " + validated;
      result.excludedLowProbability = selectInt(*d.ds, "SELECT COUNT(*) FROM detections " + where + " AND " + low);
      where += " AND NOT (" + low + ")";
    }
    std::vector<ClusterItem> items = loadClusterItems(*d.ds, where);
    progress.throwIfCanceled();

    // 1-3: facilities from adjacent detections of one type.
    std::vector<const ClusterItem*> facilityItems, plumeItems;
    for (const auto& it : items) {
      (it.type == FacilityType::MethanePlume ? plumeItems : facilityItems).push_back(&it);
    }
    progress.report(0.1, "connecting adjacent detections");
    const std::vector<int> component = connectedComponents(facilityItems, options.adjacencyToleranceMetres);
    const int facilityCount =
        component.empty() ? 0 : *std::max_element(component.begin(), component.end()) + 1;
    std::vector<Built> built(facilityCount);
    for (size_t i = 0; i < facilityItems.size(); ++i) {
      built[component[i]].members.push_back(facilityItems[i]);
      built[component[i]].type = facilityItems[i]->type;
    }
    for (size_t i = 0; i < built.size(); ++i) {
      if (i % 256 == 0) {
        progress.throwIfCanceled();
        progress.report(0.3 + 0.3 * i / std::max<size_t>(1, built.size()), "merging polygons");
      }
      finishGeometry(built[i]);
    }

    // 4: plumes attach to the nearest facility within the distance.
    progress.report(0.6, "attaching plumes");
    geo::GridIndex facilityIndex(0.02);
    for (size_t i = 0; i < built.size(); ++i) facilityIndex.insert(static_cast<int>(i), built[i].box);
    std::vector<const ClusterItem*> loosePlumes;
    std::vector<int> candidates;
    for (size_t p = 0; p < plumeItems.size(); ++p) {
      if (p % 256 == 0) progress.throwIfCanceled();
      const ClusterItem& plume = *plumeItems[p];
      const double lat = std::max(std::abs(plume.box.minY), std::abs(plume.box.maxY));
      const double dLat = geo::metresToDegreesLat(options.plumeAttachDistanceMetres) * 1.01;
      const double dLon = geo::metresToDegreesLon(options.plumeAttachDistanceMetres, lat) * 1.01;
      facilityIndex.query(plume.box.expanded(dLon, dLat), candidates);
      const geo::XY c = plume.box.centre();
      const geo::LocalFrame frame(c.x, c.y);
      const geo::Shape plumeMetric = frame.project(plume.shape);
      int best = -1;
      double bestDistance = std::numeric_limits<double>::infinity();
      for (int f : candidates) {
        if (!built[f].box.expanded(dLon, dLat).intersects(plume.box)) continue;
        const double dist = geo::distance(plumeMetric, frame.project(built[f].shape));
        if (dist <= options.plumeAttachDistanceMetres && dist < bestDistance) {
          bestDistance = dist;
          best = f;
        }
      }
      if (best >= 0) built[best].plumes.push_back(&plume);
      else loosePlumes.push_back(&plume);
    }
    // Stand-alone plume sources: overlapping/adjacent plumes of no facility.
    const std::vector<int> plumeComponent = connectedComponents(loosePlumes, options.adjacencyToleranceMetres);
    const int plumeSources =
        plumeComponent.empty() ? 0 : *std::max_element(plumeComponent.begin(), plumeComponent.end()) + 1;
    const size_t firstPlumeSource = built.size();
    built.resize(built.size() + plumeSources);
    for (size_t i = 0; i < loosePlumes.size(); ++i) {
      Built& b = built[firstPlumeSource + plumeComponent[i]];
      b.type = FacilityType::MethanePlume;
      b.members.push_back(loosePlumes[i]);
    }
    for (size_t i = firstPlumeSource; i < built.size(); ++i) finishGeometry(built[i]);

    // Write: replace the facilities, then point detections at them.
    progress.report(0.7, "writing facilities");
    deleteAll(d, schema::kFacilities);
    deleteAll(d, schema::kFacilityPoints);
    d.exec("UPDATE detections SET facility_id = NULL, facility_role = NULL "
           "WHERE facility_id IS NOT NULL OR facility_role IS NOT NULL");
    d.exec("UPDATE detections SET ipcc_code = '' WHERE effective_type = 'methane_plume' AND ipcc_code <> ''");
    OGRLayer* polygons = d.layer(schema::kFacilities);
    OGRLayer* points = d.layer(schema::kFacilityPoints);
    const std::string now = nowIso();
    std::vector<Assignment> assignments;
    for (size_t i = 0; i < built.size(); ++i) {
      if (i % 256 == 0) {
        progress.throwIfCanceled();
        progress.report(0.7 + 0.3 * i / std::max<size_t>(1, built.size()), "writing facilities");
      }
      Built& b = built[i];
      const FacilityTypeInfo& typeInfo = info(b.type);
      double maxP = 0, sumP = 0;
      std::string first, last;
      std::set<std::string> kinds;
      for (const auto* m : b.members) {
        maxP = std::max(maxP, m->probability);
        sumP += m->probability;
        if (!m->firstAcquisition.empty() && (first.empty() || m->firstAcquisition < first)) first = m->firstAcquisition;
        if (m->lastAcquisition > last) last = m->lastAcquisition;
        kinds.insert(m->modelKind);
      }
      for (const auto* p : b.plumes) kinds.insert(p->modelKind);
      std::string kindList;
      for (const auto& k : kinds) kindList += (kindList.empty() ? "" : ",") + k;
      const ReviewStatus status = derivedStatus(b.members);
      const std::string key = b.members.front()->key;  // members are in id order

      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(polygons->GetLayerDefn()));
      f->SetGeometry(b.geometry.get());
      f->SetField("facility_key", key.c_str());
      f->SetField("facility_type", typeInfo.id);
      f->SetField("ipcc_code", typeInfo.ipccCode);
      f->SetField("ipcc_sector", typeInfo.ipccSector);
      f->SetField("review_status", toString(status).c_str());
      f->SetField("confidence", maxP);
      f->SetField("mean_probability", sumP / b.members.size());
      f->SetField("member_count", static_cast<int>(b.members.size()));
      f->SetField("member_ids", idsJson(b.members).dump().c_str());
      f->SetField("plume_count", static_cast<int>(b.plumes.size()));
      f->SetField("plume_ids", idsJson(b.plumes).dump().c_str());
      f->SetField("centroid_lon", b.lon);
      f->SetField("centroid_lat", b.lat);
      f->SetField("area_m2", b.areaM2);
      f->SetField("first_acquisition", first.c_str());
      f->SetField("last_acquisition", last.c_str());
      f->SetField("model_kinds", kindList.c_str());
      f->SetField("merged_at", now.c_str());
      const std::int64_t id = createFeature(*polygons, *f, "a facility");

      OGRFeatureUniquePtr pt(OGRFeature::CreateFeature(points->GetLayerDefn()));
      OGRPoint centroid(b.lon, b.lat);
      pt->SetGeometry(&centroid);
      pt->SetField("facility_id", static_cast<GIntBig>(id));
      pt->SetField("facility_key", key.c_str());
      pt->SetField("facility_type", typeInfo.id);
      pt->SetField("ipcc_code", typeInfo.ipccCode);
      pt->SetField("review_status", toString(status).c_str());
      pt->SetField("confidence", maxP);
      pt->SetField("member_count", static_cast<int>(b.members.size()));
      pt->SetField("plume_count", static_cast<int>(b.plumes.size()));
      createFeature(*points, *pt, "a facility point");

      for (const auto* m : b.members) assignments.push_back({m->id, id, false, {}});
      for (const auto* p : b.plumes) assignments.push_back({p->id, id, true, typeInfo.ipccCode});
      ++result.facilitiesByType[b.type];
      if (b.type == FacilityType::MethanePlume) ++result.standalonePlumeSources;
      else result.mergedDetections += static_cast<std::int64_t>(b.members.size());
      result.attachedPlumes += static_cast<std::int64_t>(b.plumes.size());
    }
    writeAssignments(d, assignments);
    result.facilities = static_cast<std::int64_t>(built.size());
    d.putMetadata("facilities_stale", "0");
    d.putMetadata("last_merge", nlohmann::json{{"merged_at", now},
                                               {"options", options.toJson()},
                                               {"result", result.toJson()}}
                                    .dump());
    progress.report(1.0, "facilities merged");
    return result;
  });
}

}  // namespace emitrace::inventory
