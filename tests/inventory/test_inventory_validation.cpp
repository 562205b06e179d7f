// core/inventory validation against the real EPA GHGRP 2018 facility list
// (tests/data/facilities): synthetic detections placed on known facilities
// must give exactly the expected Table 6.
#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <fstream>
#include <map>

#include "core/error.h"
#include "core/inventory/inventory.h"
#include "core/inventory/summary.h"
#include "core/inventory/validation.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"
#include "tests/common/fixtures.h"
#include "tests/inventory/inventory_fixtures.h"

using namespace emitrace;
using namespace emitrace::inventory;

namespace {

template <typename E, typename F>
std::string expectError(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("WRONG TYPE: ") + e.what();
  }
  return "NO EXCEPTION";
}

// Enums compare through their names (QTest cannot print them).
#define QCOMPARE_ENUM(a, b) QCOMPARE(QString::fromStdString(toString(a)), QString::fromStdString(toString(b)))

#define QVERIFY_ERROR(Type, expr, fragment)                                                  \
  do {                                                                                       \
    const std::string _msg = expectError<Type>([&] { (void)(expr); });                       \
    QVERIFY2(_msg.find(fragment) != std::string::npos && _msg.rfind("WRONG TYPE", 0) != 0 && \
                 _msg != "NO EXCEPTION",                                                     \
             ("got: " + _msg).c_str());                                                      \
  } while (0)

class QuietProgress : public Progress {};

struct EpaFacility {
  std::string id;
  std::string cls;
  double lon = 0, lat = 0;
};

// The EPA list read independently of the inventory code (GDAL's CSV driver).
std::vector<EpaFacility> readEpa(int* withoutLocation) {
  raster::ensureGdal();
  const std::string path = emitrace::test::sampleData("facilities/ghgrp2018_methane_classes.csv");
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  std::vector<EpaFacility> out;
  *withoutLocation = 0;
  for (auto& f : *ds->GetLayer(0)) {
    const std::string lon = f->GetFieldAsString("longitude"), lat = f->GetFieldAsString("latitude");
    if (lon.empty() || lat.empty()) {
      ++*withoutLocation;
      continue;
    }
    out.push_back({f->GetFieldAsString("ghgrp_facility_id"), f->GetFieldAsString("classes"), std::stod(lon),
                   std::stod(lat)});
  }
  return out;
}

double haversineMetres(double lon1, double lat1, double lon2, double lat2) {
  const double r = 6371008.8, d = 3.14159265358979323846 / 180;
  const double a = std::pow(std::sin((lat2 - lat1) * d / 2), 2) +
                   std::cos(lat1 * d) * std::cos(lat2 * d) * std::pow(std::sin((lon2 - lon1) * d / 2), 2);
  return 2 * r * std::asin(std::sqrt(a));
}

double nearestOther(const std::vector<EpaFacility>& all, double lon, double lat, const std::string& except) {
  double best = 1e300;
  for (const auto& f : all) {
    if (f.id == except) continue;
    best = std::min(best, haversineMetres(lon, lat, f.lon, f.lat));
  }
  return best;
}

// A square of `size` metres centred `eastMetres` east of (lon, lat), written
// in the point's UTM zone (so detections exercise the CRS transform).
Detection squareAt(const std::string& run, std::int64_t tile, const std::string& cls, ModelKind kind,
                   double lon, double lat, double size = 720.0, double eastMetres = 0.0) {
  const int zone = static_cast<int>(std::floor((lon + 180) / 6)) + 1;
  const std::string crs = "EPSG:" + std::to_string(32600 + zone);
  OGRSpatialReference utm, wgs;
  utm.SetFromUserInput(crs.c_str());
  wgs.SetFromUserInput("EPSG:4326");
  utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &utm));
  double x = lon, y = lat;
  ct->Transform(1, &x, &y);
  Detection d;
  d.runId = run;
  d.tileId = tile;
  d.modelKind = kind;
  d.modelClass = cls;
  d.probability = 0.9;
  d.geometryWkt = emitrace::test::squareWkt(x + eastMetres, y, size);
  d.crs = crs;
  return d;
}

