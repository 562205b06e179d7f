#include "core/inventory/validation.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

#include "core/inventory/clustering.h"
#include "core/inventory/inventory_impl.h"
#include "core/progress.h"

namespace emitrace::inventory {
namespace {

constexpr const char* kValidationKeyPrefix = "validation:";
// Adjacency tolerance when grouping validated detections into facilities
// (the mergeFacilities default).
constexpr double kFacilityToleranceMetres = 1.0;

// Which reference points count (ValidationOptions::area).
class AreaFilter {
 public:
  AreaFilter(const std::string& area, const Inventory& inventory) {
    if (area.empty()) return;
    active_ = true;
    if (area == "runs") {
      for (const auto& run : inventory.runs()) {
        if (!run.aoiWkt.empty()) addWkt(run.aoiWkt, "the AOI of run " + run.runId);
      }
      if (shapes_.empty()) {
        throw InputError("--area runs: no run of this inventory recorded its AOI; give a box or polygon");
      }
      return;
    }
    std::vector<double> v;
    std::stringstream ss(area);
    std::string item;
    bool numeric = true;
    while (std::getline(ss, item, ',')) {
      char* end = nullptr;
      const double d = std::strtod(item.c_str(), &end);
      if (item.empty() || (end && *end != '\0')) numeric = false;
      v.push_back(d);
    }
    if (numeric && v.size() == 4) {
      if (!(v[0] < v[2] && v[1] < v[3])) {
        throw InputError("area box '" + area + "' must be minLon,minLat,maxLon,maxLat with min < max");
      }
      geo::Polygon box;
      box.rings.push_back({{v[0], v[1]}, {v[2], v[1]}, {v[2], v[3]}, {v[0], v[3]}});
      shapes_.push_back(geo::Shape{box});
      return;
    }
    std::error_code ec;
    if (std::filesystem::exists(area, ec)) {
      GDALDatasetUniquePtr ds = raster::openVector(area);
      OGRLayer* layer = ds->GetLayer(0);
      geo::Wgs84Transformer transformer;
      std::string crs;
      if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
        char* wkt = nullptr;
        srs->exportToWkt(&wkt);
        crs = wkt ? wkt : "";
        CPLFree(wkt);
      }
      for (auto& f : *layer) {
        if (const OGRGeometry* g = f->GetGeometryRef()) {
          char* wkt = nullptr;
          g->exportToWkt(&wkt, wkbVariantIso);
          const std::string text = wkt ? wkt : "";
          CPLFree(wkt);
          addShape(*transformer.toWgs84(text, crs));
        }
      }
      if (shapes_.empty()) throw InputError("area file '" + area + "' has no polygons");
      return;
    }
    addWkt(area, "the area");
  }

  bool contains(double lon, double lat) const {
    if (!active_) return true;
    for (const auto& s : shapes_) {
      if (geo::contains(s, {lon, lat})) return true;
    }
    return false;
  }

