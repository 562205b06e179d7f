// Demo step "inventory": a facility inventory built from SYNTHETIC detections
// placed on REAL EPA GHGRP 2018 facilities in the Los Angeles area (the
// DMFNet paper's transfer region), then merged, reviewed by a scripted
// analyst, validated against the EPA list and summarised (Tables 5 and 6).
// The model steps replace the synthetic detections with real scans.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>

#include "app/cli/demo_steps.h"
#include "core/data_paths.h"
#include "core/inventory/coordinates.h"
#include "core/inventory/inventory.h"
#include "core/inventory/inventory_export.h"
#include "core/inventory/merge.h"
#include "core/inventory/summary.h"
#include "core/inventory/validation.h"
#include "core/raster/grid.h"

namespace emitrace::cli {
namespace {

using namespace emitrace::inventory;

// The scan area (lon/lat) and the 720 m tile lattice of a 10 m UTM 11N grid.
constexpr double kMinLon = -118.6, kMinLat = 33.6, kMaxLon = -117.7, kMaxLat = 34.3;
constexpr const char* kUtm = "EPSG:32611";
constexpr int kPatchPx = 72;

struct Lattice {
  raster::GridSpec grid;
  int cols = 0;
  int rows = 0;
  // Tile (row, col) containing a lon/lat point.
  std::pair<int, int> tileOf(double lon, double lat) const {
    const auto xy = fromLonLat(lon, lat, kUtm);
    const auto px = grid.toPixel(xy[0], xy[1]);
    return {static_cast<int>(std::floor(px[1] / kPatchPx)), static_cast<int>(std::floor(px[0] / kPatchPx))};
  }
  std::int64_t id(int row, int col) const { return static_cast<std::int64_t>(row) * cols + col; }
  std::string footprint(int row, int col) const {
    return grid.footprintWkt({col * kPatchPx, row * kPatchPx, kPatchPx, kPatchPx});
  }
};

Lattice makeLattice() {
  raster::Bounds b{1e300, 1e300, -1e300, -1e300};
  for (double lon : {kMinLon, kMaxLon}) {
    for (double lat : {kMinLat, kMaxLat}) {
      const auto xy = fromLonLat(lon, lat, kUtm);
      b = {std::min(b.minX, xy[0]), std::min(b.minY, xy[1]), std::max(b.maxX, xy[0]), std::max(b.maxY, xy[1])};
    }
  }
  Lattice l;
  l.grid = raster::makeGrid(kUtm, 10.0, 10.0, b);
  l.cols = (l.grid.width + kPatchPx - 1) / kPatchPx;
  l.rows = (l.grid.height + kPatchPx - 1) / kPatchPx;
  return l;
}

const char* dmfnetClassFor(const std::string& epaClass) {
  if (epaClass == "landfill") return "Landfills";
  if (epaClass == "refinery") return "RefineriesAndTerminals";
  if (epaClass == "industrial_wastewater") return "WWTreatment";
  if (epaClass == "gas_processing") return "ProcessingPlants";
  if (epaClass == "coal_mine_underground") return "Mines";
  return nullptr;
}

// What the synthetic scan "found", with the truth the scripted analyst uses.
struct Synthetic {
  Detection detection;
  bool truePositive = false;
  std::string trueClass;  // DMFNet class of the facility underneath
};

Detection patchDetection(const std::string& runId, const Lattice& lattice, int row, int col,
                         const std::string& cls, double probability, std::mt19937& rng) {
  static const std::vector<std::string> kClasses{"CAFOs", "Landfills", "Mines", "ProcessingPlants",
                                                 "RefineriesAndTerminals", "WWTreatment", "Negative"};
  Detection d;
  d.runId = runId;
  d.tileId = lattice.id(row, col);
  d.modelKind = ModelKind::DmfNet;
  d.modelClass = cls;
  d.probability = probability;
  // The other classes share the rest of the probability mass.
  std::uniform_real_distribution<double> share(0.1, 1.0);
  std::vector<double> weights;
  double sum = 0;
  for (size_t i = 0; i + 1 < kClasses.size(); ++i) sum += weights.emplace_back(share(rng));
  size_t k = 0;
  for (const auto& c : kClasses) {
    if (c == cls) d.classProbabilities[c] = probability;
    else if (k < weights.size()) d.classProbabilities[c] = (1 - probability) * weights[k++] / sum;
  }
  std::uniform_int_distribution<int> path(2, 5);
  d.fusionPath = path(rng);
  std::uniform_real_distribution<double> w(0.15, 0.55);
  for (int stage = 0; stage < 4; ++stage) {
    const double rgb = w(rng), ir = w(rng), sar = w(rng), s = rgb + ir + sar;
    d.mafmWeights.push_back({rgb / s, ir / s, sar / s});
  }
  d.sceneIds = {"S2B_MSIL1C_20230614T183919_N0509_R070_T11SLT", "S1A_IW_GRDH_1SDV_20230612T135532"};
  d.acquisitionDates = {"2023-06-14", "2023-06-12"};
  d.geometryWkt = lattice.footprint(row, col);
  d.crs = lattice.grid.crsWkt;
  d.extrasJson = R"({"synthetic": true})";
  return d;
}

}  // namespace

void demoInventory(DemoContext& context) {
  namespace fs = std::filesystem;
  const std::string epa = findDataFile("samples/facilities/ghgrp2018_methane_classes.csv");
  const std::string path = (fs::path(context.outDir) / "inventory.gpkg").string();
  std::mt19937 rng(20250601);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);