const std::map<std::string, std::pair<std::string, ModelKind>>& modelClassFor() {
  static const std::map<std::string, std::pair<std::string, ModelKind>> kMap{
      {"landfill", {"Landfills", ModelKind::DmfNet}},
      {"gas_processing", {"ProcessingPlants", ModelKind::DmfNet}},
      {"refinery", {"RefineriesAndTerminals", ModelKind::DmfNet}},
      {"industrial_wastewater", {"WWTreatment", ModelKind::DmfNet}},
      {"coal_mine_underground", {"Mines", ModelKind::DmfNet}},
      {"cement", {"cement", ModelKind::FusionNet}}};
  return kMap;
}

// Facilities of a class with no other facility within `isolation` metres,
// in file order.
std::vector<EpaFacility> isolated(const std::vector<EpaFacility>& all, const std::string& cls, size_t count,
                               double isolation, size_t skip = 0) {
  std::vector<EpaFacility> out;
  for (const auto& f : all) {
    if (f.cls != cls || nearestOther(all, f.lon, f.lat, f.id) < isolation) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    out.push_back(f);
    if (out.size() == count) break;
  }
  return out;
}

const SectorCoverage* column(const CoverageTable& t, SectorGroup g) {
  for (const auto& s : t.sectors) {
    if (s.sector == g) return &s;
  }
  return nullptr;
}

}  // namespace

class TestInventoryValidation : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase();
  void epaTable6();
  void distanceMode();
  void areaRestriction();
  void badReferenceInput();

 private:
  std::vector<EpaFacility> epa_;
  int epaWithoutLocation_ = 0;
  std::string epaPath_;
};

void TestInventoryValidation::initTestCase() {
  epa_ = readEpa(&epaWithoutLocation_);
  epaPath_ = emitrace::test::sampleData("facilities/ghgrp2018_methane_classes.csv");
  // Facts about the fixture the expected tables below rest on.
  QCOMPARE(int(epa_.size()) + epaWithoutLocation_, 2048);
  QCOMPARE(epaWithoutLocation_, 7);
}

