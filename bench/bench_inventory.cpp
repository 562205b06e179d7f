// Benchmark (not a test): write and merge N detections (default 100,000)
// through the inventory core and report times and file sizes.
//
//   bench_inventory [count] [scratch-dir]
//
// The detections are DMFNet patches of 720 m on a UTM 11N lattice, grouped in
// clusters of 1-8 adjacent tiles of one class (as facilities look), plus 2%
// FLAME plumes near clusters. Steps timed: a plain OGR write of the same
// polygons (the baseline: what GDAL alone costs), addDetections in batches
// of 10,000 (as a scan writes), a merge, re-writing every batch (all
// duplicates: the cost of idempotent shard merges), a bulk rejection, a
// re-merge, the summary and a GeoPackage export.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/inventory/inventory.h"
#include "core/inventory/inventory_export.h"
#include "core/inventory/merge.h"
#include "core/inventory/summary.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"

using namespace emitrace;
using namespace emitrace::inventory;
namespace fs = std::filesystem;

namespace {

class Quiet : public Progress {};

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

double sizeMiB(const std::string& path) {
  std::error_code ec;
  double bytes = 0;
  for (const char* s : {"", "-wal"}) {
    const auto n = fs::file_size(path + s, ec);
    if (!ec) bytes += static_cast<double>(n);
  }
  return bytes / (1024.0 * 1024.0);
}

constexpr double kTile = 720.0, kX0 = 300000.0, kY0 = 4000000.0;
constexpr int kLatticeCols = 2000;

std::string tileWkt(int row, int col) {
  const double x0 = kX0 + col * kTile, y1 = kY0 - row * kTile, x1 = x0 + kTile, y0 = y1 - kTile;
  char buf[256];
  std::snprintf(buf, sizeof buf, "POLYGON((%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f))", x0, y0, x1, y0, x1,
                y1, x0, y1, x0, y0);
  return buf;
}

std::vector<Detection> makeDetections(int count, const std::string& runId, const std::string& plumeRunId) {
  static const std::vector<std::string> kClasses{"CAFOs", "Landfills", "Mines", "ProcessingPlants",
                                                 "RefineriesAndTerminals", "WWTreatment"};
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pos(2, kLatticeCols - 3), size(1, 8), cls(0, 5), step(-1, 1);
  std::uniform_real_distribution<double> prob(0.3, 0.99);
  std::set<std::pair<int, int>> used;
  std::vector<Detection> out;
  const int plumes = count / 50;
  while (static_cast<int>(out.size()) < count - plumes) {
    int row = pos(rng), col = pos(rng);
    const std::string& c = kClasses[cls(rng)];
    const int n = size(rng);
    for (int k = 0; k < n && static_cast<int>(out.size()) < count - plumes; ++k) {
      if (used.insert({row, col}).second) {
        Detection d;
        d.runId = runId;
        d.tileId = static_cast<std::int64_t>(row) * kLatticeCols + col;
        d.modelClass = c;
        d.probability = prob(rng);
        d.classProbabilities = {{c, d.probability}, {"Negative", 1 - d.probability}};
        d.fusionPath = 3;
        d.mafmWeights = {{0.5, 0.3, 0.2}, {0.4, 0.4, 0.2}, {0.3, 0.3, 0.4}};
        d.sceneIds = {"S2A_MSIL1C_20230601", "S1A_IW_GRDH_20230602"};
        d.acquisitionDates = {"2023-06-01", "2023-06-02"};
        d.geometryWkt = tileWkt(row, col);
        d.crs = "EPSG:32611";
        out.push_back(std::move(d));
      }
      row = std::clamp(row + step(rng), 0, kLatticeCols - 1);
      col = std::clamp(col + step(rng), 0, kLatticeCols - 1);
    }
  }
  // Plumes: 300 m squares 400 m east of a random patch.
  std::uniform_int_distribution<size_t> pick(0, out.size() - 1);
  for (int i = 0; i < plumes; ++i) {
    const Detection& near = out[pick(rng)];
    const int row = static_cast<int>(near.tileId / kLatticeCols), col = static_cast<int>(near.tileId % kLatticeCols);
    const double cx = kX0 + (col + 1) * kTile + 400, cy = kY0 - row * kTile - 360;
    char buf[256];
    std::snprintf(buf, sizeof buf, "POLYGON((%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f))", cx - 150, cy - 150,
                  cx + 150, cy - 150, cx + 150, cy + 150, cx - 150, cy + 150, cx - 150, cy - 150);
    Detection d;
    d.runId = plumeRunId;
    d.tileId = i;
    d.modelKind = ModelKind::Flame;
    d.modelClass = "plume";
    d.probability = prob(rng);
    d.plume = PlumeStats{1500, 400, 250, 90000, 1000};
    d.geometryWkt = buf;
    d.crs = "EPSG:32611";
    out.push_back(std::move(d));
  }
  return out;
}

// The baseline: the same polygons written by plain OGR (transformed to
// EPSG:4326, a few fields, one transaction), nothing else.
double baselineWrite(const std::vector<Detection>& detections, const std::string& path) {
  const auto t0 = std::chrono::steady_clock::now();
  GDALDatasetUniquePtr ds(
      GetGDALDriverManager()->GetDriverByName("GPKG")->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  OGRSpatialReference wgs84 = raster::spatialReferenceFrom("EPSG:4326");
  OGRSpatialReference utm = raster::spatialReferenceFrom("EPSG:32611");
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&utm, &wgs84));
  OGRLayer* layer = ds->CreateLayer("detections", &wgs84, wkbMultiPolygon, nullptr);
  for (const char* f : {"model_class", "scene_ids"}) {
    OGRFieldDefn defn(f, OFTString);
    layer->CreateField(&defn);
  }
  OGRFieldDefn p("probability", OFTReal);
  layer->CreateField(&p);
  ds->StartTransaction();
  for (const auto& d : detections) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(d.geometryWkt.c_str(), nullptr, &g);
    g->transform(ct.get());
    f->SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(g));
    f->SetField("model_class", d.modelClass.c_str());
    f->SetField("probability", d.probability);
    f->SetField("scene_ids", "[\"S2A_MSIL1C_20230601\"]");
    if (layer->CreateFeature(f.get()) != OGRERR_NONE) std::fprintf(stderr, "baseline write failed\n");
  }
  ds->CommitTransaction();
  ds.reset();
  return seconds(t0);
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 100000;
  const std::string dir = argc > 2 ? argv[2] : fs::temp_directory_path().string();
  const std::string path = (fs::path(dir) / "bench_inventory.gpkg").string();
  const std::string baselinePath = (fs::path(dir) / "bench_baseline.gpkg").string();
  const std::string exportPath = (fs::path(dir) / "bench_export.gpkg").string();
  raster::ensureGdal();
  for (const auto& p : {path, baselinePath, exportPath}) {
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(p + s);
  }
  Quiet quiet;

  CreateOptions create;
  create.overwrite = true;
  Inventory inv = Inventory::create(path, create);
  RunRecord run;
  run.scanId = "bench";
  const std::string runId = inv.beginRun(run);
  RunRecord plumeRun;
  plumeRun.scanId = "bench-plumes";
  plumeRun.modelKind = ModelKind::Flame;
  const std::string plumeRunId = inv.beginRun(plumeRun);
  const std::vector<Detection> detections = makeDetections(count, runId, plumeRunId);

  const double tBaseline = baselineWrite(detections, baselinePath);
  std::printf("baseline: plain OGR write of %zu polygons: %.2f s, %.1f MiB\n", detections.size(), tBaseline,
              sizeMiB(baselinePath));

  constexpr size_t kBatch = 10000;
  auto t0 = std::chrono::steady_clock::now();
  std::int64_t added = 0;
  for (size_t start = 0; start < detections.size(); start += kBatch) {
    const std::vector<Detection> batch(detections.begin() + start,
                                       detections.begin() + std::min(detections.size(), start + kBatch));
    added += inv.addDetections(batch, {}, quiet).added;
  }
  const double tAdd = seconds(t0);
  std::printf("addDetections: %lld detections in batches of %zu: %.2f s (%.0f /s), file %.1f MiB; %.2fx the baseline\n",
              static_cast<long long>(added), kBatch, tAdd, added / tAdd, sizeMiB(path), tAdd / tBaseline);

  t0 = std::chrono::steady_clock::now();
  MergeResult merged = mergeFacilities(inv, {}, quiet);
  const double tMerge = seconds(t0);
  std::printf("merge: %lld facilities (%lld plumes attached, %lld stand-alone) in %.2f s, file %.1f MiB\n",
              static_cast<long long>(merged.facilities), static_cast<long long>(merged.attachedPlumes),
              static_cast<long long>(merged.standalonePlumeSources), tMerge, sizeMiB(path));

  t0 = std::chrono::steady_clock::now();
  std::int64_t skipped = 0;
  for (size_t start = 0; start < detections.size(); start += kBatch) {
    const std::vector<Detection> batch(detections.begin() + start,
                                       detections.begin() + std::min(detections.size(), start + kBatch));
    skipped += inv.addDetections(batch, {}, quiet).skippedDuplicates;
  }
  std::printf("re-writing every batch (all duplicates, skipped: %lld): %.2f s\n", static_cast<long long>(skipped),
              seconds(t0));

  t0 = std::chrono::steady_clock::now();
  const ReviewOutcome rejected = inv.rejectBelow(0.6, {}, {}, "bench");
  std::printf("bulk reject below 0.6: %lld detections, one decision, %.2f s\n",
              static_cast<long long>(rejected.changed), seconds(t0));

  t0 = std::chrono::steady_clock::now();
  merged = mergeFacilities(inv, {}, quiet);
  std::printf("re-merge after review: %lld facilities in %.2f s\n", static_cast<long long>(merged.facilities),
              seconds(t0));

  t0 = std::chrono::steady_clock::now();
  const InventorySummary summary = summarizeInventory(inv, quiet);
  std::printf("summary: %lld detections, %zu Table 5 rows in %.2f s\n", static_cast<long long>(summary.detections),
              summary.precision.size(), seconds(t0));

  t0 = std::chrono::steady_clock::now();
  ExportOptions exportOptions;
  exportOptions.output = exportPath;
  exportInventory(inv, exportOptions, quiet);
  std::printf("export GeoPackage (all layers): %.2f s, %.1f MiB\n", seconds(t0), sizeMiB(exportPath));
  std::printf("before closing: %.1f MiB with the WAL\n", sizeMiB(path));
  { Inventory closing = std::move(inv); }  // the last connection closes: WAL checkpointed and removed
  std::printf("inventory file: %.1f MiB (%.0f bytes per detection; baseline %.0f); peak RSS %.0f MiB\n",
              sizeMiB(path), sizeMiB(path) * 1024 * 1024 / added,
              sizeMiB(baselinePath) * 1024 * 1024 / added, peakRssMiB());
  return 0;
}