  // Real facilities in the scan area.
  auto readProgress = context.progress.sub(0.0, 0.1);
  ValidationOptions epaOptions;
  epaOptions.reference = epa;
  std::vector<ReferencePoint> facilities;
  for (auto& p : readReferencePoints(epaOptions, readProgress)) {
    if (p.lon >= kMinLon && p.lon <= kMaxLon && p.lat >= kMinLat && p.lat <= kMaxLat) facilities.push_back(p);
  }
  const Lattice lattice = makeLattice();
  context.log << "  " << facilities.size() << " EPA GHGRP 2018 facilities in the Los Angeles scan area; "
              << lattice.rows << " x " << lattice.cols << " tiles of 720 m (UTM 11N)\n";

  CreateOptions create;
  create.overwrite = true;
  Inventory inv = Inventory::create(path, create);
  RunRecord run;
  run.scanId = "demo-la-2023";
  run.modelKind = ModelKind::DmfNet;
  run.modelFile = "(synthetic detections: no model file)";
  run.aoi = "-118.6,33.6,-117.7,34.3,EPSG:4326";
  run.aoiWkt = "POLYGON((-118.6 33.6,-117.7 33.6,-117.7 34.3,-118.6 34.3,-118.6 33.6))";
  run.inputs = {"synthetic Sentinel-2/Sentinel-1 tiles"};
  run.parametersJson = R"({"synthetic": true, "seed": 20250601, "patch": "720m"})";
  const std::string runId = inv.beginRun(run);

