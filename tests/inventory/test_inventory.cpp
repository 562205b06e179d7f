// core/inventory: the GeoPackage store (schema round trip), merging on
// hand-built tile grids, review decisions and undo, inherited decisions,
// the summary tables, export and the stored QGIS styles.
#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/inventory/geo.h"
#include "core/inventory/inventory.h"
#include "core/inventory/inventory_export.h"
#include "core/inventory/layer_styles.h"
#include "core/inventory/merge.h"
#include "core/inventory/summary.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"
#include "tests/inventory/inventory_fixtures.h"

using namespace emitrace;
using namespace emitrace::inventory;
using emitrace::test::patch;
using emitrace::test::plume;
using emitrace::test::tileWkt;

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

class CancelAfter : public Progress {
 public:
  explicit CancelAfter(int after) : after_(after) {}

 protected:
  void onReport(double, const std::string&) override {
    if (++calls_ >= after_) cancel();
  }

 private:
  int after_;
  int calls_ = 0;
};

// UTM 11N -> lon/lat with GDAL directly (independent of the inventory code).
std::array<double, 2> toLonLat(double x, double y) {
  OGRSpatialReference utm, wgs;
  utm.SetFromUserInput("EPSG:32611");
  wgs.SetFromUserInput("EPSG:4326");
  utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&utm, &wgs));
  ct->Transform(1, &x, &y);
  return {x, y};
}

MergeResult merge(Inventory& inv, MergeOptions options = {}) {
  QuietProgress p;
  return mergeFacilities(inv, options, p);
}

std::map<FacilityType, int> facilityCounts(const Inventory& inv) {
  std::map<FacilityType, int> counts;
  for (const auto& f : inv.listFacilities()) ++counts[f.type];
  return counts;
}

}  // namespace

class TestInventory : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void init();
  void facilityTypeNames_data();
  void facilityTypeNames();
  void referenceLabels_data();
  void referenceLabels();
  void sha256KnownVectors();
  void localFrameAreaAndCentroid();
  void schemaRoundTrip();
  void createRefusesExisting();
  void badDetectionsWriteNothing_data();
  void badDetectionsWriteNothing();
  void duplicatesAreRecognised();
  void cancelledWriteLeavesNothing();
  void mergeHandBuiltGrids_data();
  void mergeHandBuiltGrids();
  void mergeCentroidAndArea();
  void mergeAcrossRunsAndOverlappingTiles();
  void reMergeRespectsDecisions();
  void plumesAttachToNearestFacility();
  void reviewAndUndo();
  void facilityDecisionAndUndo();
  void reviewBadInput();
  void bulkRejectBelow();
  void rescansInheritDecisions();
  void summaryTable5();
  void exportFormats();
  void exportBadInput();
  void stylesStored();

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::string path(const char* name) const { return dir_->filePath(name).toStdString(); }
};

void TestInventory::init() { dir_ = std::make_unique<QTemporaryDir>(); }

void TestInventory::facilityTypeNames_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<QString>("type");
  QTest::addColumn<QString>("ipcc");
  QTest::newRow("CAFOs") << "CAFOs" << "cafo" << "4A/4B";
  QTest::newRow("Landfills") << "Landfills" << "landfill" << "6A";
  QTest::newRow("Mines") << "Mines" << "coal_mine" << "1B1";
  QTest::newRow("ProcessingPlants") << "ProcessingPlants" << "gas_processing" << "1B2";
  QTest::newRow("RefineriesAndTerminals") << "RefineriesAndTerminals" << "refinery_terminal" << "1A1b";
  QTest::newRow("WWTreatment") << "WWTreatment" << "wastewater" << "6B";
  QTest::newRow("Negative") << "Negative" << "none" << "";
  QTest::newRow("cement") << "cement" << "cement" << "2A1";
  QTest::newRow("plume") << "plume" << "methane_plume" << "";
  QTest::newRow("display name") << "Proc plants" << "gas_processing" << "1B2";
  QTest::newRow("id, other case") << "REFINERY_TERMINAL" << "refinery_terminal" << "1A1b";
}

void TestInventory::facilityTypeNames() {
  QFETCH(QString, name);
  QFETCH(QString, type);
  QFETCH(QString, ipcc);
  const FacilityType t = parseFacilityType(name.toStdString());
  QCOMPARE(QString::fromStdString(toString(t)), type);
  QCOMPARE(QString(info(t).ipccCode), ipcc);
}

void TestInventory::referenceLabels_data() {
  QTest::addColumn<QString>("label");
  QTest::addColumn<QString>("sector");
  // EPA GHGRP classes of the test fixture.
  QTest::newRow("landfill") << "landfill" << "solid_waste";
  QTest::newRow("gas_processing") << "gas_processing" << "oil_and_gas";
  QTest::newRow("refinery") << "refinery" << "petroleum_refining";
  QTest::newRow("industrial_wastewater") << "industrial_wastewater" << "waste_water";
  QTest::newRow("cement") << "cement" << "cement";
  QTest::newRow("coal_mine_underground") << "coal_mine_underground" << "coal_mining";
  QTest::newRow("lng_terminal") << "lng_terminal" << "oil_and_gas";
  QTest::newRow("lng_storage") << "lng_storage" << "oil_and_gas";
  // Carbon Mapper-style sector names and bare IPCC codes.
  QTest::newRow("Solid Waste (6A)") << "Solid Waste (6A)" << "solid_waste";
  QTest::newRow("Oil & Gas (1B2)") << "Oil & Gas (1B2)" << "oil_and_gas";
  QTest::newRow("1A1b") << "1A1b" << "petroleum_refining";
  QTest::newRow("Livestock (4B)") << "Livestock (4B)" << "agriculture";
  QTest::newRow("Wastewater (6D)") << "Wastewater (6D)" << "waste_water";
  QTest::newRow("unspecified") << "unspecified" << "other";
  QTest::newRow("empty") << "" << "other";
}

void TestInventory::referenceLabels() {
  QFETCH(QString, label);
  QFETCH(QString, sector);
  QCOMPARE(QString(toString(sectorGroupForReferenceLabel(label.toStdString()))), sector);
}