void TestInventoryValidation::epaTable6() {
  QTemporaryDir dir;
  Inventory inv = Inventory::create(dir.filePath("inv.gpkg").toStdString());
  const std::string run = emitrace::test::beginTestRun(inv);
  // Confirmed detections on isolated facilities (no other facility within
  // 3 km, so each 720 m patch holds exactly one reference point).
  const std::vector<std::pair<std::string, size_t>> plan{{"landfill", 3},      {"gas_processing", 2},
                                                          {"refinery", 2},      {"industrial_wastewater", 1},
                                                          {"cement", 1},        {"coal_mine_underground", 1}};
  std::vector<Detection> confirmed, rejected, pending;
  std::vector<std::string> coveredIds;
  std::int64_t tile = 0;
  for (const auto& [cls, n] : plan) {
    for (const auto& f : isolated(epa_, cls, n, 3000)) {
      const auto& [modelClass, kind] = modelClassFor().at(cls);
      confirmed.push_back(squareAt(run, tile++, modelClass, kind, f.lon, f.lat));
      coveredIds.push_back(f.id);
    }
  }
  QCOMPARE(confirmed.size(), size_t(10));
  // Rejected and pending detections on two other landfills and a refinery:
  // they must not count.
  for (const auto& f : isolated(epa_, "landfill", 2, 3000, 3)) {
    rejected.push_back(squareAt(run, tile++, "Landfills", ModelKind::DmfNet, f.lon, f.lat));
  }
  for (const auto& f : isolated(epa_, "refinery", 1, 3000, 2)) {
    pending.push_back(squareAt(run, tile++, "RefineriesAndTerminals", ModelKind::DmfNet, f.lon, f.lat));
  }
  // Two confirmed detections where the EPA list has nothing within 5 km:
  // outside the reference.
  int outside = 0;
  for (const auto& f : epa_) {
    const double lon = f.lon + 0.25, lat = f.lat;  // ~20 km east
    if (nearestOther(epa_, lon, lat, "") < 5000) continue;
    confirmed.push_back(squareAt(run, tile++, outside == 0 ? "Landfills" : "RefineriesAndTerminals",
                                 ModelKind::DmfNet, lon, lat));
    if (++outside == 2) break;
  }
  inv.addDetections(confirmed);
  const auto rej = inv.addDetections(rejected);
  const auto pend = inv.addDetections(pending);
  std::vector<std::int64_t> confirmedIds;
  for (std::int64_t id = 1; id <= std::int64_t(confirmed.size()); ++id) confirmedIds.push_back(id);
  inv.review({ReviewTarget::Detection, confirmedIds, ReviewStatus::Confirmed, std::nullopt, {}, "ana"});
  inv.review({ReviewTarget::Detection, rej.ids, ReviewStatus::Rejected, std::nullopt, {}, "ana"});

  QuietProgress p;
  ValidationOptions options;
  options.reference = epaPath_;
  const ValidationResult result = validateInventory(inv, options, p);
  QCOMPARE(result.referenceRows, std::int64_t(2048));
  QCOMPARE(result.skippedNoLocation, std::int64_t(7));
  QCOMPARE(result.matchesWritten, std::int64_t(2041));
  const CoverageTable& t = result.table;
  QCOMPARE(t.source, std::string("ghgrp2018_methane_classes.csv"));
  struct Expected {
    SectorGroup group;
    std::int64_t references, covered, detected, outside;
  };
  // references: rows with a location per class of the file (landfill 1135;
  // gas_processing 449 + lng_terminal 8 + lng_storage 5; refinery 140;
  // industrial_wastewater 139; coal_mine_underground 73; cement 92).
  const std::vector<Expected> expected{{SectorGroup::SolidWaste, 1135, 3, 4, 1},
                                       {SectorGroup::OilAndGas, 462, 2, 2, 0},
                                       {SectorGroup::PetroleumRefining, 140, 2, 3, 1},
                                       {SectorGroup::Wastewater, 139, 1, 1, 0},
                                       {SectorGroup::CoalMining, 73, 1, 1, 0},
                                       {SectorGroup::Cement, 92, 1, 1, 0}};
  QCOMPARE(t.sectors.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const SectorCoverage& s = t.sectors[i];
    QCOMPARE_ENUM(s.sector, expected[i].group);
    QCOMPARE(s.references, expected[i].references);
    QCOMPARE(s.covered, expected[i].covered);
    QCOMPARE(s.detectedFacilities, expected[i].detected);
    QCOMPARE(s.outsideReference, expected[i].outside);
  }
  QCOMPARE(t.total.references, std::int64_t(2041));
  QCOMPARE(t.total.covered, std::int64_t(10));
  QCOMPARE(t.total.detectedFacilities, std::int64_t(12));
  QCOMPARE(t.total.outsideReference, std::int64_t(2));
  const std::string text = t.toText();
  QVERIFY2(text.find("0.3 % (3/1135)") != std::string::npos, text.c_str());

  // reference_matches: one row per located reference point; the covered
  // ones name the detection on them.
  GDALDatasetUniquePtr ds(GDALDataset::Open(inv.path().c_str(), GDAL_OF_VECTOR));
  OGRLayer* matches = ds->GetLayerByName("reference_matches");
  QCOMPARE(matches->GetFeatureCount(), GIntBig(2041));
  matches->SetAttributeFilter("covered = 1");
  QCOMPARE(matches->GetFeatureCount(), GIntBig(10));
  std::map<std::string, std::int64_t> coveringOf;
  for (auto& f : *matches) coveringOf[f->GetFieldAsString("reference_id")] = f->GetFieldAsInteger64("detection_id");
  for (size_t i = 0; i < coveredIds.size(); ++i) QCOMPARE(coveringOf[coveredIds[i]], std::int64_t(i + 1));
  ds.reset();

  // The summary recomputes the table against the current review state:
  // after undoing the confirmation nothing is covered any more.
  InventorySummary summary = summarizeInventory(inv, p);
  QCOMPARE(summary.coverage.size(), size_t(1));
  QCOMPARE(summary.coverage[0].total.covered, std::int64_t(10));
  inv.undoLastDecision();  // the rejection
  inv.undoLastDecision();  // the confirmation
  summary = summarizeInventory(inv, p);
  QCOMPARE(summary.coverage[0].total.covered, std::int64_t(0));
  QCOMPARE(summary.coverage[0].total.detectedFacilities, std::int64_t(0));
  // Unreviewed detections count when asked: all 15 patches cover now
  // (12 + the pending refinery; the 2 formerly rejected are pending again).
  options.includeUnreviewed = true;
  const ValidationResult before = validateInventory(inv, options, p);
  QCOMPARE(before.table.total.covered, std::int64_t(13));
  QCOMPARE(column(before.table, SectorGroup::PetroleumRefining)->covered, std::int64_t(3));
  // Validating again replaces the rows of that source.
  ds.reset(GDALDataset::Open(inv.path().c_str(), GDAL_OF_VECTOR));
  QCOMPARE(ds->GetLayerByName("reference_matches")->GetFeatureCount(), GIntBig(2041));
}

