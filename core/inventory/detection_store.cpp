// Inventory: writing and querying detections.
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/inventory/detection_row.h"
#include "core/inventory/geo.h"
#include "core/inventory/inventory_impl.h"
#include "core/progress.h"

namespace emitrace::inventory {
namespace {

// A record ready to write: validated, typed, keyed, in EPSG:4326.
struct Prepared {
  const Detection* source = nullptr;
  FacilityType type = FacilityType::None;
  std::string scanId;
  std::string key;
  std::unique_ptr<OGRGeometry> geometry;  // MULTIPOLYGON, EPSG:4326
  geo::Shape shape;
  geo::Box box;
};

// A reviewed detection a new one may inherit its decision from.
struct Reviewed {
  std::int64_t id;
  std::string key;
  FacilityType predicted;
  ReviewStatus status;
  std::string reviewedType;
  std::string note;
  std::unique_ptr<OGRGeometry> geometry;
  geo::Box box;
};

class NullProgress : public Progress {};

std::string firstDate(const std::vector<std::string>& dates) {
  std::string first;
  for (const auto& d : dates) {
    if (!d.empty() && (first.empty() || d < first)) first = d;
  }
  return first;
}

// Intersection over union of two lon/lat polygons (a ratio of areas, so the
// degree units cancel; the local distortion is negligible at patch scale).
double intersectionOverUnion(const OGRGeometry& a, const OGRGeometry& b) {
  raster::GdalErrorCapture errors;
  std::unique_ptr<OGRGeometry> inter(a.Intersection(&b));
  if (!inter || inter->IsEmpty()) return 0.0;
  const geo::Shape sa = geo::shapeOf(a), sb = geo::shapeOf(b), si = geo::shapeOf(*inter);
  const double ai = geo::area(si);
  const double au = geo::area(sa) + geo::area(sb) - ai;
  return au > 0 ? ai / au : 0.0;
}

std::vector<Reviewed> loadReviewedNear(GDALDataset& ds, const geo::Box& box) {
  std::vector<Reviewed> out;
  if (selectInt(ds, "SELECT COUNT(*) FROM detections WHERE review_status <> 'pending'") == 0) return out;
  const std::string sql =
      "SELECT fid + 0 AS det_id, detection_key, facility_type, review_status, reviewed_type, "
      "review_note, geom FROM detections WHERE review_status <> 'pending' AND fid IN (SELECT id "
      "FROM rtree_detections_geom WHERE maxx >= " + sqlNumber(box.minX) + " AND minx <= " +
      sqlNumber(box.maxX) + " AND maxy >= " + sqlNumber(box.minY) + " AND miny <= " +
      sqlNumber(box.maxY) + ")";
  selectSql(ds, sql, [&](OGRFeature& f) {
    const OGRGeometry* g = f.GetGeometryRef();
    if (!g) return;
    Reviewed r;
    r.id = f.GetFieldAsInteger64("det_id");
    r.key = f.GetFieldAsString("detection_key");
    r.predicted = parseFacilityType(f.GetFieldAsString("facility_type"));
    r.status = parseReviewStatus(f.GetFieldAsString("review_status"));
    r.reviewedType = f.GetFieldAsString("reviewed_type");
    r.note = f.GetFieldAsString("review_note");
    r.geometry.reset(g->clone());
    r.box = geo::boxOf(geo::shapeOf(*g));
    out.push_back(std::move(r));
  });
  return out;
}

std::string whereClause(const DetectionFilter& filter) {
  std::vector<std::string> terms;
  auto quotedList = [](const std::vector<std::string>& items) {
    std::string s = "(";
    for (size_t i = 0; i < items.size(); ++i) s += (i ? "," : "") + sqlQuote(items[i]);
    return s + ")";
  };
  if (!filter.ids.empty()) terms.push_back("fid IN " + sqlIdList(filter.ids));
  if (!filter.statuses.empty()) {
    std::vector<std::string> v;
    for (auto s : filter.statuses) v.push_back(toString(s));
    terms.push_back("review_status IN " + quotedList(v));
  }
  if (!filter.types.empty()) {
    std::vector<std::string> v;
    for (auto t : filter.types) v.push_back(toString(t));
    terms.push_back("effective_type IN " + quotedList(v));
  }
  if (!filter.modelKinds.empty()) {
    std::vector<std::string> v;
    for (auto k : filter.modelKinds) v.push_back(toString(k));
    terms.push_back("model_kind IN " + quotedList(v));
  }
  if (filter.minProbability) terms.push_back("probability >= " + sqlNumber(*filter.minProbability));
  if (filter.maxProbability) terms.push_back("probability < " + sqlNumber(*filter.maxProbability));
  if (!filter.runId.empty()) terms.push_back("run_id = " + sqlQuote(filter.runId));
  if (filter.facilityId) terms.push_back("facility_id = " + std::to_string(*filter.facilityId));
  if (filter.lonLatBox) {
    const auto& b = *filter.lonLatBox;
    terms.push_back("fid IN (SELECT id FROM rtree_detections_geom WHERE maxx >= " + sqlNumber(b[0]) +
                    " AND minx <= " + sqlNumber(b[2]) + " AND maxy >= " + sqlNumber(b[1]) +
                    " AND miny <= " + sqlNumber(b[3]) + ")");
  }
  if (terms.empty()) return {};
  std::string where = " WHERE ";
  for (size_t i = 0; i < terms.size(); ++i) where += (i ? " AND " : "") + terms[i];
  return where;
}

}  // namespace

std::string detectionWhereClause(const DetectionFilter& filter) { return whereClause(filter); }

AddDetectionsResult Inventory::addDetections(const std::vector<Detection>& batch,
                                             const AddDetectionsOptions& options) {
  NullProgress progress;
  return addDetections(batch, options, progress);
}

AddDetectionsResult Inventory::addDetections(const std::vector<Detection>& batch,
                                             const AddDetectionsOptions& options,
                                             Progress& progress) {
  Impl& d = *impl_;
  d.requireWritable();
  options.validate();
  AddDetectionsResult result;
  if (batch.empty()) return result;

  // 1. Check and prepare every record before touching the file.
  std::unordered_map<std::string, std::string> scanOfRun;
  for (const auto& run : runs()) scanOfRun[run.runId] = run.scanId;
  geo::Wgs84Transformer transformer;
  std::vector<Prepared> prepared(batch.size());
  geo::Box extent{1e300, 1e300, -1e300, -1e300};
  std::unordered_set<std::string> keysInBatch;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i % 512 == 0) {
      progress.throwIfCanceled();
      progress.report(0.4 * i / batch.size(), "checking detections");
    }
    const Detection& det = batch[i];
    Prepared& p = prepared[i];
    p.source = &det;
    try {
      det.validate();
      auto run = scanOfRun.find(det.runId);
      if (run == scanOfRun.end()) {
        throw InputError("run '" + det.runId + "' is not in this inventory (call beginRun first)");
      }
      p.type = det.resolvedType();
      p.scanId = run->second;
      p.key = detectionKey(p.scanId, det.tileId, det.modelKind, det.modelClass, det.itemIndex);
      std::unique_ptr<OGRGeometry> g = transformer.toWgs84(det.geometryWkt, det.crs);
      {
        raster::GdalErrorCapture errors;
        if (!g->IsValid()) {
          throw InputError("geometry is not a valid polygon (self-intersecting or degenerate); "
                           "repair it before writing (e.g. buffer(0))");
        }
      }
      p.geometry.reset(OGRGeometryFactory::forceToMultiPolygon(g.release()));
      p.shape = geo::shapeOf(*p.geometry);
      p.box = geo::boxOf(p.shape);
    } catch (const InputError& e) {
      throw InputError("detection " + std::to_string(i + 1) + " of " + std::to_string(batch.size()) +
                       " (tile " + std::to_string(det.tileId) + ", class '" + det.modelClass +
                       "'): " + e.what());
    }
    extent = {std::min(extent.minX, p.box.minX), std::min(extent.minY, p.box.minY),
              std::max(extent.maxX, p.box.maxX), std::max(extent.maxY, p.box.maxY)};
  }

  // 2. Write everything in one transaction (retried as a whole if another
  //    writer holds the lock; rolled back on any error or cancel).
  return d.write([&] {
    AddDetectionsResult r;
    keysInBatch.clear();
    std::unordered_set<std::string> existing;
    for (size_t start = 0; start < prepared.size(); start += 400) {
      std::string list;
      for (size_t i = start; i < std::min(prepared.size(), start + 400); ++i) {
        list += (list.empty() ? "" : ",") + sqlQuote(prepared[i].key);
      }
      selectSql(*d.ds, "SELECT detection_key FROM detections WHERE detection_key IN (" + list + ")",
                [&](OGRFeature& f) { existing.insert(f.GetFieldAsString(0)); });
    }
    std::vector<Reviewed> reviewed;
    geo::GridIndex reviewedIndex(0.01);
    if (options.inheritDecisions) {
      reviewed = loadReviewedNear(*d.ds, extent);
      for (size_t i = 0; i < reviewed.size(); ++i) reviewedIndex.insert(static_cast<int>(i), reviewed[i].box);
    }
    std::int64_t inheritDecision = 0;
    const std::string now = nowIso();
    OGRLayer* layer = d.layer(schema::kDetections);
    OGRLayer* log = d.layer(schema::kReviewLog);
    std::vector<int> candidates;
    for (size_t i = 0; i < prepared.size(); ++i) {
      if (i % 256 == 0) {
        progress.throwIfCanceled();
        progress.report(0.4 + 0.6 * i / prepared.size(), "writing detections");
      }
      Prepared& p = prepared[i];
      const Detection& det = *p.source;
      if (existing.count(p.key) || !keysInBatch.insert(p.key).second) {
        if (options.duplicates == DuplicatePolicy::Error) {
          throw InputError("detection " + std::to_string(i + 1) + " duplicates the detection '" +
                           p.key + "' (same scan, tile, model, class and item index)");
        }
        ++r.skippedDuplicates;
        continue;
      }
      // Inherit the decision of a reviewed detection of the same predicted
      // type covering (nearly) the same area.
      const Reviewed* inherit = nullptr;
      if (!reviewed.empty()) {
        double bestIou = 0;
        reviewedIndex.query(p.box, candidates);
        for (int c : candidates) {
          const Reviewed& rv = reviewed[c];
          if (rv.predicted != p.type || !rv.box.intersects(p.box)) continue;
          const double iou = intersectionOverUnion(*rv.geometry, *p.geometry);
          if (iou >= options.inheritMinOverlap && iou > bestIou) {
            bestIou = iou;
            inherit = &rv;
          }
        }
      }

      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
      f->SetGeometry(p.geometry.get());
      writeDetectionFields(*f, det, p.type, p.scanId, p.key, now);
      f->SetField("source_crs", det.crs.empty() ? "EPSG:4326" : det.crs.c_str());
      f->SetField("first_acquisition", firstDate(det.acquisitionDates).c_str());
      FacilityType effective = p.type;
      if (inherit) {
        if (inherit->status == ReviewStatus::Relabelled && !inherit->reviewedType.empty()) {
          effective = parseFacilityType(inherit->reviewedType);
          f->SetField("reviewed_type", inherit->reviewedType.c_str());
        }
        f->SetField("review_status", toString(inherit->status).c_str());
        f->SetField("effective_type", toString(effective).c_str());
        f->SetField("ipcc_code", info(effective).ipccCode);
        const std::string note = "inherited from " + inherit->key +
                                 (inherit->note.empty() ? "" : ": " + inherit->note);
        f->SetField("review_note", note.c_str());
        f->SetField("reviewer", "emitrace");
        f->SetField("reviewed_at", now.c_str());
      }
      const std::int64_t id = createFeature(*layer, *f, "detection '" + p.key + "'");
      r.ids.push_back(id);
      ++r.added;
      if (inherit) {
        if (inheritDecision == 0) inheritDecision = d.nextDecisionId();
        OGRFeatureUniquePtr row(OGRFeature::CreateFeature(log->GetLayerDefn()));
        row->SetField("decision_id", static_cast<GIntBig>(inheritDecision));
        row->SetField("action", "inherit");
        row->SetField("target_kind", "detection");
        row->SetField("target_id", static_cast<GIntBig>(id));
        row->SetField("detection_id", static_cast<GIntBig>(id));
        row->SetField("detection_key", p.key.c_str());
        row->SetField("old_status", "pending");
        row->SetField("new_status", toString(inherit->status).c_str());
        row->SetField("old_type", toString(p.type).c_str());
        row->SetField("new_type", toString(effective).c_str());
        row->SetField("reviewer", "emitrace");
        row->SetField("decided_at", now.c_str());
        row->SetField("note", ("inherited from detection " + std::to_string(inherit->id) + " (" +
                               inherit->key + ")").c_str());
        row->SetField("undone", 0);
        createFeature(*log, *row, "the review log");
        ++r.inheritedDecisions;
      }
    }
    if (r.added > 0) d.putMetadata("facilities_stale", "1");
    progress.report(1.0, "detections written");
    return r;
  });
}