 private:
  void addWkt(const std::string& wkt, const std::string& what) {
    geo::Wgs84Transformer transformer;
    std::unique_ptr<OGRGeometry> g;
    try {
      g = transformer.toWgs84(wkt, "EPSG:4326");
    } catch (const InputError&) {
      throw InputError(what + " is neither 'runs', a minLon,minLat,maxLon,maxLat box, a WKT polygon "
                              "nor an existing vector file: '" + wkt.substr(0, 80) + "'");
    }
    addShape(*g);
  }
  void addShape(const OGRGeometry& g) {
    geo::Shape s = geo::shapeOf(g);
    if (!s.empty()) shapes_.push_back(std::move(s));
  }
  bool active_ = false;
  std::vector<geo::Shape> shapes_;
};

std::string fileLabel(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string percent(std::int64_t covered, std::int64_t total) {
  if (total == 0) return "/";
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << 100.0 * covered / total << " % (" << covered << "/" << total << ")";
  return s.str();
}

void accumulate(SectorCoverage& total, const SectorCoverage& s) {
  total.references += s.references;
  total.covered += s.covered;
  total.detectedFacilities += s.detectedFacilities;
  total.outsideReference += s.outsideReference;
}

}  // namespace

std::string toString(CoverageMode mode) { return mode == CoverageMode::Inside ? "inside" : "distance"; }

CoverageMode parseCoverageMode(const std::string& text) {
  if (text == "inside") return CoverageMode::Inside;
  if (text == "distance") return CoverageMode::Distance;
  throw InputError("unknown coverage mode '" + text + "' (expected inside or distance)");
}

void ValidationOptions::validate() const {
  if (reference.empty()) throw InputError("no reference file given (CSV with lon/lat, GeoJSON, GeoPackage)");
  if (mode == CoverageMode::Distance && !(toleranceMetres > 0 && std::isfinite(toleranceMetres))) {
    throw InputError("distance mode needs a tolerance > 0 m, got " + std::to_string(toleranceMetres));
  }
  if (mode == CoverageMode::Inside && toleranceMetres != 0) {
    throw InputError("a tolerance is only used in distance mode (--mode distance)");
  }
}

nlohmann::json ValidationOptions::toJson() const {
  return {{"reference", reference},         {"layer", layer},
          {"lon_field", lonField},          {"lat_field", latField},
          {"class_field", classField},      {"id_field", idField},
          {"name_field", nameField},        {"source", sourceName.empty() ? fileLabel(reference) : sourceName},
          {"mode", toString(mode)},         {"tolerance_m", toleranceMetres},
          {"include_unreviewed", includeUnreviewed}, {"area", area}};
}

nlohmann::json CoverageTable::toJson() const {
  auto row = [](const SectorCoverage& s) {
    return nlohmann::json{{"sector", toString(s.sector)},
                          {"name", displayName(s.sector)},
                          {"references", s.references},
                          {"covered", s.covered},
                          {"coverage", s.references > 0 ? nlohmann::json(s.coverage()) : nlohmann::json()},
                          {"detected_facilities", s.detectedFacilities},
                          {"outside_reference", s.outsideReference}};
  };
  nlohmann::json sectorsJson = nlohmann::json::array();
  for (const auto& s : sectors) sectorsJson.push_back(row(s));
  nlohmann::json totalJson = row(total);
  totalJson["sector"] = "total";
  totalJson["name"] = "Total";
  return {{"source", source},
          {"mode", toString(mode)},
          {"tolerance_m", toleranceMetres},
          {"include_unreviewed", includeUnreviewed},
          {"sectors", sectorsJson},
          {"total", totalJson}};
}

std::string CoverageTable::toText() const {
  std::ostringstream out;
  out << "Coverage of reference '" << source << "' ("
      << (mode == CoverageMode::Inside ? "inside a confirmed detection"
                                       : "within " + std::to_string(static_cast<long long>(toleranceMetres)) +
                                             " m of a confirmed detection")
      << (includeUnreviewed ? ", unreviewed detections included" : "") << ")\n";
  std::vector<std::string> head{""};
  std::vector<std::vector<std::string>> rows(3);
  rows[0].push_back("Total detections");
  rows[1].push_back("Coverage of reference");
  rows[2].push_back("Outside reference");
  auto add = [&](const SectorCoverage& s, const std::string& name) {
    head.push_back(name);
    rows[0].push_back(std::to_string(s.detectedFacilities));
    rows[1].push_back(percent(s.covered, s.references));
    rows[2].push_back(std::to_string(s.outsideReference));
  };
  for (const auto& s : sectors) add(s, displayName(s.sector));
  add(total, "Total");
  std::vector<size_t> width(head.size(), 0);
  for (size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      out << (c ? "  " : "  ") << std::left << std::setw(static_cast<int>(width[c])) << cells[c];
    }
    out << "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
  return out.str();
}

nlohmann::json ValidationResult::toJson() const {
  return {{"table", table.toJson()},
          {"reference_rows", referenceRows},
          {"skipped_no_location", skippedNoLocation},
          {"outside_area", outsideArea},
          {"matches_written", matchesWritten}};
}

CoverageDetail computeCoverage(const Inventory& inventory, const std::vector<ReferencePoint>& points,
                               CoverageMode mode, double toleranceMetres, bool includeUnreviewed,
                               Progress& progress) {
  GDALDataset& ds = *inventory.impl().ds;
  const std::string statuses = includeUnreviewed
                                   ? "review_status IN ('confirmed', 'relabelled', 'pending', 'uncertain')"
                                   : "review_status IN ('confirmed', 'relabelled')";
  std::vector<ClusterItem> items = loadClusterItems(ds, "WHERE effective_type <> 'none' AND " + statuses);
  progress.throwIfCanceled();

  // Facilities: adjacent covering detections of one type (plumes cover
  // points but are not facilities).
  std::vector<const ClusterItem*> facilityItems;
  for (const auto& it : items) {
    if (it.type != FacilityType::MethanePlume) facilityItems.push_back(&it);
  }
  const std::vector<int> component = connectedComponents(facilityItems, kFacilityToleranceMetres);
  std::map<const ClusterItem*, int> componentOf;
  for (size_t i = 0; i < facilityItems.size(); ++i) componentOf[facilityItems[i]] = component[i];
  const int components = component.empty() ? 0 : *std::max_element(component.begin(), component.end()) + 1;
  std::vector<SectorGroup> componentSector(components, SectorGroup::Other);
  std::vector<std::string> componentKey(components);
  for (size_t i = 0; i < facilityItems.size(); ++i) {
    componentSector[component[i]] = info(facilityItems[i]->type).group;
    if (componentKey[component[i]].empty()) componentKey[component[i]] = facilityItems[i]->key;
  }
  std::vector<bool> componentHasReference(components, false);

  geo::GridIndex index(0.02);
  for (size_t i = 0; i < items.size(); ++i) index.insert(static_cast<int>(i), items[i].box);

  CoverageDetail detail;
  detail.coveringDetection.assign(points.size(), -1);
  detail.coveringFacilityKey.assign(points.size(), "");
  detail.distanceMetres.assign(points.size(), std::numeric_limits<double>::quiet_NaN());
  std::map<SectorGroup, SectorCoverage> bySector;
  std::vector<int> candidates;
  const double tol = mode == CoverageMode::Distance ? toleranceMetres : 0.0;
  for (size_t p = 0; p < points.size(); ++p) {
    if (p % 1024 == 0) {
      progress.throwIfCanceled();
      progress.report(0.9 * p / std::max<size_t>(1, points.size()), "matching reference points");
    }
    const ReferencePoint& ref = points[p];
    SectorCoverage& s = bySector[ref.sector];
    s.sector = ref.sector;
    ++s.references;
    const double dLat = geo::metresToDegreesLat(tol) * 1.01 + 1e-12;
    const double dLon = geo::metresToDegreesLon(tol, ref.lat) * 1.01 + 1e-12;
    const geo::Box probe{ref.lon - dLon, ref.lat - dLat, ref.lon + dLon, ref.lat + dLat};
    index.query(probe, candidates);
    const geo::LocalFrame frame(ref.lon, ref.lat);
    double best = std::numeric_limits<double>::infinity();
    int bestItem = -1;
    for (int c : candidates) {
      const ClusterItem& item = items[c];
      if (!item.box.intersects(probe)) continue;
      double dist;
      if (geo::contains(item.shape, {ref.lon, ref.lat})) dist = 0.0;
      else if (tol > 0) dist = geo::distance(frame.project(item.shape), geo::XY{0, 0});
      else continue;
      if (dist <= tol && dist < best) {
        best = dist;
        bestItem = c;
      }
      // Every facility with a reference point inside (or near) it is
      // "inside the reference", not only the nearest one.
      if (dist <= tol) {
        auto it = componentOf.find(&item);
        if (it != componentOf.end()) componentHasReference[it->second] = true;
      }
    }
    if (bestItem >= 0) {
      ++s.covered;
      const ClusterItem& item = items[bestItem];
      detail.coveringDetection[p] = item.id;
      detail.distanceMetres[p] = best;
      auto it = componentOf.find(&item);
      detail.coveringFacilityKey[p] = it != componentOf.end() ? componentKey[it->second] : item.key;
    }
  }
  for (int c = 0; c < components; ++c) {
    SectorCoverage& s = bySector[componentSector[c]];
    s.sector = componentSector[c];
    ++s.detectedFacilities;
    if (!componentHasReference[c]) ++s.outsideReference;
  }
  CoverageTable& table = detail.table;
  table.mode = mode;
  table.toleranceMetres = tol;
  table.includeUnreviewed = includeUnreviewed;
  for (SectorGroup g : allSectorGroups()) {
    auto it = bySector.find(g);
    if (it == bySector.end()) continue;
    table.sectors.push_back(it->second);
    accumulate(table.total, it->second);
  }
  progress.report(1.0, "coverage computed");
  return detail;
}

ValidationResult validateInventory(Inventory& inventory, const ValidationOptions& options, Progress& progress) {
  options.validate();
  Inventory::Impl& d = inventory.impl();
  d.requireWritable();
  ValidationResult result;
  const AreaFilter area(options.area, inventory);
  auto readProgress = progress.sub(0.0, 0.3);
  std::vector<ReferencePoint> all =
      readReferencePoints(options, readProgress, &result.referenceRows, &result.skippedNoLocation);
  std::vector<ReferencePoint> points;
  for (auto& p : all) {
    if (area.contains(p.lon, p.lat)) points.push_back(std::move(p));
    else ++result.outsideArea;
  }
  const std::string source = options.sourceName.empty() ? fileLabel(options.reference) : options.sourceName;
  auto coverProgress = progress.sub(0.3, 0.7);
  CoverageDetail detail = computeCoverage(inventory, points, options.mode, options.toleranceMetres,
                                          options.includeUnreviewed, coverProgress);
  detail.table.source = source;

  d.write([&] {
    OGRLayer* matches = d.layer(schema::kReferenceMatches);
    std::vector<GIntBig> old;
    selectSql(*d.ds, "SELECT fid + 0 FROM reference_matches WHERE source = " + sqlQuote(source),
              [&](OGRFeature& f) { old.push_back(f.GetFieldAsInteger64(0)); });
    for (GIntBig fid : old) {
      raster::GdalErrorCapture errors;
      if (matches->DeleteFeature(fid) != OGRERR_NONE) {
        throwWriteError("cannot replace earlier reference matches", errors.lastError());
      }
    }
    const std::string now = nowIso();
    for (size_t i = 0; i < points.size(); ++i) {
      if (i % 512 == 0) {
        progress.throwIfCanceled();
        progress.report(0.7 + 0.3 * i / std::max<size_t>(1, points.size()), "writing reference matches");
      }
      const ReferencePoint& p = points[i];
      OGRFeatureUniquePtr f(OGRFeature::CreateFeature(matches->GetLayerDefn()));
      OGRPoint pt(p.lon, p.lat);
      f->SetGeometry(&pt);
      f->SetField("source", source.c_str());
      f->SetField("reference_id", p.id.c_str());
      f->SetField("reference_name", p.name.c_str());
      f->SetField("reference_class", p.label.c_str());
      f->SetField("sector_group", toString(p.sector));
      const bool covered = detail.coveringDetection[i] >= 0;
      f->SetField("covered", covered ? 1 : 0);
      f->SetField("match_mode", toString(options.mode).c_str());
      f->SetField("tolerance_m", options.toleranceMetres);
      if (covered) {
        f->SetField("distance_m", detail.distanceMetres[i]);
        f->SetField("detection_id", static_cast<GIntBig>(detail.coveringDetection[i]));
        f->SetField("facility_key", detail.coveringFacilityKey[i].c_str());
      }
      f->SetField("validated_at", now.c_str());
      createFeature(*matches, *f, "a reference match");
    }
    nlohmann::json record = options.toJson();
    record["validated_at"] = now;
    d.putMetadata(kValidationKeyPrefix + source, record.dump());
  });
  result.matchesWritten = static_cast<std::int64_t>(points.size());
  result.table = std::move(detail.table);
  progress.report(1.0, "validation written");
  return result;
}

std::vector<CoverageTable> storedCoverageTables(const Inventory& inventory, Progress& progress) {
  GDALDataset& ds = *inventory.impl().ds;
  std::vector<std::pair<std::string, nlohmann::json>> sources;
  selectSql(ds,
            "SELECT key, value FROM emitrace_metadata WHERE key LIKE 'validation:%' ORDER BY key",
            [&](OGRFeature& f) {
              const std::string key = f.GetFieldAsString(0);
              sources.emplace_back(key.substr(std::string(kValidationKeyPrefix).size()),
                                   nlohmann::json::parse(f.GetFieldAsString(1), nullptr, false));
            });
  std::vector<CoverageTable> tables;
  for (const auto& [source, options] : sources) {
    std::vector<ReferencePoint> points;
    selectSql(ds,
              "SELECT reference_id, reference_name, reference_class, sector_group, geom FROM "
              "reference_matches WHERE source = " + sqlQuote(source) + " ORDER BY fid",
              [&](OGRFeature& f) {
                const OGRGeometry* g = f.GetGeometryRef();
                if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint) return;
                ReferencePoint p;
                p.id = f.GetFieldAsString(0);
                p.name = f.GetFieldAsString(1);
                p.label = f.GetFieldAsString(2);
                p.sector = SectorGroup::Other;
                const std::string group = f.GetFieldAsString(3);
                for (auto s : allSectorGroups()) {
                  if (group == toString(s)) p.sector = s;
                }
                p.lon = g->toPoint()->getX();
                p.lat = g->toPoint()->getY();
                points.push_back(std::move(p));
              });
    const CoverageMode mode =
        options.is_object() ? parseCoverageMode(options.value("mode", "inside")) : CoverageMode::Inside;
    const double tol = options.is_object() ? options.value("tolerance_m", 0.0) : 0.0;
    const bool unreviewed = options.is_object() && options.value("include_unreviewed", false);
    CoverageDetail detail = computeCoverage(inventory, points, mode, tol, unreviewed, progress);
    detail.table.source = source;
    tables.push_back(std::move(detail.table));
  }
  return tables;
}

}  // namespace emitrace::inventory