void TestInventory::sha256KnownVectors() {
  QCOMPARE(QString::fromStdString(sha256Hex("")),
           QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  QCOMPARE(QString::fromStdString(sha256Hex("abc")),
           QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  // Two blocks, and a file hashed in chunks equals the string hash.
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  QCOMPARE(QString::fromStdString(sha256Hex(text)),
           QString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
  std::string big(200000, 'x');
  std::ofstream(path("blob.bin"), std::ios::binary) << big;
  QCOMPARE(fileSha256(path("blob.bin")), sha256Hex(big));
  QVERIFY_ERROR(IoError, fileSha256(path("missing.bin")), "cannot read");
}

void TestInventory::localFrameAreaAndCentroid() {
  // A 720 m UTM square transformed to lon/lat: area and centroid measured in
  // the local equal-area frame agree with the UTM values (UTM scale factor
  // near 0.9996 at 117 W: area within 0.2%).
  const auto a = toLonLat(400000, 3759280), b = toLonLat(400720, 3759280);
  const auto c = toLonLat(400720, 3760000), d = toLonLat(400000, 3760000);
  geo::Polygon poly;
  poly.rings.push_back({{a[0], a[1]}, {b[0], b[1]}, {c[0], c[1]}, {d[0], d[1]}});
  const geo::Shape lonLat{poly};
  const geo::XY centre = geo::boxOf(lonLat).centre();
  const geo::LocalFrame frame(centre.x, centre.y);
  const double area = geo::area(frame.project(lonLat));
  QVERIFY2(std::abs(area / (720.0 * 720.0) - 1.0) < 0.002, qPrintable(QString::number(area)));
  const geo::XY cm = geo::centroid(frame.project(lonLat));
  const geo::XY cl = frame.inverse(cm.x, cm.y);
  const auto expected = toLonLat(400360, 3759640);
  QVERIFY(std::abs(cl.x - expected[0]) < 1e-6 && std::abs(cl.y - expected[1]) < 1e-6);
  // Forward/inverse round trip.
  const geo::XY p = frame.forward(-117.5, 34.2);
  const geo::XY back = frame.inverse(p.x, p.y);
  QVERIFY(std::abs(back.x + 117.5) < 1e-10 && std::abs(back.y - 34.2) < 1e-10);
  // A hole subtracts.
  geo::Polygon holed;
  holed.rings.push_back({{0, 0}, {10, 0}, {10, 10}, {0, 10}});
  holed.rings.push_back({{2, 2}, {4, 2}, {4, 4}, {2, 4}});
  QCOMPARE(geo::area(geo::Shape{holed}), 96.0);
  QVERIFY(!geo::contains(geo::Shape{holed}, {3, 3}));
  QVERIFY(geo::contains(geo::Shape{holed}, {10, 5}));  // boundary counts
}

void TestInventory::schemaRoundTrip() {
  const std::string file = path("inv.gpkg");
  std::string runId;
  Detection d = patch("", 3, 4, "Landfills", 0.83);
  {
    Inventory inv = Inventory::create(file);
    QCOMPARE(inv.schemaVersion(), kSchemaVersion);
    RunRecord run;
    run.scanId = "scan-la-2023";
    run.shardIndex = 1;
    run.shardCount = 4;
    run.modelKind = ModelKind::DmfNet;
    run.modelFile = "/models/dmfnet.pt";
    run.modelSha256 = sha256Hex("weights");
    run.modelMetadataJson = R"({"kind":"dmfnet","classes":["CAFOs","Landfills"]})";
    run.inputs = {"/vsis3/bucket/s2.tif", "s1.tif"};
    run.aoi = "-118.5,33.7,-117.9,34.3";
    run.aoiWkt = "POLYGON((-118.5 33.7,-117.9 33.7,-117.9 34.3,-118.5 34.3,-118.5 33.7))";
    run.parametersJson = R"({"threshold":0.778,"patch":"720m"})";
    runId = inv.beginRun(run);
    QCOMPARE(runId.size(), size_t(32));
    d.runId = runId;
    d.classProbabilities = {{"CAFOs", 0.01}, {"Landfills", 0.83}, {"Mines", 0.02}, {"ProcessingPlants", 0.03},
                            {"RefineriesAndTerminals", 0.05}, {"WWTreatment", 0.04}, {"Negative", 0.02}};
    d.fusionPath = 4;
    d.mafmWeights = {{0.6, 0.3, 0.1}, {0.5, 0.25, 0.25}, {0.2, 0.5, 0.3}};
    d.plume = PlumeStats{2100.5, 640.25, 512.0, 42000.0, 420};
    d.extrasJson = R"({"cam_peak":[12,40],"threshold":0.778})";
    const auto added = inv.addDetections({d});
    QCOMPARE(added.added, std::int64_t(1));
    inv.finishRun(runId, RunStatus::Finished);
  }
  Inventory inv = Inventory::open(file, {true});
  QVERIFY(inv.readOnly());
  QVERIFY(inv.facilitiesStale());
  const auto runs = inv.runs();
  QCOMPARE(runs.size(), size_t(1));
  const RunRecord& r = runs.front();
  QCOMPARE(r.runId, runId);
  QCOMPARE(r.scanId, std::string("scan-la-2023"));
  QCOMPARE(r.shardIndex, 1);
  QCOMPARE(r.shardCount, 4);
  QVERIFY(r.softwareVersion.rfind("emitrace ", 0) == 0);
  QCOMPARE(r.modelSha256, sha256Hex("weights"));
  QCOMPARE(r.inputs, (std::vector<std::string>{"/vsis3/bucket/s2.tif", "s1.tif"}));
  QCOMPARE_ENUM(r.status, RunStatus::Finished);
  QCOMPARE(r.detectionCount, std::int64_t(1));
  QVERIFY(!r.startedAt.empty() && !r.finishedAt.empty() && r.startedAt <= r.finishedAt);
  QVERIFY(r.modelMetadataJson.find("Landfills") != std::string::npos);

  const auto rows = inv.listDetections();
  QCOMPARE(rows.size(), size_t(1));
  const StoredDetection& s = rows.front();
  QCOMPARE(s.key, std::string("scan-la-2023/3004/dmfnet/Landfills/0"));
  QCOMPARE(s.scanId, std::string("scan-la-2023"));
  QCOMPARE_ENUM(s.predictedType, FacilityType::Landfill);
  QCOMPARE_ENUM(s.effectiveType, FacilityType::Landfill);
  QCOMPARE(s.ipccCode, std::string("6A"));
  QCOMPARE_ENUM(s.status, ReviewStatus::Pending);
  QCOMPARE(s.sourceCrs, std::string("EPSG:32611"));
  const Detection& back = s.detection;
  QCOMPARE(back.runId, runId);
  QCOMPARE(back.tileId, std::int64_t(3004));
  QCOMPARE(back.modelClass, std::string("Landfills"));
  QCOMPARE(back.probability, 0.83);
  QCOMPARE(back.classProbabilities, d.classProbabilities);
  QCOMPARE(*back.fusionPath, 4);
  QCOMPARE(back.mafmWeights.size(), size_t(3));
  QCOMPARE(back.mafmWeights[2].ir, 0.5);
  QVERIFY(back.plume.has_value());
  QCOMPARE(back.plume->maxEnhancementPpmM, 2100.5);
  QCOMPARE(back.plume->meanEnhancementPpmM, 640.25);
  QCOMPARE(back.plume->imeKg, 512.0);
  QCOMPARE(back.plume->pixelCount, std::int64_t(420));
  QCOMPARE(back.sceneIds, d.sceneIds);
  QCOMPARE(back.acquisitionDates, d.acquisitionDates);
  QVERIFY(back.extrasJson.find("cam_peak") != std::string::npos);
  // Geometry stored in EPSG:4326: the tile's corner transformed by GDAL.
  OGRGeometry* g = nullptr;
  OGRGeometryFactory::createFromWkt(back.geometryWkt.c_str(), nullptr, &g);
  std::unique_ptr<OGRGeometry> geom(g);
  QCOMPARE(wkbFlatten(geom->getGeometryType()), wkbMultiPolygon);
  OGREnvelope env;
  geom->getEnvelope(&env);
  const auto corner = toLonLat(emitrace::test::kOriginX + 4 * 720, emitrace::test::kOriginY - 3 * 720);
  QVERIFY(std::abs(env.MinX - corner[0]) < 1e-3 && std::abs(env.MaxY - corner[1]) < 1e-3);
  // by key and by id
  QVERIFY(inv.detectionByKey(s.key).has_value());
  QCOMPARE(inv.detection(s.id)->key, s.key);
  QVERIFY(!inv.detection(999).has_value());
  // Read-only: changes are refused with a clear error.
  QVERIFY_ERROR(InputError, inv.addDetections({d}), "read-only");
}

void TestInventory::createRefusesExisting() {
  const std::string file = path("inv.gpkg");
  { Inventory::create(file); }
  QVERIFY_ERROR(IoError, Inventory::create(file), "exists");
  CreateOptions overwrite;
  overwrite.overwrite = true;
  Inventory inv = Inventory::create(file, overwrite);
  QCOMPARE(inv.countDetections(), std::int64_t(0));
  QVERIFY(!std::filesystem::exists(path("inv.partial.gpkg")));
}

void TestInventory::badDetectionsWriteNothing_data() {
  QTest::addColumn<int>("which");
  QTest::addColumn<QString>("fragment");
  QTest::newRow("probability") << 0 << "probability in [0, 1]";
  QTest::newRow("unknown class") << 1 << "not a known facility type";
  QTest::newRow("bad WKT") << 2 << "not valid WKT";
  QTest::newRow("point") << 3 << "POLYGON or MULTIPOLYGON";
  QTest::newRow("unknown run") << 4 << "not in this inventory";
  QTest::newRow("fusion path") << 5 << "fusion path must be 1..5";
  QTest::newRow("self-intersecting") << 6 << "not a valid polygon";
  QTest::newRow("extras not JSON") << 7 << "extras are not valid JSON";
  QTest::newRow("bad CRS") << 8 << "unknown coordinate reference system";
  QTest::newRow("dates vs scenes") << 9 << "one date per scene";
}

void TestInventory::badDetectionsWriteNothing() {
  QFETCH(int, which);
  QFETCH(QString, fragment);
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  std::vector<Detection> batch{patch(run, 0, 0, "Landfills"), patch(run, 0, 1, "Landfills")};
  Detection& bad = batch[1];
  switch (which) {
    case 0: bad.probability = 1.2; break;
    case 1: bad.modelClass = "Volcano"; break;
    case 2: bad.geometryWkt = "POLYGON((0 0, 1"; break;
    case 3: bad.geometryWkt = "POINT(400000 3760000)"; break;
    case 4: bad.runId = "nope"; break;
    case 5: bad.fusionPath = 7; break;
    case 6: bad.geometryWkt = "POLYGON((400000 3760000,400720 3759280,400720 3760000,400000 3759280,400000 3760000))"; break;
    case 7: bad.extrasJson = "{cam:"; break;
    case 8: bad.crs = "EPSG:999999"; break;
    case 9: bad.acquisitionDates = {"2023-06-01"}; break;
  }
  QVERIFY_ERROR(InputError, inv.addDetections(batch), fragment.toStdString());
  QVERIFY_ERROR(InputError, inv.addDetections(batch), "detection 2 of 2");
  QCOMPARE(inv.countDetections(), std::int64_t(0));
}

void TestInventory::duplicatesAreRecognised() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv, "scan-1");
  std::vector<Detection> batch{patch(run, 0, 0, "Landfills"), patch(run, 0, 1, "Landfills")};
  QCOMPARE(inv.addDetections(batch).added, std::int64_t(2));
  // The same batch again (a re-run shard): nothing new.
  const auto again = inv.addDetections(batch);
  QCOMPARE(again.added, std::int64_t(0));
  QCOMPARE(again.skippedDuplicates, std::int64_t(2));
  // Another run of the same scan (a second shard) writing an overlapping tile.
  const std::string shard = emitrace::test::beginTestRun(inv, "scan-1");
  batch = {patch(shard, 0, 1, "Landfills"), patch(shard, 0, 2, "Landfills")};
  const auto shardResult = inv.addDetections(batch);
  QCOMPARE(shardResult.added, std::int64_t(1));
  QCOMPARE(shardResult.skippedDuplicates, std::int64_t(1));
  // The Error policy rejects the whole batch.
  AddDetectionsOptions strict;
  strict.duplicates = DuplicatePolicy::Error;
  batch = {patch(shard, 0, 3, "Landfills"), patch(shard, 0, 0, "Landfills")};
  QVERIFY_ERROR(InputError, inv.addDetections(batch, strict), "duplicates the detection 'scan-1/0/dmfnet/Landfills/0'");
  QCOMPARE(inv.countDetections(), std::int64_t(3));
  // Same tile, another class: a different detection.
  QCOMPARE(inv.addDetections({patch(shard, 0, 0, "WWTreatment")}).added, std::int64_t(1));
}

void TestInventory::cancelledWriteLeavesNothing() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  std::vector<Detection> batch;
  for (int i = 0; i < 3000; ++i) batch.push_back(patch(run, i / 60, i % 60, "Landfills"));
  CancelAfter cancel(9);  // during the writing phase
  QVERIFY_ERROR(Canceled, inv.addDetections(batch, {}, cancel), "");
  QCOMPARE(inv.countDetections(), std::int64_t(0));
  QCOMPARE(inv.addDetections(batch).added, std::int64_t(3000));
  // A cancelled merge keeps the previous facilities.
  merge(inv);
  const auto before = inv.countFacilities();
  inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Rejected});
  CancelAfter cancelMerge(3);
  QVERIFY_ERROR(Canceled, mergeFacilities(inv, {}, cancelMerge), "");
  QCOMPARE(inv.countFacilities(), before);
  QVERIFY(inv.facilitiesStale());
}