  // Detections: most facilities are found (large landfills over two tiles),
  // one refinery is mistaken for a gas plant, and some empty tiles are false
  // positives.
  std::vector<Synthetic> scan;
  std::set<std::int64_t> used;
  int missed = 0, misclassified = 0;
  for (const auto& f : facilities) {
    const char* cls = dmfnetClassFor(f.label);
    if (!cls) continue;
    if (uniform(rng) < 0.15) {
      ++missed;
      continue;
    }
    const auto [row, col] = lattice.tileOf(f.lon, f.lat);
    std::string predicted = cls;
    if (misclassified == 0 && f.label == "refinery") {
      predicted = "ProcessingPlants";
      ++misclassified;
    }
    if (!used.insert(lattice.id(row, col)).second) continue;
    const double p = 0.6 + 0.38 * uniform(rng);
    scan.push_back({patchDetection(runId, lattice, row, col, predicted, p, rng), true, cls});
    if (f.label == "landfill" && uniform(rng) < 0.6) {
      const int dr = uniform(rng) < 0.5 ? 0 : 1, dc = dr == 0 ? 1 : (uniform(rng) < 0.5 ? 0 : 1);
      if (used.insert(lattice.id(row + dr, col + dc)).second) {
        scan.push_back({patchDetection(runId, lattice, row + dr, col + dc, cls, 0.55 + 0.3 * uniform(rng), rng),
                        true, cls});
      }
    }
  }
  // Two municipal wastewater plants the EPA direct-emitter list does not
  // hold (Hyperion, El Segundo; Joint Water Pollution Control Plant,
  // Carson): real facilities outside the reference.
  for (const auto& [lon, lat] : std::vector<std::pair<double, double>>{{-118.4283, 33.9229}, {-118.2810, 33.8050}}) {
    const auto [row, col] = lattice.tileOf(lon, lat);
    if (!used.insert(lattice.id(row, col)).second) continue;
    scan.push_back({patchDetection(runId, lattice, row, col, "WWTreatment", 0.9, rng), true, "WWTreatment"});
  }
  static const std::vector<std::string> kFalseClasses{"Landfills", "RefineriesAndTerminals", "WWTreatment",
                                                      "CAFOs", "Mines"};
  std::uniform_int_distribution<int> pickRow(0, lattice.rows - 1), pickCol(0, lattice.cols - 1), pickClass(0, 4);
  for (int i = 0; i < 14; ++i) {
    const int row = pickRow(rng), col = pickCol(rng);
    if (!used.insert(lattice.id(row, col)).second) continue;
    scan.push_back({patchDetection(runId, lattice, row, col, kFalseClasses[pickClass(rng)], 0.3 + 0.5 * uniform(rng), rng),
                    false, ""});
  }
  std::vector<Detection> batch;
  for (const auto& s : scan) batch.push_back(s.detection);
  auto writeProgress = context.progress.sub(0.1, 0.3);
  inv.addDetections(batch, {}, writeProgress);
  inv.finishRun(runId);

  // A plume scan: plumes next to three landfills, and one over open land.
  RunRecord plumeRun;
  plumeRun.scanId = "demo-la-plumes";
  plumeRun.modelKind = ModelKind::Flame;
  plumeRun.modelFile = "(synthetic plumes: no model file)";
  plumeRun.aoiWkt = run.aoiWkt;
  const std::string plumeRunId = inv.beginRun(plumeRun);
  std::vector<Detection> plumes;
  int plumeIndex = 0;
  for (const auto& f : facilities) {
    if (f.label != "landfill" || plumeIndex == 3) continue;
    const auto xy = fromLonLat(f.lon, f.lat, kUtm);
    Detection d;
    d.runId = plumeRunId;
    d.tileId = plumeIndex;
    d.modelKind = ModelKind::Flame;
    d.modelClass = "plume";
    d.probability = 0.7 + 0.1 * plumeIndex;
    const double cx = xy[0] + 450, cy = xy[1] + 150, h = 150;  // downwind of the site
    d.geometryWkt = "POLYGON((" + std::to_string(cx - h) + " " + std::to_string(cy - h) + "," +
                    std::to_string(cx + h) + " " + std::to_string(cy - h) + "," + std::to_string(cx + h) + " " +
                    std::to_string(cy + h) + "," + std::to_string(cx - h) + " " + std::to_string(cy + h) + "," +
                    std::to_string(cx - h) + " " + std::to_string(cy - h) + "))";
    d.crs = kUtm;
    d.plume = PlumeStats{1800.0 + 300 * plumeIndex, 520.0, 240.0 + 60 * plumeIndex, 90000.0, 1000};
    d.sceneIds = {"ang20230614t190000"};
    d.acquisitionDates = {"2023-06-14"};
    plumes.push_back(d);
    ++plumeIndex;
  }
  inv.addDetections(plumes);
  inv.finishRun(plumeRunId);

  auto mergeProgress = context.progress.sub(0.3, 0.5);
  MergeResult merged = mergeFacilities(inv, {}, mergeProgress);
  context.log << "  synthetic scan: " << scan.size() << " positive tiles (" << missed
              << " facilities missed on purpose), " << plumes.size() << " plumes -> " << merged.facilities
              << " candidate facilities, " << merged.attachedPlumes << " plumes attached\n";

