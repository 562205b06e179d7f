#include "core/inventory/summary.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <sstream>

#include "core/inventory/clustering.h"
#include "core/inventory/inventory_impl.h"
#include "core/progress.h"

namespace emitrace::inventory {
namespace {

const std::vector<ReviewStatus>& statuses() {
  static const std::vector<ReviewStatus> kAll{ReviewStatus::Pending, ReviewStatus::Confirmed,
                                              ReviewStatus::Rejected, ReviewStatus::Relabelled,
                                              ReviewStatus::Uncertain};
  return kAll;
}

// Left-aligned first column, right-aligned numbers.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return {};
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], r[c].size());
  }
  std::ostringstream out;
  for (const auto& r : rows) {
    out << "  ";
    for (size_t c = 0; c < r.size(); ++c) {
      if (c == 0) out << std::left << std::setw(static_cast<int>(width[c])) << r[c];
      else out << "  " << std::right << std::setw(static_cast<int>(width[c])) << r[c];
    }
    out << "\n";
  }
  return out.str();
}

std::string fixed3(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << v;
  return s.str();
}

}  // namespace

InventorySummary summarizeInventory(const Inventory& inventory, Progress& progress) {
  GDALDataset& ds = *inventory.impl().ds;
  InventorySummary s;
  s.path = inventory.path();
  s.schemaVersion = inventory.schemaVersion();
  s.createdAt = inventory.createdAt();
  s.runs = selectInt(ds, "SELECT COUNT(*) FROM runs");
  s.facilities = inventory.countFacilities();
  s.facilitiesStale = inventory.facilitiesStale();
  const auto lastMerge = nlohmann::json::parse(inventory.metadata("last_merge"), nullptr, false);
  if (lastMerge.is_object()) s.lastMergeAt = lastMerge.value("merged_at", "");
  s.reviewDecisions = selectInt(
      ds, "SELECT COUNT(DISTINCT decision_id) FROM review_log WHERE undone = 0 AND action <> 'undo'");

  // Counts, grouped in SQL.
  std::map<FacilityType, PrecisionRow> rows;
  selectSql(ds,
            "SELECT facility_type, effective_type, review_status, model_kind, ipcc_code, COUNT(*) "
            "FROM detections GROUP BY 1, 2, 3, 4, 5",
            [&](OGRFeature& f) {
              const FacilityType predicted = parseFacilityType(f.GetFieldAsString(0));
              const FacilityType effective = parseFacilityType(f.GetFieldAsString(1));
              const ReviewStatus status = parseReviewStatus(f.GetFieldAsString(2));
              const std::string model = f.GetFieldAsString(3);
              const std::string ipcc = f.GetFieldAsString(4);
              const std::int64_t n = f.GetFieldAsInteger64(5);
              s.detections += n;
              s.byTypeAndStatus[effective][status] += n;
              s.byStatus[status] += n;
              s.byModel[model] += n;
              if (effective != FacilityType::None) {
                const SectorGroup g = effective == FacilityType::MethanePlume ? sectorGroupForIpccCode(ipcc)
                                                                              : info(effective).group;
                s.detectionsBySector[g] += n;
              }
              if (predicted == FacilityType::None) return;
              PrecisionRow& r = rows[predicted];
              r.type = predicted;
              r.initial += n;
              if (status == ReviewStatus::Rejected || status == ReviewStatus::Relabelled) r.falsePositives += n;
              else if (status == ReviewStatus::Confirmed) r.validated += n;
              else r.unreviewed += n;
            });
  selectSql(ds, "SELECT ipcc_code, facility_type, COUNT(*) FROM facilities GROUP BY 1, 2", [&](OGRFeature& f) {
    const FacilityType t = parseFacilityType(f.GetFieldAsString(1));
    s.facilitiesBySector[t == FacilityType::MethanePlume ? SectorGroup::Other : info(t).group] +=
        f.GetFieldAsInteger64(2);
  });
  progress.report(0.2, "counting facilities");
  progress.throwIfCanceled();

  // Facility counts of validated detections by effective type.
  // Plumes are detections of emissions, not facilities: they count in the
  // precision columns but not in the facility column.
  std::vector<ClusterItem> validated = loadClusterItems(
      ds, "WHERE effective_type NOT IN ('none', 'methane_plume') AND review_status IN ('confirmed', 'relabelled')");
  std::vector<const ClusterItem*> ptrs;
  for (const auto& v : validated) ptrs.push_back(&v);
  const std::vector<int> component = connectedComponents(ptrs, 1.0);
  std::map<int, FacilityType> componentType;
  for (size_t i = 0; i < ptrs.size(); ++i) componentType[component[i]] = ptrs[i]->type;
  for (const auto& [c, t] : componentType) {
    PrecisionRow& r = rows[t];
    r.type = t;
    ++r.facilities;
  }
  PrecisionRow total;
  for (FacilityType t : allFacilityTypes()) {
    auto it = rows.find(t);
    if (it == rows.end()) continue;
    PrecisionRow& r = it->second;
    if (r.validated + r.falsePositives > 0) r.precision = double(r.validated) / (r.validated + r.falsePositives);
    total.initial += r.initial;
    total.falsePositives += r.falsePositives;
    total.validated += r.validated;
    total.unreviewed += r.unreviewed;
    total.facilities += r.facilities;
    s.precision.push_back(r);
  }
  if (total.validated + total.falsePositives > 0) {
    total.precision = double(total.validated) / (total.validated + total.falsePositives);
  }
  s.precision.push_back(total);

  auto coverageProgress = progress.sub(0.4, 1.0);
  s.coverage = storedCoverageTables(inventory, coverageProgress);
  progress.report(1.0, "summary ready");
  return s;
}