void TestInventory::mergeHandBuiltGrids_data() {
  // Tiles as "row,col,class;..." and the expected facilities per type.
  QTest::addColumn<QString>("tiles");
  QTest::addColumn<int>("landfills");
  QTest::addColumn<int>("wastewater");
  QTest::addColumn<QString>("memberCounts");  // sorted member counts
  QTest::newRow("single") << "0,0,L" << 1 << 0 << "1";
  QTest::newRow("edge neighbours") << "0,0,L;0,1,L" << 1 << 0 << "2";
  QTest::newRow("diagonal neighbours") << "0,0,L;1,1,L" << 1 << 0 << "2";
  QTest::newRow("anti-diagonal") << "0,1,L;1,0,L" << 1 << 0 << "2";
  QTest::newRow("one tile apart") << "0,0,L;0,2,L" << 2 << 0 << "1,1";
  QTest::newRow("knight move") << "0,0,L;1,2,L" << 2 << 0 << "1,1";
  QTest::newRow("diagonal chain") << "0,0,L;1,1,L;2,2,L;3,3,L" << 1 << 0 << "4";
  QTest::newRow("mixed classes adjacent") << "0,0,L;0,1,W" << 1 << 1 << "1,1";
  QTest::newRow("mixed classes checkerboard") << "0,0,L;0,1,W;1,0,W;1,1,L" << 1 << 1 << "2,2";
  QTest::newRow("bridge of another class") << "0,0,L;0,1,W;0,2,L" << 2 << 1 << "1,1,1";
  QTest::newRow("ring with hole") << "0,0,L;0,1,L;0,2,L;1,0,L;1,2,L;2,0,L;2,1,L;2,2,L" << 1 << 0 << "8";
  QTest::newRow("two blocks") << "0,0,L;0,1,L;1,0,L;5,5,L;5,6,L" << 2 << 0 << "2,3";
  QTest::newRow("negative ignored") << "0,0,L;0,1,N;0,2,L" << 2 << 0 << "1,1";
}