  // The scripted analyst: confirms true detections, rejects false ones,
  // relabels the misclassified refinery, is unsure about one, changes their
  // mind once (undo), and bulk-rejects what is left below 0.5.
  const std::string analyst = "demo-analyst";
  bool uncertainDone = false;
  for (const auto& d : inv.listDetections()) {
    if (d.detection.modelKind == ModelKind::Flame) {
      inv.review({ReviewTarget::Detection, {d.id}, ReviewStatus::Confirmed, std::nullopt, "plume visible", analyst});
      continue;
    }
    const auto it = std::find_if(scan.begin(), scan.end(), [&](const Synthetic& s) {
      return s.detection.tileId == d.detection.tileId && s.detection.modelClass == d.detection.modelClass;
    });
    if (it == scan.end()) continue;
    ReviewDecision decision;
    decision.ids = {d.id};
    decision.reviewer = analyst;
    if (!it->truePositive) {
      if (d.detection.probability < 0.5) continue;  // left for the bulk rejection
      decision.status = ReviewStatus::Rejected;
      decision.note = "no facility in the imagery";
    } else if (it->trueClass != d.detection.modelClass) {
      decision.status = ReviewStatus::Relabelled;
      decision.newType = parseFacilityType(it->trueClass);
      decision.note = "storage tanks and flares: a refinery";
    } else if (!uncertainDone && d.detection.probability < 0.7) {
      decision.status = ReviewStatus::Uncertain;
      decision.note = "cloud shadow over half the patch";
      uncertainDone = true;
    } else {
      decision.status = ReviewStatus::Confirmed;
    }
    inv.review(decision);
  }
  // A decision taken back and made again: undo, then the same decision.
  const ReviewLogEntry last = inv.reviewLog(1).front();
  inv.undoLastDecision(analyst);
  ReviewDecision again;
  again.ids = {last.detectionId};
  again.status = last.newStatus;
  if (last.newStatus == ReviewStatus::Relabelled) again.newType = parseFacilityType(last.newType);
  again.note = last.note;
  again.reviewer = analyst;
  inv.review(again);
  const auto rejected = inv.rejectBelow(0.5, {}, "probability below 0.5", analyst);
  context.log << "  review: " << inv.reviewLog().size() << " log rows (one decision undone and redone, "
              << rejected.changed << " pending detections bulk-rejected below 0.5)\n";

  auto remergeProgress = context.progress.sub(0.5, 0.7);
  MergeOptions afterReview;
  merged = mergeFacilities(inv, afterReview, remergeProgress);

  // Validation against the EPA list, counting only facilities in the scan area.
  ValidationOptions validation;
  validation.reference = epa;
  validation.sourceName = "EPA GHGRP 2018";
  validation.area = "runs";
  auto validateProgress = context.progress.sub(0.7, 0.9);
  const ValidationResult validated = validateInventory(inv, validation, validateProgress);

  auto summaryProgress = context.progress.sub(0.9, 0.97);
  const InventorySummary summary = summarizeInventory(inv, summaryProgress);
  std::istringstream text(summary.toText());
  for (std::string line; std::getline(text, line);) context.log << "  " << line << "\n";

  ExportOptions geojson;
  geojson.output = (fs::path(context.outDir) / "facilities.geojson").string();
  geojson.statuses = {ReviewStatus::Confirmed};
  auto exportProgress = context.progress.sub(0.97, 1.0);
  exportInventory(inv, geojson, exportProgress);
  context.log << "  inventory -> " << path << "; confirmed facilities -> " << geojson.output << "\n";

  context.summary["inventory"] = path;
  context.summary["facilities_in_area"] = facilities.size();
  context.summary["positive_tiles"] = scan.size();
  context.summary["merge"] = merged.toJson();
  context.summary["validation"] = validated.toJson();
  context.summary["summary"] = summary.toJson();
}

}  // namespace emitrace::cli