void TestInventoryValidation::distanceMode() {
  QTemporaryDir dir;
  Inventory inv = Inventory::create(dir.filePath("inv.gpkg").toStdString());
  const std::string run = emitrace::test::beginTestRun(inv);
  // A 720 m patch whose west edge is 400 m east of an isolated landfill.
  const EpaFacility f = isolated(epa_, "landfill", 1, 3000).front();
  inv.addDetections({squareAt(run, 0, "Landfills", ModelKind::DmfNet, f.lon, f.lat, 720, 760)});
  inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Confirmed});
  QuietProgress p;
  ValidationOptions options;
  options.reference = epaPath_;
  options.sourceName = "EPA";
  QCOMPARE(validateInventory(inv, options, p).table.total.covered, std::int64_t(0));
  options.mode = CoverageMode::Distance;
  options.toleranceMetres = 350;
  QCOMPARE(validateInventory(inv, options, p).table.total.covered, std::int64_t(0));
  options.toleranceMetres = 450;
  const ValidationResult r = validateInventory(inv, options, p);
  QCOMPARE(r.table.total.covered, std::int64_t(1));
  QCOMPARE(r.table.total.outsideReference, std::int64_t(0));
  GDALDatasetUniquePtr ds(GDALDataset::Open(inv.path().c_str(), GDAL_OF_VECTOR));
  OGRLayer* matches = ds->GetLayerByName("reference_matches");
  matches->SetAttributeFilter(("reference_id = '" + f.id + "'").c_str());
  OGRFeatureUniquePtr m(matches->GetNextFeature());
  QVERIFY(m);
  QCOMPARE(m->GetFieldAsInteger("covered"), 1);
  // Distance from the facility to the patch edge: 400 m (UTM scale ~0.9996-1.0004).
  QVERIFY2(std::abs(m->GetFieldAsDouble("distance_m") - 400.0) < 1.0,
           qPrintable(QString::number(m->GetFieldAsDouble("distance_m"))));
  QCOMPARE(QString(m->GetFieldAsString("source")), QString("EPA"));
  QCOMPARE(QString(m->GetFieldAsString("match_mode")), QString("distance"));
}