void TestInventory::mergeHandBuiltGrids() {
  QFETCH(QString, tiles);
  QFETCH(int, landfills);
  QFETCH(int, wastewater);
  QFETCH(QString, memberCounts);
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  std::vector<Detection> batch;
  for (const QString& t : tiles.split(';')) {
    const QStringList p = t.split(',');
    const QString cls = p[2] == "L" ? "Landfills" : p[2] == "W" ? "WWTreatment" : "Negative";
    batch.push_back(patch(run, p[0].toInt(), p[1].toInt(), cls.toStdString()));
  }
  inv.addDetections(batch);
  const MergeResult result = merge(inv);
  auto counts = facilityCounts(inv);
  QCOMPARE(counts[FacilityType::Landfill], landfills);
  QCOMPARE(counts[FacilityType::Wastewater], wastewater);
  QCOMPARE(result.facilities, std::int64_t(landfills + wastewater));
  QVERIFY(!inv.facilitiesStale());
  std::vector<int> members;
  for (const auto& f : inv.listFacilities()) members.push_back(static_cast<int>(f.memberIds.size()));
  std::sort(members.begin(), members.end());
  QStringList got;
  for (int m : members) got << QString::number(m);
  QCOMPARE(got.join(','), memberCounts);
  // Every non-negative detection points at its facility, and the facility
  // lists it back.
  for (const auto& d : inv.listDetections()) {
    if (d.effectiveType == FacilityType::None) {
      QVERIFY(!d.facilityId);
      continue;
    }
    QVERIFY(d.facilityId.has_value());
    const auto f = inv.facility(*d.facilityId);
    QVERIFY(std::find(f->memberIds.begin(), f->memberIds.end(), d.id) != f->memberIds.end());
    QCOMPARE_ENUM(f->type, d.effectiveType);
  }
  // Merging again gives the same facilities (keys are stable).
  std::vector<std::string> keys;
  for (const auto& f : inv.listFacilities()) keys.push_back(f.key);
  merge(inv);
  std::vector<std::string> keys2;
  for (const auto& f : inv.listFacilities()) keys2.push_back(f.key);
  QCOMPARE(keys2, keys);
}

void TestInventory::mergeCentroidAndArea() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  // An L of three tiles: (0,0), (0,1), (1,0). Area 3 tiles; centroid of the
  // L in UTM: x = 400000 + (360+1080+360)/3, y = 3760000 - (360+360+1080)/3.
  inv.addDetections({patch(run, 0, 0, "Landfills", 0.9), patch(run, 0, 1, "Landfills", 0.6),
                     patch(run, 1, 0, "Landfills", 0.75)});
  merge(inv);
  const auto facilities = inv.listFacilities();
  QCOMPARE(facilities.size(), size_t(1));
  const Facility& f = facilities.front();
  QCOMPARE_ENUM(f.type, FacilityType::Landfill);
  QCOMPARE(f.ipccCode, std::string("6A"));
  QCOMPARE_ENUM(f.status, ReviewStatus::Pending);
  QCOMPARE(f.confidence, 0.9);
  QVERIFY(std::abs(f.meanProbability - 0.75) < 1e-12);
  QVERIFY2(std::abs(f.areaM2 / (3 * 720.0 * 720.0) - 1) < 0.002, qPrintable(QString::number(f.areaM2)));
  const auto expected = toLonLat(400000 + 600, 3760000 - 600);
  // 1e-5 degrees is about 1 m.
  QVERIFY2(std::abs(f.centroidLon - expected[0]) < 1e-5 && std::abs(f.centroidLat - expected[1]) < 1e-5,
           qPrintable(QString("%1 %2 vs %3 %4").arg(f.centroidLon, 0, 'f', 7).arg(f.centroidLat, 0, 'f', 7)
                          .arg(expected[0], 0, 'f', 7).arg(expected[1], 0, 'f', 7)));
  QCOMPARE(f.firstAcquisition, std::string("2023-06-01"));
  QCOMPARE(f.lastAcquisition, std::string("2023-06-02"));
  // The centroid point layer holds the same location.
  GDALDatasetUniquePtr ds(GDALDataset::Open(path("inv.gpkg").c_str(), GDAL_OF_VECTOR));
  OGRLayer* points = ds->GetLayerByName("facility_points");
  QCOMPARE(points->GetFeatureCount(), GIntBig(1));
  OGRFeatureUniquePtr p(points->GetNextFeature());
  const OGRPoint* pt = p->GetGeometryRef()->toPoint();
  QCOMPARE(pt->getX(), f.centroidLon);
  QCOMPARE(p->GetFieldAsInteger64("facility_id"), GIntBig(f.id));
}

void TestInventory::mergeAcrossRunsAndOverlappingTiles() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string runA = emitrace::test::beginTestRun(inv, "scan-a");
  const std::string runB = emitrace::test::beginTestRun(inv, "scan-b");
  // Run B's grid is offset by half a tile (overlapping tiles, other ids).
  Detection shifted = patch(runB, 0, 1, "Landfills");
  shifted.geometryWkt = tileWkt(0, 0, 360, -360);
  inv.addDetections({patch(runA, 0, 0, "Landfills")});
  inv.addDetections({shifted});
  // Run B also touches run A's tile (2,2) only at a corner from tile (1,1) of A.
  inv.addDetections({patch(runA, 3, 3, "Landfills")});
  Detection corner = patch(runB, 4, 4, "Landfills");
  inv.addDetections({corner});
  merge(inv);
  auto facilities = inv.listFacilities();
  QCOMPARE(facilities.size(), size_t(2));
  for (const auto& f : facilities) QCOMPARE(f.memberIds.size(), size_t(2));
  // A small gap (2 m) between tiles of different grids: connected only
  // with a tolerance of at least that.
  Inventory gap = Inventory::create(path("gap.gpkg"));
  const std::string r = emitrace::test::beginTestRun(gap);
  Detection right = patch(r, 0, 1, "Landfills");
  right.geometryWkt = tileWkt(0, 1, 2.0, 0);
  gap.addDetections({patch(r, 0, 0, "Landfills"), right});
  MergeOptions tight;
  tight.adjacencyToleranceMetres = 1.0;
  merge(gap, tight);
  QCOMPARE(gap.countFacilities(), std::int64_t(2));
  MergeOptions loose;
  loose.adjacencyToleranceMetres = 3.0;
  merge(gap, loose);
  QCOMPARE(gap.countFacilities(), std::int64_t(1));
}

