// Inventory: reading facilities.
#include <nlohmann/json.hpp>

#include "core/inventory/inventory_impl.h"

namespace emitrace::inventory {
namespace {

std::vector<std::int64_t> idList(const char* text) {
  std::vector<std::int64_t> out;
  if (!text || !*text) return out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_number_integer()) out.push_back(v.get<std::int64_t>());
  }
  return out;
}

Facility facilityOf(OGRFeature& f) {
  Facility x;
  x.id = f.GetFieldAsInteger64("fac_id");
  x.key = f.GetFieldAsString("facility_key");
  x.type = parseFacilityType(f.GetFieldAsString("facility_type"));
  x.ipccCode = f.GetFieldAsString("ipcc_code");
  x.ipccSector = f.GetFieldAsString("ipcc_sector");
  x.status = parseReviewStatus(f.GetFieldAsString("review_status"));
  x.confidence = f.GetFieldAsDouble("confidence");
  x.meanProbability = f.GetFieldAsDouble("mean_probability");
  x.memberIds = idList(f.GetFieldAsString("member_ids"));
  x.plumeIds = idList(f.GetFieldAsString("plume_ids"));
  x.centroidLon = f.GetFieldAsDouble("centroid_lon");
  x.centroidLat = f.GetFieldAsDouble("centroid_lat");
  x.areaM2 = f.GetFieldAsDouble("area_m2");
  x.firstAcquisition = f.GetFieldAsString("first_acquisition");
  x.lastAcquisition = f.GetFieldAsString("last_acquisition");
  x.modelKinds = f.GetFieldAsString("model_kinds");
  if (const OGRGeometry* g = f.GetGeometryRef()) {
    char* wkt = nullptr;
    g->exportToWkt(&wkt, wkbVariantIso);
    x.geometryWkt = wkt ? wkt : "";
    CPLFree(wkt);
  }
  return x;
}

}  // namespace

std::vector<Facility> Inventory::listFacilities(const FacilityFilter& filter) const {
  std::vector<std::string> terms;
  auto quoted = [](const std::vector<std::string>& v) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + sqlQuote(v[i]);
    return s + ")";
  };
  if (!filter.ids.empty()) terms.push_back("fid IN " + sqlIdList(filter.ids));
  if (!filter.types.empty()) {
    std::vector<std::string> v;
    for (auto t : filter.types) v.push_back(toString(t));
    terms.push_back("facility_type IN " + quoted(v));
  }
  if (!filter.statuses.empty()) {
    std::vector<std::string> v;
    for (auto s : filter.statuses) v.push_back(toString(s));
    terms.push_back("review_status IN " + quoted(v));
  }
  if (filter.minConfidence) terms.push_back("confidence >= " + sqlNumber(*filter.minConfidence));
  std::string sql = "SELECT fid + 0 AS fac_id, * FROM facilities";
  for (size_t i = 0; i < terms.size(); ++i) sql += (i ? " AND " : " WHERE ") + terms[i];
  sql += " ORDER BY fid";
  if (filter.limit >= 0 || filter.offset > 0) {
    sql += " LIMIT " + std::to_string(filter.limit >= 0 ? filter.limit : -1) + " OFFSET " +
           std::to_string(std::max<std::int64_t>(0, filter.offset));
  }
  std::vector<Facility> out;
  selectSql(*impl_->ds, sql, [&](OGRFeature& f) { out.push_back(facilityOf(f)); });
  return out;
}

std::optional<Facility> Inventory::facility(std::int64_t id) const {
  FacilityFilter filter;
  filter.ids = {id};
  auto rows = listFacilities(filter);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t Inventory::countFacilities() const {
  return selectInt(*impl_->ds, "SELECT COUNT(*) FROM facilities");
}

}  // namespace emitrace::inventory