void TestInventoryValidation::areaRestriction() {
  QTemporaryDir dir;
  Inventory inv = Inventory::create(dir.filePath("inv.gpkg").toStdString());
  RunRecord run;
  run.aoiWkt = "POLYGON((-95.6 29.5,-94.8 29.5,-94.8 30.1,-95.6 30.1,-95.6 29.5))";  // Houston
  inv.beginRun(run);
  QuietProgress p;
  ValidationOptions options;
  options.reference = epaPath_;
  auto expectedIn = [&](double x0, double y0, double x1, double y1) {
    std::map<std::string, std::int64_t> n;
    for (const auto& f : epa_) {
      if (f.lon >= x0 && f.lon <= x1 && f.lat >= y0 && f.lat <= y1) ++n[f.cls];
    }
    return n;
  };
  options.area = "runs";
  ValidationResult r = validateInventory(inv, options, p);
  auto n = expectedIn(-95.6, 29.5, -94.8, 30.1);
  std::int64_t inHouston = 0;
  for (const auto& [cls, count] : n) inHouston += count;
  QVERIFY(inHouston > 10);
  QCOMPARE(r.table.total.references, inHouston);
  QCOMPARE(column(r.table, SectorGroup::PetroleumRefining)->references, n["refinery"]);
  QCOMPARE(r.outsideArea + r.matchesWritten, std::int64_t(2041));
  options.area = "-118.6,33.6,-117.7,34.3";  // Los Angeles
  r = validateInventory(inv, options, p);
  n = expectedIn(-118.6, 33.6, -117.7, 34.3);
  QCOMPARE(column(r.table, SectorGroup::SolidWaste)->references, n["landfill"]);
  QCOMPARE(r.table.total.references, std::int64_t(23));
}

void TestInventoryValidation::badReferenceInput() {
  QTemporaryDir dir;
  Inventory inv = Inventory::create(dir.filePath("inv.gpkg").toStdString());
  QuietProgress p;
  ValidationOptions options;
  QVERIFY_ERROR(InputError, validateInventory(inv, options, p), "no reference file");
  options.reference = dir.filePath("missing.csv").toStdString();
  QVERIFY_ERROR(IoError, validateInventory(inv, options, p), "not found");
  const std::string noCoords = dir.filePath("names.csv").toStdString();
  std::ofstream(noCoords) << "name,kind\nA,landfill\n";
  options.reference = noCoords;
  QVERIFY_ERROR(InputError, validateInventory(inv, options, p), "no longitude/latitude columns");
  options.reference = epaPath_;
  options.classField = "sector_name";
  QVERIFY_ERROR(InputError, validateInventory(inv, options, p), "no class field 'sector_name'");
  options.classField.clear();
  options.mode = CoverageMode::Distance;
  QVERIFY_ERROR(InputError, validateInventory(inv, options, p), "tolerance > 0");
  options.mode = CoverageMode::Inside;
  options.toleranceMetres = 100;
  QVERIFY_ERROR(InputError, validateInventory(inv, options, p), "only used in distance mode");
  options.toleranceMetres = 0;
  options.area = "runs";
  QVERIFY_ERROR(InputError, validateInventory(inv, options, p), "no run of this inventory recorded its AOI");
  options.area = "10,10,5,5";
  QVERIFY_ERROR(InputError, validateInventory(inv, options, p), "min < max");
  // A GeoJSON reference with point geometry in another CRS works too.
  const std::string geojson = dir.filePath("ref.geojson").toStdString();
  std::ofstream(geojson) << R"json({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32611"}},
    "features":[{"type":"Feature","properties":{"id":"cm-1","sector":"Solid Waste (6A)"},
    "geometry":{"type":"Point","coordinates":[400360,3759640]}}]})json";
  const std::string run = emitrace::test::beginTestRun(inv);
  inv.addDetections({emitrace::test::patch(run, 0, 0, "Landfills")});
  inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Confirmed});
  ValidationOptions gj;
  gj.reference = geojson;
  const ValidationResult r = validateInventory(inv, gj, p);
  QCOMPARE(r.table.total.covered, std::int64_t(1));
  QCOMPARE_ENUM(r.table.sectors.front().sector, SectorGroup::SolidWaste);
  QCOMPARE(r.table.sectors.front().outsideReference, std::int64_t(0));
}

QTEST_GUILESS_MAIN(TestInventoryValidation)
#include "test_inventory_validation.moc"