void TestInventory::reMergeRespectsDecisions() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  // A row of four landfill tiles: ids 1..4.
  inv.addDetections({patch(run, 0, 0, "Landfills"), patch(run, 0, 1, "Landfills"),
                     patch(run, 0, 2, "Landfills"), patch(run, 0, 3, "Landfills")});
  merge(inv);
  QCOMPARE(inv.countFacilities(), std::int64_t(1));
  inv.review({ReviewTarget::Detection, {1, 2}, ReviewStatus::Confirmed, std::nullopt, "seen", "ana"});
  inv.review({ReviewTarget::Detection, {3}, ReviewStatus::Rejected, std::nullopt, "bare soil", "ana"});
  inv.review({ReviewTarget::Detection, {4}, ReviewStatus::Relabelled, FacilityType::Wastewater, "basins", "ana"});
  QVERIFY(inv.facilitiesStale());
  merge(inv);
  merge(inv);  // twice: decisions stay as they are
  const auto counts = facilityCounts(inv);
  QCOMPARE(counts.at(FacilityType::Landfill), 1);
  QCOMPARE(counts.at(FacilityType::Wastewater), 1);
  for (const auto& f : inv.listFacilities()) {
    if (f.type == FacilityType::Landfill) {
      QCOMPARE(f.memberIds, (std::vector<std::int64_t>{1, 2}));
      QCOMPARE_ENUM(f.status, ReviewStatus::Confirmed);
    } else {
      QCOMPARE(f.memberIds, (std::vector<std::int64_t>{4}));
      QCOMPARE_ENUM(f.status, ReviewStatus::Confirmed);  // relabelled counts as validated
      QCOMPARE(f.ipccCode, std::string("6B"));
    }
  }
  QCOMPARE_ENUM(inv.detection(3)->status, ReviewStatus::Rejected);
  QVERIFY(!inv.detection(3)->facilityId);
  QCOMPARE_ENUM(inv.detection(4)->status, ReviewStatus::Relabelled);
  QCOMPARE_ENUM(inv.detection(4)->effectiveType, FacilityType::Wastewater);
  QCOMPARE(inv.detection(4)->ipccCode, std::string("6B"));
  // confirmedOnly merges the validated ones only; minProbability leaves out
  // weak pending detections but never validated ones.
  inv.addDetections({patch(run, 9, 9, "Landfills", 0.3), patch(run, 9, 20, "Landfills", 0.9)});
  MergeOptions confirmedOnly;
  confirmedOnly.confirmedOnly = true;
  MergeResult r = merge(inv, confirmedOnly);
  QCOMPARE(r.facilities, std::int64_t(2));
  QCOMPARE(r.excludedUnreviewed, std::int64_t(2));
  QCOMPARE(r.excludedRejected, std::int64_t(1));
  MergeOptions minP;
  minP.minProbability = 0.5;
  r = merge(inv, minP);
  QCOMPARE(r.facilities, std::int64_t(3));
  QCOMPARE(r.excludedLowProbability, std::int64_t(1));
  QVERIFY_ERROR(InputError, merge(inv, MergeOptions{-1.0}), "adjacency tolerance");
}

void TestInventory::plumesAttachToNearestFacility() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  const std::string flame = emitrace::test::beginTestRun(inv, {}, ModelKind::Flame);
  inv.addDetections({patch(run, 0, 0, "Landfills"), patch(run, 0, 5, "RefineriesAndTerminals")});
  // Landfill tile spans x 400000..400720, y 3759280..3760000. Plume A: 300 m
  // east of it (edge to edge: 400720 -> 401020, square of 200 m -> centre
  // 401120). Plume B: 800 m south of the landfill. Plume C overlaps the
  // refinery. Plume D sits 260 m east of the landfill and 2000+ m from the
  // refinery (nearest wins).
  inv.addDetections({plume(flame, 1, 0, 401120, 3759640), plume(flame, 2, 0, 400360, 3759280 - 900),
                     plume(flame, 3, 0, 403700, 3759640), plume(flame, 1, 1, 401080, 3759900, 200)});
  merge(inv);
  std::map<FacilityType, Facility> byType;
  for (const auto& f : inv.listFacilities()) byType[f.type] = f;
  QCOMPARE(byType.size(), size_t(3));  // landfill, refinery, one stand-alone plume source
  QCOMPARE(byType[FacilityType::Landfill].plumeIds, (std::vector<std::int64_t>{3, 6}));
  QCOMPARE(byType[FacilityType::RefineryTerminal].plumeIds, (std::vector<std::int64_t>{5}));
  QCOMPARE(byType[FacilityType::MethanePlume].memberIds, (std::vector<std::int64_t>{4}));
  QCOMPARE(byType[FacilityType::MethanePlume].ipccCode, std::string(""));
  // Attached plumes take their facility's sector.
  QCOMPARE(inv.detection(3)->ipccCode, std::string("6A"));
  QCOMPARE(inv.detection(5)->ipccCode, std::string("1A1b"));
  QCOMPARE(inv.detection(4)->ipccCode, std::string(""));
  // A larger distance attaches plume B too.
  MergeOptions far;
  far.plumeAttachDistanceMetres = 1000;
  merge(inv, far);
  QCOMPARE(inv.countFacilities(), std::int64_t(2));
  QCOMPARE(inv.detection(4)->ipccCode, std::string("6A"));
  // Reviewing a facility does not touch its plumes.
  inv.review({ReviewTarget::Facility, {inv.detection(1)->facilityId.value()}, ReviewStatus::Confirmed});
  QCOMPARE_ENUM(inv.detection(3)->status, ReviewStatus::Pending);
  QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Confirmed);
}