nlohmann::json InventorySummary::toJson() const {
  nlohmann::json j;
  j["path"] = path;
  j["schema_version"] = schemaVersion;
  j["created_at"] = createdAt;
  j["runs"] = runs;
  j["detections"] = detections;
  j["facilities"] = facilities;
  j["facilities_stale"] = facilitiesStale;
  j["last_merge_at"] = lastMergeAt;
  j["review_decisions"] = reviewDecisions;
  nlohmann::json byType = nlohmann::json::object();
  for (const auto& [t, m] : byTypeAndStatus) {
    nlohmann::json row = nlohmann::json::object();
    for (const auto& [st, n] : m) row[toString(st)] = n;
    byType[toString(t)] = row;
  }
  j["detections_by_type_and_status"] = byType;
  nlohmann::json byS = nlohmann::json::object();
  for (const auto& [st, n] : byStatus) byS[toString(st)] = n;
  j["detections_by_status"] = byS;
  nlohmann::json dSector = nlohmann::json::object(), fSector = nlohmann::json::object();
  for (const auto& [g, n] : detectionsBySector) dSector[toString(g)] = n;
  for (const auto& [g, n] : facilitiesBySector) fSector[toString(g)] = n;
  j["detections_by_sector"] = dSector;
  j["facilities_by_sector"] = fSector;
  j["detections_by_model"] = byModel;
  nlohmann::json table5 = nlohmann::json::array();
  for (const auto& r : precision) {
    table5.push_back({{"type", r.type == FacilityType::None ? "total" : toString(r.type)},
                      {"initial", r.initial},
                      {"false_positives", r.falsePositives},
                      {"validated", r.validated},
                      {"unreviewed", r.unreviewed},
                      {"precision", r.precision ? nlohmann::json(*r.precision) : nlohmann::json()},
                      {"facilities", r.facilities}});
  }
  j["table5"] = table5;
  nlohmann::json table6 = nlohmann::json::array();
  for (const auto& c : coverage) table6.push_back(c.toJson());
  j["table6"] = table6;
  return j;
}

std::string InventorySummary::toText() const {
  std::ostringstream out;
  out << "Inventory " << path << " (schema " << schemaVersion << ", created " << createdAt << ")\n";
  out << "  " << runs << " runs, " << detections << " detections, " << facilities << " facilities";
  if (!lastMergeAt.empty()) out << " (merged " << lastMergeAt << ")";
  if (facilitiesStale) out << " -- out of date: run `emitrace inventory merge`";
  out << ", " << reviewDecisions << " review decisions\n\n";

  out << "Detections by type and review status:\n";
  std::vector<std::vector<std::string>> rows{{"type", "pending", "confirmed", "rejected", "relabelled",
                                              "uncertain", "total", "IPCC"}};
  for (FacilityType t : allFacilityTypes()) {
    auto it = byTypeAndStatus.find(t);
    if (it == byTypeAndStatus.end()) continue;
    std::vector<std::string> r{info(t).displayName};
    std::int64_t sum = 0;
    for (auto st : statuses()) {
      const auto n = it->second.count(st) ? it->second.at(st) : 0;
      sum += n;
      r.push_back(std::to_string(n));
    }
    r.push_back(std::to_string(sum));
    r.push_back(*info(t).ipccCode ? info(t).ipccCode : "-");
    rows.push_back(r);
  }
  out << table(rows) << "\n";

  out << "By sector (detections / facilities):\n";
  rows = {{"sector", "detections", "facilities"}};
  for (auto g : allSectorGroups()) {
    const auto d = detectionsBySector.count(g) ? detectionsBySector.at(g) : 0;
    const auto f = facilitiesBySector.count(g) ? facilitiesBySector.at(g) : 0;
    if (d == 0 && f == 0) continue;
    rows.push_back({displayName(g), std::to_string(d), std::to_string(f)});
  }
  out << table(rows) << "\n";

  out << "Review precision by type (Table 5 view):\n";
  rows = {{"category", "initial", "false pos.", "validated", "unreviewed", "precision", "facilities"}};
  for (const auto& r : precision) {
    rows.push_back({r.type == FacilityType::None ? "Total" : info(r.type).displayName, std::to_string(r.initial),
                    std::to_string(r.falsePositives), std::to_string(r.validated),
                    std::to_string(r.unreviewed), r.precision ? fixed3(*r.precision) : "/",
                    std::to_string(r.facilities)});
  }
  out << table(rows);
  for (const auto& c : coverage) out << "\n" << c.toText();
  if (coverage.empty()) out << "\nNo reference validation yet (`emitrace inventory validate`).\n";
  return out.str();
}

}  // namespace emitrace::inventory