std::vector<StoredDetection> Inventory::listDetections(const DetectionFilter& filter) const {
  std::string sql = "SELECT fid + 0 AS det_id, * FROM detections" + whereClause(filter);
  switch (filter.order) {
    case DetectionFilter::Order::Id: sql += " ORDER BY fid"; break;
    case DetectionFilter::Order::ProbabilityDescending: sql += " ORDER BY probability DESC, fid"; break;
    case DetectionFilter::Order::ProbabilityAscending: sql += " ORDER BY probability ASC, fid"; break;
  }
  if (filter.limit >= 0 || filter.offset > 0) {
    sql += " LIMIT " + std::to_string(filter.limit >= 0 ? filter.limit : -1) + " OFFSET " +
           std::to_string(std::max<std::int64_t>(0, filter.offset));
  }
  std::vector<StoredDetection> out;
  selectSql(*impl_->ds, sql, [&](OGRFeature& f) { out.push_back(readDetectionRow(f)); });
  return out;
}

std::int64_t Inventory::countDetections(const DetectionFilter& filter) const {
  return selectInt(*impl_->ds, "SELECT COUNT(*) FROM detections" + whereClause(filter));
}

std::optional<StoredDetection> Inventory::detection(std::int64_t id) const {
  DetectionFilter filter;
  filter.ids = {id};
  auto rows = listDetections(filter);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<StoredDetection> Inventory::detectionByKey(const std::string& key) const {
  std::optional<StoredDetection> out;
  selectSql(*impl_->ds,
            "SELECT fid + 0 AS det_id, * FROM detections WHERE detection_key = " + sqlQuote(key),
            [&](OGRFeature& f) { out = readDetectionRow(f); });
  return out;
}

}  // namespace emitrace::inventory