void TestInventory::reviewAndUndo() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  inv.addDetections({patch(run, 0, 0, "Landfills"), patch(run, 0, 1, "Landfills"), patch(run, 5, 5, "Mines")});
  merge(inv);
  const auto first = inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Confirmed, std::nullopt, "tipping face visible", "ana"});
  QCOMPARE(first.changed, std::int64_t(1));
  QCOMPARE(first.decisionId, std::int64_t(1));
  auto d1 = inv.detection(1);
  QCOMPARE_ENUM(d1->status, ReviewStatus::Confirmed);
  QCOMPARE(d1->reviewNote, std::string("tipping face visible"));
  QCOMPARE(d1->reviewer, std::string("ana"));
  QVERIFY(!d1->reviewedAt.empty());
  QVERIFY(!inv.facilitiesStale());  // a confirmation does not change membership
  // The facility's status follows its members (1 confirmed, 2 pending).
  QCOMPARE_ENUM(inv.facility(*d1->facilityId)->status, ReviewStatus::Pending);
  inv.review({ReviewTarget::Detection, {2}, ReviewStatus::Confirmed, std::nullopt, {}, "ana"});
  QCOMPARE_ENUM(inv.facility(*d1->facilityId)->status, ReviewStatus::Confirmed);

  // Relabel, then mark uncertain, then undo both, in order.
  inv.review({ReviewTarget::Detection, {3}, ReviewStatus::Relabelled, FacilityType::GasProcessing, "flare stack", "bo"});
  QCOMPARE_ENUM(inv.detection(3)->effectiveType, FacilityType::GasProcessing);
  QCOMPARE(inv.detection(3)->ipccCode, std::string("1B2"));
  QVERIFY(inv.facilitiesStale());
  inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Uncertain, std::nullopt, "cloud", "bo"});
  // Same state again: nothing changes, no decision is logged.
  const auto same = inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Uncertain, std::nullopt, "cloud", "bo"});
  QCOMPARE(same.changed, std::int64_t(0));
  QCOMPARE(same.decisionId, std::int64_t(0));

  auto log = inv.reviewLog();
  QCOMPARE(log.size(), size_t(4));
  QCOMPARE(log.front().decisionId, std::int64_t(4));
  QCOMPARE_ENUM(log.front().oldStatus, ReviewStatus::Confirmed);
  QCOMPARE_ENUM(log.front().newStatus, ReviewStatus::Uncertain);
  QCOMPARE(log.front().reviewer, std::string("bo"));

  auto undo = inv.undoLastDecision("bo");
  QVERIFY(undo.has_value());
  QCOMPARE(undo->detectionIds, (std::vector<std::int64_t>{1}));
  d1 = inv.detection(1);
  QCOMPARE_ENUM(d1->status, ReviewStatus::Confirmed);
  QCOMPARE(d1->reviewNote, std::string("tipping face visible"));
  QCOMPARE(d1->reviewer, std::string("ana"));
  undo = inv.undoLastDecision("bo");
  QCOMPARE_ENUM(inv.detection(3)->status, ReviewStatus::Pending);
  QCOMPARE_ENUM(inv.detection(3)->effectiveType, FacilityType::CoalMine);
  QCOMPARE(inv.detection(3)->ipccCode, std::string("1B1"));
  QVERIFY(inv.detection(3)->reviewer.empty());
  // The log keeps everything: the undone rows are flagged, undos are rows too.
  log = inv.reviewLog();
  QCOMPARE(log.size(), size_t(6));
  QCOMPARE(log.front().action, std::string("undo"));
  int undone = 0;
  for (const auto& e : log) undone += e.undone ? 1 : 0;
  QCOMPARE(undone, 2);
  QCOMPARE(inv.reviewLog(-1, 4).front().undoneBy, std::int64_t(5));
  // Undo everything, then nothing is left to undo.
  QVERIFY(inv.undoLastDecision().has_value());
  QVERIFY(inv.undoLastDecision().has_value());
  QVERIFY(!inv.undoLastDecision().has_value());
  for (const auto& d : inv.listDetections()) QCOMPARE_ENUM(d.status, ReviewStatus::Pending);
}

void TestInventory::facilityDecisionAndUndo() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  inv.addDetections({patch(run, 0, 0, "Landfills"), patch(run, 0, 1, "Landfills"), patch(run, 1, 1, "Landfills")});
  merge(inv);
  // One member was relabelled into the facility's type before: confirming
  // the facility keeps that member relabelled.
  inv.addDetections({patch(run, 1, 0, "WWTreatment")});
  inv.review({ReviewTarget::Detection, {4}, ReviewStatus::Relabelled, FacilityType::Landfill, "", "ana"});
  merge(inv);
  QCOMPARE(inv.countFacilities(), std::int64_t(1));
  const std::int64_t fid = inv.listFacilities().front().id;
  const auto outcome = inv.review({ReviewTarget::Facility, {fid}, ReviewStatus::Confirmed, std::nullopt, "site visit", "ana"});
  QCOMPARE(outcome.changed, std::int64_t(4));  // three confirmed + the relabelled one's note
  QCOMPARE_ENUM(inv.detection(4)->status, ReviewStatus::Relabelled);
  QCOMPARE_ENUM(inv.facility(fid)->status, ReviewStatus::Confirmed);
  for (const auto& e : inv.reviewLog(-1, outcome.decisionId)) {
    QVERIFY(e.target == ReviewTarget::Facility);
    QCOMPARE(e.targetId, fid);
  }
  inv.review({ReviewTarget::Facility, {fid}, ReviewStatus::Rejected, std::nullopt, "not a landfill", "bo"});
  for (const auto& d : inv.listDetections()) QCOMPARE_ENUM(d.status, ReviewStatus::Rejected);
  QCOMPARE_ENUM(inv.facility(fid)->status, ReviewStatus::Rejected);
  inv.undoLastDecision("bo");
  QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Confirmed);
  QCOMPARE_ENUM(inv.detection(4)->status, ReviewStatus::Relabelled);
  QCOMPARE_ENUM(inv.detection(4)->effectiveType, FacilityType::Landfill);
  QCOMPARE_ENUM(inv.facility(fid)->status, ReviewStatus::Confirmed);
}

void TestInventory::reviewBadInput() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  inv.addDetections({patch(run, 0, 0, "Landfills")});
  QVERIFY_ERROR(InputError, inv.review({ReviewTarget::Detection, {1, 77}, ReviewStatus::Confirmed}), "no detection 77");
  QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Pending);  // nothing of the decision applied
  QVERIFY_ERROR(InputError, inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Relabelled}), "new facility type");
  QVERIFY_ERROR(InputError, inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Confirmed, FacilityType::Cafo}),
                "only given when relabelling");
  QVERIFY_ERROR(InputError, inv.review({ReviewTarget::Detection, {}, ReviewStatus::Confirmed}), "at least one");
  QVERIFY_ERROR(InputError, inv.review({ReviewTarget::Facility, {5}, ReviewStatus::Confirmed}), "no facility 5");
  QVERIFY_ERROR(InputError, parseReviewStatus("maybe"), "unknown review status");
  QVERIFY_ERROR(InputError, inv.rejectBelow(1.5), "threshold must be in [0, 1]");
  QVERIFY(inv.reviewLog().empty());
  // Relabelling to the predicted type is a confirmation.
  inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Relabelled, FacilityType::Landfill});
  QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Confirmed);
  QCOMPARE(inv.reviewLog().front().reviewer, std::string("unknown"));
}

void TestInventory::bulkRejectBelow() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  inv.addDetections({patch(run, 0, 0, "Landfills", 0.2), patch(run, 0, 3, "Landfills", 0.45),
                     patch(run, 0, 6, "Landfills", 0.5), patch(run, 0, 9, "WWTreatment", 0.1),
                     patch(run, 0, 12, "Landfills", 0.3)});
  inv.review({ReviewTarget::Detection, {5}, ReviewStatus::Confirmed});  // decided: never bulk-rejected
  DetectionFilter landfills;
  landfills.types = {FacilityType::Landfill};
  const auto outcome = inv.rejectBelow(0.5, landfills, "", "script");
  QCOMPARE(outcome.detectionIds, (std::vector<std::int64_t>{1, 2}));
  QCOMPARE_ENUM(inv.detection(3)->status, ReviewStatus::Pending);  // 0.5 is not below 0.5
  QCOMPARE_ENUM(inv.detection(4)->status, ReviewStatus::Pending);  // other type
  QCOMPARE_ENUM(inv.detection(5)->status, ReviewStatus::Confirmed);
  QCOMPARE(inv.detection(1)->reviewNote, std::string("probability below 0.5"));
  const auto log = inv.reviewLog(-1, outcome.decisionId);
  QCOMPARE(log.size(), size_t(2));
  QCOMPARE(log.front().action, std::string("bulk-reject"));
  // One decision: one undo brings both back.
  inv.undoLastDecision();
  QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Pending);
  QCOMPARE_ENUM(inv.detection(2)->status, ReviewStatus::Pending);
  QCOMPARE(inv.rejectBelow(0.05).changed, std::int64_t(0));
}

void TestInventory::rescansInheritDecisions() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string first = emitrace::test::beginTestRun(inv, "scan-2023");
  inv.addDetections({patch(first, 0, 0, "Landfills"), patch(first, 2, 2, "Landfills"), patch(first, 4, 4, "Landfills"),
                     patch(first, 6, 6, "CAFOs")});
  inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Rejected, std::nullopt, "quarry", "ana"});
  inv.review({ReviewTarget::Detection, {2}, ReviewStatus::Relabelled, FacilityType::Wastewater, "", "ana"});
  inv.review({ReviewTarget::Detection, {3, 4}, ReviewStatus::Confirmed, std::nullopt, "", "ana"});
  // A later scan finds the same places again (another scan id: new keys).
  const std::string second = emitrace::test::beginTestRun(inv, "scan-2024");
  Detection nearlySame = patch(second, 4, 4, "Landfills");
  nearlySame.geometryWkt = tileWkt(4, 4, 20, 0);  // IoU ~0.95
  Detection halfShifted = patch(second, 6, 6, "CAFOs");
  halfShifted.geometryWkt = tileWkt(6, 6, 360, 0);  // IoU 1/3: not the same detection
  const auto r = inv.addDetections({patch(second, 0, 0, "Landfills"), patch(second, 2, 2, "Landfills"),
                                    nearlySame, halfShifted, patch(second, 0, 0, "WWTreatment")});
  QCOMPARE(r.added, std::int64_t(5));
  QCOMPARE(r.inheritedDecisions, std::int64_t(3));
  QCOMPARE_ENUM(inv.detection(5)->status, ReviewStatus::Rejected);
  QVERIFY(inv.detection(5)->reviewNote.find("inherited from scan-2023/0/dmfnet/Landfills/0: quarry") == 0);
  QCOMPARE_ENUM(inv.detection(6)->status, ReviewStatus::Relabelled);
  QCOMPARE_ENUM(inv.detection(6)->effectiveType, FacilityType::Wastewater);
  QCOMPARE_ENUM(inv.detection(7)->status, ReviewStatus::Confirmed);
  QCOMPARE_ENUM(inv.detection(8)->status, ReviewStatus::Pending);
  QCOMPARE_ENUM(inv.detection(9)->status, ReviewStatus::Pending);  // other class at the rejected place
  const auto log = inv.reviewLog();
  QCOMPARE(log.front().action, std::string("inherit"));
  // Rejected never comes back into a facility.
  merge(inv);
  QVERIFY(!inv.detection(5)->facilityId);
  // One undo reverts the inherited decisions of that batch.
  inv.undoLastDecision();
  QCOMPARE_ENUM(inv.detection(5)->status, ReviewStatus::Pending);
  QCOMPARE_ENUM(inv.detection(7)->status, ReviewStatus::Pending);
  QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Rejected);
  // Switched off, nothing is inherited.
  AddDetectionsOptions off;
  off.inheritDecisions = false;
  const std::string third = emitrace::test::beginTestRun(inv, "scan-2025");
  QCOMPARE(inv.addDetections({patch(third, 0, 0, "Landfills")}, off).inheritedDecisions, std::int64_t(0));
}

void TestInventory::summaryTable5() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  // Landfills: 5 initial, tiles 1-2 adjacent (one facility), 3 alone, 4
  // rejected, 5 pending. R&Ts: 2, one relabelled to WWTP. CAFOs: 1 rejected.
  inv.addDetections({patch(run, 0, 0, "Landfills"), patch(run, 0, 1, "Landfills"), patch(run, 5, 5, "Landfills"),
                     patch(run, 9, 9, "Landfills"), patch(run, 12, 12, "Landfills"),
                     patch(run, 20, 0, "RefineriesAndTerminals"), patch(run, 20, 3, "RefineriesAndTerminals"),
                     patch(run, 30, 0, "CAFOs")});
  inv.review({ReviewTarget::Detection, {1, 2, 3, 6}, ReviewStatus::Confirmed});
  inv.review({ReviewTarget::Detection, {4, 8}, ReviewStatus::Rejected});
  inv.review({ReviewTarget::Detection, {7}, ReviewStatus::Relabelled, FacilityType::Wastewater});
  QuietProgress p;
  const InventorySummary s = summarizeInventory(inv, p);
  QCOMPARE(s.detections, std::int64_t(8));
  QCOMPARE(s.reviewDecisions, std::int64_t(3));
  std::map<std::string, PrecisionRow> rows;
  for (const auto& r : s.precision) rows[r.type == FacilityType::None ? "total" : toString(r.type)] = r;
  QCOMPARE(rows["landfill"].initial, std::int64_t(5));
  QCOMPARE(rows["landfill"].falsePositives, std::int64_t(1));
  QCOMPARE(rows["landfill"].validated, std::int64_t(3));
  QCOMPARE(rows["landfill"].unreviewed, std::int64_t(1));
  QCOMPARE(*rows["landfill"].precision, 0.75);
  QCOMPARE(rows["landfill"].facilities, std::int64_t(2));
  QCOMPARE(rows["refinery_terminal"].falsePositives, std::int64_t(1));
  QCOMPARE(*rows["refinery_terminal"].precision, 0.5);
  QCOMPARE(rows["refinery_terminal"].facilities, std::int64_t(1));
  QCOMPARE(rows["wastewater"].initial, std::int64_t(0));
  QCOMPARE(rows["wastewater"].facilities, std::int64_t(1));
  QVERIFY(!rows["wastewater"].precision.has_value());
  QCOMPARE(*rows["cafo"].precision, 0.0);
  QCOMPARE(rows["total"].initial, std::int64_t(8));
  QCOMPARE(rows["total"].validated, std::int64_t(4));
  QCOMPARE(rows["total"].falsePositives, std::int64_t(3));
  QCOMPARE(rows["total"].facilities, std::int64_t(4));
  QCOMPARE(s.byStatus.at(ReviewStatus::Rejected), std::int64_t(2));
  QCOMPARE(s.detectionsBySector.at(SectorGroup::SolidWaste), std::int64_t(5));
  const std::string text = s.toText();
  QVERIFY2(text.find("Review precision by type (Table 5 view)") != std::string::npos, text.c_str());
  QVERIFY2(text.find("0.750") != std::string::npos, text.c_str());
  QVERIFY2(text.find("out of date") != std::string::npos, text.c_str());
  QCOMPARE(QString::fromStdString(s.toJson()["table5"][0]["type"].get<std::string>()), QString("cafo"));
}

void TestInventory::exportFormats() {
  const std::string file = path("inv.gpkg");
  Inventory inv = Inventory::create(file);
  const std::string run = emitrace::test::beginTestRun(inv);
  inv.addDetections({patch(run, 0, 0, "Landfills"), patch(run, 0, 1, "Landfills"), patch(run, 5, 5, "WWTreatment")});
  merge(inv);
  inv.review({ReviewTarget::Detection, {1, 2}, ReviewStatus::Confirmed});
  merge(inv);
  QuietProgress p;
  // GeoPackage, every layer: a complete inventory again.
  ExportOptions all;
  all.output = path("copy.gpkg");
  const auto result = exportInventory(inv, all, p);
  QCOMPARE(result.layers.size(), size_t(7));
  {
    Inventory copy = Inventory::open(all.output, {true});
    QCOMPARE(copy.countDetections(), std::int64_t(3));
    QCOMPARE(copy.countFacilities(), std::int64_t(2));
    QCOMPARE(copy.detection(2)->facilityId, inv.detection(2)->facilityId);  // ids kept
    QCOMPARE(copy.runs().size(), size_t(1));
  }
  // GeoJSON of confirmed facilities.
  ExportOptions geojson;
  geojson.output = path("facilities.geojson");
  geojson.statuses = {ReviewStatus::Confirmed};
  exportInventory(inv, geojson, p);
  GDALDatasetUniquePtr gj(GDALDataset::Open(geojson.output.c_str(), GDAL_OF_VECTOR));
  QVERIFY(gj);
  QCOMPARE(gj->GetLayer(0)->GetFeatureCount(), GIntBig(1));
  OGRFeatureUniquePtr f(gj->GetLayer(0)->GetNextFeature());
  QCOMPARE(QString(f->GetFieldAsString("facility_type")), QString("landfill"));
  // CSV of detections with WKT geometry.
  ExportOptions csv;
  csv.output = path("detections.csv");
  csv.layers = {"detections"};
  exportInventory(inv, csv, p);
  std::ifstream in(csv.output);
  std::string header;
  std::getline(in, header);
  QVERIFY2(header.rfind("WKT,", 0) == 0, header.c_str());
  QVERIFY(header.find("detection_key") != std::string::npos);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) lines += line.find("MULTIPOLYGON") != std::string::npos ? 1 : 0;
  QCOMPARE(lines, 3);
  // KML of facility points.
  ExportOptions kml;
  kml.output = path("points.kml");
  kml.layers = {"facility_points"};
  exportInventory(inv, kml, p);
  std::ifstream kin(kml.output);
  const std::string kmlText((std::istreambuf_iterator<char>(kin)), std::istreambuf_iterator<char>());
  QVERIFY(kmlText.find("<Point>") != std::string::npos);
  QVERIFY(kmlText.find(inv.listFacilities().front().key) != std::string::npos);
}

void TestInventory::exportBadInput() {
  Inventory inv = Inventory::create(path("inv.gpkg"));
  const std::string run = emitrace::test::beginTestRun(inv);
  std::vector<Detection> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(patch(run, i / 50, i % 50, "Landfills"));
  inv.addDetections(batch);
  QuietProgress p;
  ExportOptions two;
  two.output = path("two.geojson");
  two.layers = {"detections", "facilities"};
  QVERIFY_ERROR(InputError, exportInventory(inv, two, p), "holds one layer");
  ExportOptions table;
  table.output = path("log.kml");
  table.layers = {"review_log"};
  QVERIFY_ERROR(InputError, exportInventory(inv, table, p), "KML holds only map layers");
  ExportOptions unknown;
  unknown.output = path("x.gpkg");
  unknown.layers = {"plumes"};
  QVERIFY_ERROR(InputError, exportInventory(inv, unknown, p), "no inventory layer 'plumes'");
  ExportOptions nowhere;
  nowhere.output = path("missing/dir/x.gpkg");
  QVERIFY_ERROR(IoError, exportInventory(inv, nowhere, p), "does not exist");
  ExportOptions cancelled;
  cancelled.output = path("cancelled.gpkg");
  CancelAfter cancel(2);
  QVERIFY_ERROR(Canceled, exportInventory(inv, cancelled, cancel), "");
  QVERIFY(!std::filesystem::exists(cancelled.output));
  QVERIFY(!std::filesystem::exists(path("cancelled.partial.gpkg")));
  for (const char* f : {"two.geojson", "log.kml", "x.gpkg"}) QVERIFY(!std::filesystem::exists(path(f)));
}

void TestInventory::stylesStored() {
  const std::string file = path("inv.gpkg");
  { Inventory::create(file); }
  GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR));
  OGRLayer* styles = ds->GetLayerByName("layer_styles");
  QVERIFY(styles);
  std::map<std::string, std::string> qml;
  for (auto& f : *styles) {
    QCOMPARE(f->GetFieldAsInteger("useAsDefault"), 1);
    qml[f->GetFieldAsString("f_table_name")] = f->GetFieldAsString("styleQML");
    const std::string table = f->GetFieldAsString("f_table_name");
    const std::string geom = f->GetFieldAsString("f_geometry_column");
    QCOMPARE(geom, std::string(ds->GetLayerByName(table.c_str())->GetGeometryColumn()));
  }
  QCOMPARE(qml.size(), styledLayers().size());
  QVERIFY(qml["detections"].find("attr=\"review_status\"") != std::string::npos);
  QVERIFY(qml["facilities"].find("attr=\"facility_type\"") != std::string::npos);
  QVERIFY(qml["facility_points"].find("SimpleMarker") != std::string::npos);
  // Every QML and SLD is well-formed XML (GDAL's parser).
  for (const auto& layer : styledLayers()) {
    CPLXMLNode* node = CPLParseXMLString(defaultStyleQml(layer).c_str());
    QVERIFY2(node, layer.c_str());
    CPLDestroyXMLNode(node);
    const std::string sld = defaultStyleSld(layer);
    if (!sld.empty()) {
      CPLXMLNode* s = CPLParseXMLString(sld.c_str());
      QVERIFY2(s, layer.c_str());
      CPLDestroyXMLNode(s);
    }
  }
}

QTEST_GUILESS_MAIN(TestInventory)
#include "test_inventory.moc"
