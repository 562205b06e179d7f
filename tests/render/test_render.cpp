// core/render: view and tile arithmetic, overview choice, colour ramps and
// legends, contrast stretches, band presets from names and wavelengths,
// display sources (band stacks, warped VRTs), byte output of the renderer,
// vector overlays, AOI geometry and the tile-grid preview, on generated
// rasters and the real sample scenes.
#include <gdal_priv.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"
#include "core/raster/raster_info.h"
#include "core/raster/tile_grid.h"
#include "core/render/aoi_geometry.h"
#include "core/render/band_presets.h"
#include "core/render/colour_ramp.h"
#include "core/render/coordinates.h"
#include "core/render/display_source.h"
#include "core/render/overview_choice.h"
#include "core/render/overviews.h"
#include "core/render/raster_renderer.h"
#include "core/render/tile_grid_preview.h"
#include "core/render/tile_scheme.h"
#include "core/render/vector_overlay.h"
#include "core/render/viewport.h"
#include "tests/common/fixtures.h"

using namespace emitrace;
using namespace emitrace::render;
using emitrace::test::makePolygons;
using emitrace::test::makeRaster;
using emitrace::test::RasterSpec;
using emitrace::test::sampleData;

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

#define QVERIFY_ERROR(Type, expr, fragment)                                                  \
  do {                                                                                       \
    const std::string _msg = expectError<Type>([&] { (void)(expr); });                       \
    QVERIFY2(_msg.find(fragment) != std::string::npos && _msg.rfind("WRONG TYPE", 0) != 0 && \
                 _msg != "NO EXCEPTION",                                                     \
             ("got: " + _msg).c_str());                                                      \
  } while (0)

const std::string kS2Dir = "sentinel2_18SVG_20m/";

raster::RasterInfo infoOf(const std::string& path) { return raster::describeRaster(path); }

void buildOverviews(const std::string& path, std::vector<int> factors) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
  QVERIFY(ds);
  QCOMPARE(ds->BuildOverviews("AVERAGE", static_cast<int>(factors.size()), factors.data(), 0, nullptr,
                              nullptr, nullptr, nullptr),
           CE_None);
}

std::string channelSummary(const BandCombination& c) {
  std::string s;
  for (const Channel& ch : c.channels) {
    if (!s.empty()) s += ",";
    s += std::to_string(ch.band);
    if (ch.op == ChannelOp::Ratio) s += "/" + std::to_string(ch.band2);
    if (ch.op == ChannelOp::Difference) s += "-" + std::to_string(ch.band2);
  }
  return s;
}

// Cancels after `after` report() calls.
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

}  // namespace

class TestRender : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { raster::ensureGdal(); }

  void viewportZoomsAboutCursor();
  void viewportPansAndFits();
  void tilesCoverViewWithoutSeams();

  void overviewChoice_data();
  void overviewChoice();

  void colourRampsAndLegends();
  void percentilesAndStretch();

  void bandNames_data();
  void bandNames();
  void presetsFromNamesAndWavelengths();
  void presetsOfRealSamples();
  void combinationValidation();

  void rendersBytesOnGeneratedRaster();
  void rendersNodataAndOutsideTransparent();
  void rendersRatioAndRamp();
  void readsChosenOverview();
  void stretchFromOverviewSample();
  void buildsOverviews();
  void overviewBuildErrorsAndCancel();

  void stacksSentinel2BandFiles();
  void groupsBandFiles();
  void stackErrors();
  void warpsOtherCrsForDisplay();

  void vectorOverlayReprojects();
  void aoiGeometry();
  void tileGridPreviewMatchesMakeTileGrid();
  void tileGridPreviewAcrossCrs();
  void coordinatesAndScale();
};

// ------------------------------------------------------------ viewport

void TestRender::viewportZoomsAboutCursor() {
  Viewport v(500000, 5000000, 0, 800, 600);  // 1 unit per pixel
  QCOMPARE(v.unitsPerPixel(), 1.0);
  const MapPoint before = v.toMap(100, 50);
  v.zoomAbout(100, 50, 4);  // four notches: twice as close
  QCOMPARE(v.unitsPerPixel(), 0.5);
  const MapPoint after = v.toMap(100, 50);
  QVERIFY(std::fabs(after.x - before.x) < 1e-6 && std::fabs(after.y - before.y) < 1e-6);
  v.zoomAbout(700, 590, -9);
  const MapPoint corner = v.toMap(700, 590);
  const MapPoint expected{before.x + (700 - 100) * 0.5, before.y - (590 - 50) * 0.5};
  // The point under (700, 590) before the second zoom is where it was.
  Viewport ref(500000, 5000000, 0, 800, 600);
  ref.zoomAbout(100, 50, 4);
  const MapPoint refCorner = ref.toMap(700, 590);
  QVERIFY(std::fabs(corner.x - refCorner.x) < 1e-6 && std::fabs(corner.y - refCorner.y) < 1e-6);
  QVERIFY(std::fabs(refCorner.x - expected.x) < 1e-6 && std::fabs(refCorner.y - expected.y) < 1e-6);
  QCOMPARE(v.unitsPerPixel(), std::exp2(5.0 / 4));
  // Round trip screen <-> map.
  const MapPoint s = v.toScreen(v.toMap(123.5, 77.25).x, v.toMap(123.5, 77.25).y);
  QVERIFY(std::fabs(s.x - 123.5) < 1e-6 && std::fabs(s.y - 77.25) < 1e-6);
  // Levels stay in range.
  v.zoomAbout(0, 0, 100000);
  QCOMPARE(v.level(), Viewport::kMaxLevel);
}

void TestRender::viewportPansAndFits() {
  Viewport v(0, 0, 0, 400, 200);
  Bounds e = v.extent();
  QCOMPARE(e.minX, -200.0);
  QCOMPARE(e.maxY, 100.0);
  v.panPixels(50, -20);  // content right and up: view goes west and south
  e = v.extent();
  QCOMPARE(e.minX, -250.0);
  QCOMPARE(e.maxY, 80.0);
  // fitBounds: the whole box is visible at the finest level that allows it.
  const Bounds box{435720, 4160000, 455060, 4179460};  // the Sentinel-2 sample
  v.setSize(967, 600);
  v.fitBounds(box, 0.05);
  e = v.extent();
  QVERIFY(e.minX <= box.minX && e.maxX >= box.maxX && e.minY <= box.minY && e.maxY >= box.maxY);
  Viewport finer = v;
  finer.setLevel(v.level() + 1);
  const Bounds f = finer.extent();
  QVERIFY2(!(f.minX <= box.minX && f.maxX >= box.maxX && f.minY <= box.minY && f.maxY >= box.maxY),
           "one level finer must no longer fit");
  QCOMPARE(levelAtLeast(1.0), 0);
  QCOMPARE(levelAtLeast(20.0), -18);  // 2^(18/4) = 22.6 >= 20 > 2^(17/4) = 19.0
  QVERIFY(levelResolution(levelAtLeast(20.0)) >= 20.0);
}

void TestRender::tilesCoverViewWithoutSeams() {
  Viewport v(445390.3, 4169730.7, -17, 1000, 700);
  const std::vector<TileKey> keys = tilesCovering(v);
  QVERIFY(!keys.empty());
  // Union of the tiles covers the extent; every tile meets it.
  const Bounds e = v.extent();
  Bounds u{1e300, 1e300, -1e300, -1e300};
  std::set<std::pair<long long, long long>> seen;
  for (const TileKey& k : keys) {
    QCOMPARE(k.level, v.level());
    const Bounds b = tileBounds(k);
    QVERIFY(b.maxX > e.minX && b.minX < e.maxX && b.maxY > e.minY && b.minY < e.maxY);
    u = {std::min(u.minX, b.minX), std::min(u.minY, b.minY), std::max(u.maxX, b.maxX),
         std::max(u.maxY, b.maxY)};
    seen.insert({k.tx, k.ty});
  }
  QCOMPARE(seen.size(), keys.size());
  QVERIFY(u.minX <= e.minX && u.maxX >= e.maxX && u.minY <= e.minY && u.maxY >= e.maxY);
  // Neighbouring tiles land exactly kTileSizePx apart on screen, and the
  // screen position matches the map position to within half a pixel.
  for (const TileKey& k : keys) {
    const ScreenPos p = tileScreenPos(k, v);
    const ScreenPos right = tileScreenPos({k.level, k.tx + 1, k.ty}, v);
    const ScreenPos below = tileScreenPos({k.level, k.tx, k.ty + 1}, v);
    QCOMPARE(right.x - p.x, static_cast<std::int64_t>(kTileSizePx));
    QCOMPARE(below.y - p.y, static_cast<std::int64_t>(kTileSizePx));
    const MapPoint s = v.toScreen(tileBounds(k).minX, tileBounds(k).maxY);
    QVERIFY(std::fabs(s.x - p.x) <= 0.5 + 1e-9 && std::fabs(s.y - p.y) <= 0.5 + 1e-9);
  }
  // The first tile is the one under the centre of the view.
  const Bounds first = tileBounds(keys.front());
  QVERIFY(first.minX <= v.centreX() && first.maxX >= v.centreX() && first.minY <= v.centreY() &&
          first.maxY >= v.centreY());
}

// ------------------------------------------------------------ overviews

void TestRender::overviewChoice_data() {
  QTest::addColumn<double>("zoom");
  QTest::addColumn<int>("expected");
  // A 10000 x 10000 raster with overviews 2, 4, 8, 16 (listed out of order
  // to check the choice does not depend on GDAL's order).
  QTest::newRow("zoomed in") << 0.25 << -1;
  QTest::newRow("one to one") << 1.0 << -1;
  QTest::newRow("just under 2") << 1.9 << -1;
  QTest::newRow("exactly 2") << 2.0 << 1;
  QTest::newRow("3") << 3.0 << 1;
  QTest::newRow("4") << 4.0 << 0;
  QTest::newRow("12.5 (whole scene in 800 px)") << 12.5 << 3;
  QTest::newRow("far out") << 1000.0 << 2;
}

void TestRender::overviewChoice() {
  QFETCH(double, zoom);
  QFETCH(int, expected);
  const LevelSize full{10000, 10000};
  const std::vector<LevelSize> overviews{{2500, 2500}, {5000, 5000}, {625, 625}, {1250, 1250}};
  QCOMPARE(chooseOverview(full, overviews, zoom), expected);
  // Rounded-up sizes (odd rasters) still count as their nominal factor.
  QCOMPARE(chooseOverview({967, 973}, {{484, 487}, {242, 244}}, 2.0), 0);
  QCOMPARE(chooseOverview({967, 973}, {}, 50.0), -1);
}

// ------------------------------------------------------------ ramps, stretch

void TestRender::colourRampsAndLegends() {
  const ColourRamp grey = ColourRamp::named("grey");
  QCOMPARE(grey.at(0), (Rgba{0, 0, 0, 255}));
  QCOMPARE(grey.at(1), (Rgba{255, 255, 255, 255}));
  QCOMPARE(grey.at(0.5), (Rgba{128, 128, 128, 255}));
  QCOMPARE(grey.at(-3), grey.at(0));
  QCOMPARE(grey.at(std::nan("")), grey.at(0));
  const ColourRamp plume = ColourRamp::named("plume");
  QCOMPARE(int(plume.at(0).a), 0);  // zero enhancement is see-through
  QCOMPARE(int(plume.at(1).a), 255);
  QCOMPARE(plume.table()[255], plume.at(1));
  for (const auto& name : rampNames()) QCOMPARE(ColourRamp::named(name).name(), name);
  QVERIFY_ERROR(InputError, ColourRamp::named("rainbow"), "viridis");

  QCOMPARE(niceTicks(0, 1500, 6), (std::vector<double>{0, 500, 1000, 1500}));
  QCOMPARE(niceTicks(0, 1, 6).size(), size_t(6));
  QCOMPARE(niceTicks(-23.4, -4.1, 5), (std::vector<double>{-20, -15, -10, -5}));
  const Legend legend = makeLegend("Methane enhancement", "ppm·m", "plume", 0, 1500);
  QCOMPARE(legend.ticks.size(), size_t(4));
  QCOMPARE(legend.ticks[1].label, std::string("500"));
  QCOMPARE(legend.ticks[3].position, 1.0);
  const Legend prob = makeLegend("Plume probability", "", "probability", 0, 1);
  QCOMPARE(prob.ticks[1].label, std::string("0.2"));
  QCOMPARE(prob.ticks.front().label, std::string("0"));
}

void TestRender::percentilesAndStretch() {
  std::vector<float> v;
  for (int i = 0; i <= 100; ++i) v.push_back(static_cast<float>(i));
  v.push_back(std::nanf(""));
  QCOMPARE(percentile(v, 0), 0.0);
  QCOMPARE(percentile(v, 2), 2.0);
  QCOMPARE(percentile(v, 98), 98.0);
  QCOMPARE(percentile(v, 100), 100.0);
  QCOMPARE(percentile({1, 2}, 50), 1.5);
  QVERIFY(std::isnan(percentile({std::nanf("")}, 50)));

  ChannelData d;
  d.width = 101;
  d.height = 1;
  d.channels = {v, std::vector<float>(102, 7.0f), std::vector<float>(102, std::nanf(""))};
  d.channels[0].resize(101);
  d.channels[1].resize(101);
  d.channels[2].resize(101);
  StretchSettings s;  // percentile 2-98
  auto r = computeStretch(d, s);
  QCOMPARE(r[0].min, 2.0);
  QCOMPARE(r[0].max, 98.0);
  QCOMPARE(r[1].min, 7.0);  // constant: widened so nothing divides by zero
  QCOMPARE(r[1].max, 8.0);
  QCOMPARE(r[2].min, 0.0);  // no data at all
  QCOMPARE(r[2].max, 1.0);
  s.kind = StretchKind::MinMax;
  r = computeStretch(d, s);
  QCOMPARE(r[0].max, 100.0);
  s.kind = StretchKind::Manual;
  s.min = {10, 0, 0};
  s.max = {20, 1, 1};
  r = computeStretch(d, s);
  QCOMPARE(r[0].min, 10.0);
  QCOMPARE(r[0].max, 20.0);
  s.max = {5, 1, 1};
  QVERIFY_ERROR(InputError, computeStretch(d, s), "channel 1");
  s = StretchSettings();
  s.lowPercent = 60;
  s.highPercent = 40;
  QVERIFY_ERROR(InputError, computeStretch(d, s), "low < high");
}

// ------------------------------------------------------------ presets

void TestRender::bandNames_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QString>("expected");
  QTest::newRow("s2") << "s2_B12.tif"
                      << "B12";
  QTest::newRow("padded") << "T18SVG_20160112_B04.jp2"
                          << "B4";
  QTest::newRow("8a lower") << "scene_b8a.tif"
                            << "B8A";
  QTest::newRow("landsat") << "LC08_L1TP_020039_B7.TIF"
                           << "B7";
  QTest::newRow("sar") << "S1A__IW___A_20150309T173017_VV_grd_mli_geo_norm_db.tif"
                       << "VV";
  QTest::newRow("several bands") << "eolearn_72x72_B2-B3-B4-B8A-B11-B12.tif"
                                 << "";
  QTest::newRow("none") << "enhancement.tif"
                        << "";
}

void TestRender::bandNames() {
  QFETCH(QString, file);
  QFETCH(QString, expected);
  QCOMPARE(QString::fromStdString(bandNameFromFileName("/data/" + file.toStdString())), expected);
  QCOMPARE(normaliseBandName("b08"), std::string("B8"));
  QCOMPARE(normaliseBandName("B8a"), std::string("B8A"));
  QCOMPARE(normaliseBandName("B11"), std::string("B11"));
}

void TestRender::presetsFromNamesAndWavelengths() {
  QTemporaryDir dir;
  const auto path = [&](const char* n) { return dir.filePath(n).toStdString(); };
  struct Case {
    const char* file;
    RasterSpec spec;
    const char* preset;
    const char* channels;
  };
  RasterSpec s2;
  s2.bands = 6;
  s2.bandNames = {"B02", "B03", "B04", "B8A", "B11", "B12"};
  RasterSpec s2Swir;
  s2Swir.bands = 3;
  s2Swir.bandNames = {"B8A", "B11", "B12"};
  RasterSpec sarDb;
  sarDb.bands = 2;
  sarDb.bandNames = {"VH", "VV"};
  RasterSpec sarLinear = sarDb;
  RasterSpec landsat;
  landsat.bands = 2;
  landsat.bandNames = {"B6", "B7"};
  RasterSpec cube;  // 60 bands 400-2500 nm: 640 -> band 8 (649), 550 -> 5 (542), 460 -> 3 (471)
  cube.bands = 60;
  for (int b = 0; b < 60; ++b) cube.wavelengthsNm.push_back(400 + b * 2100.0 / 59);
  RasterSpec methane;
  RasterSpec prob;
  RasterSpec generic;
  generic.bands = 4;
  RasterSpec single;

  std::vector<Case> cases{
      {"s2_l1c.tif", s2, "s2_true_colour", "3,2,1"},
      {"swir_only.tif", s2Swir, "s2_false_colour", "3,2,1"},
      {"s1_db.tif", sarDb, "sar_vv_vh_ratio", "2,1,2-1"},
      {"s1_linear.tif", sarLinear, "sar_vv_vh_ratio", "2,1,2/1"},
      {"l8_subset.tif", landsat, "landsat_swir_ratio", "2/1"},
      {"cube.tif", cube, "hyperspectral_rgb", "8,5,3"},
      {"ch4_enhancement.tif", methane, "methane_enhancement", "1"},
      {"scene_flame_probability.tif", prob, "flame_probability", "1"},
      {"four.tif", generic, "bands_123", "1,2,3"},
      {"single.tif", single, "single_grey", "1"},
  };
  for (const Case& c : cases) {
    const auto info = infoOf(makeRaster(path(c.file), c.spec));
    const BandCombination auto_ = autoPreset(info);
    QVERIFY2(auto_.presetId == c.preset, (std::string(c.file) + ": got " + auto_.presetId).c_str());
    QVERIFY2(channelSummary(auto_) == c.channels,
             (std::string(c.file) + ": channels " + channelSummary(auto_)).c_str());
    auto_.validate(info.bandCount());
  }
  // Hyperspectral RGB picks the nearest centres (checked against the list).
  const auto cubeInfo = infoOf(path("cube.tif"));
  const BandCombination rgb = autoPreset(cubeInfo);
  const double centres[3] = {640, 550, 460};
  for (int c = 0; c < 3; ++c) {
    const double got = *cubeInfo.bands[rgb.channels[c].band - 1].wavelengthNm;
    for (const auto& b : cubeInfo.bands)
      QVERIFY(std::fabs(*b.wavelengthNm - centres[c]) >= std::fabs(got - centres[c]));
  }
  // Product presets carry their ramp, unit and stretch.
  const BandCombination ch4 = autoPreset(infoOf(path("ch4_enhancement.tif")));
  QCOMPARE(ch4.ramp, std::string("plume"));
  QCOMPARE(ch4.unit, std::string("ppm·m"));
  QVERIFY(ch4.stretch.kind == StretchKind::Manual);
  QCOMPARE(ch4.stretch.max[0], 1500.0);
  const BandCombination p = autoPreset(infoOf(path("scene_flame_probability.tif")));
  QCOMPARE(p.stretch.max[0], 1.0);
  QCOMPARE(p.ramp, std::string("probability"));
  // A six-band Sentinel-2 raster offers both composites, then the generic ones.
  std::vector<std::string> ids;
  for (const auto& c : presetsFor(infoOf(path("s2_l1c.tif")))) ids.push_back(c.presetId);
  QCOMPARE(ids, (std::vector<std::string>{"s2_true_colour", "s2_false_colour", "bands_123", "single_grey"}));
}

void TestRender::presetsOfRealSamples() {
  // The 72x72 eo-learn patch: named bands B02..B12.
  const auto patch =
      infoOf(sampleData("sentinel2_patch_72x72/eolearn_S2L1C_ref0_72x72_B2-B3-B4-B8A-B11-B12.tif"));
  QCOMPARE(autoPreset(patch).presetId, std::string("s2_true_colour"));
  QCOMPARE(channelSummary(autoPreset(patch)), std::string("3,2,1"));
  QVERIFY(guessSensor(patch) == SensorHint::Sentinel2);
  // The Sentinel-1 VV scene in dB (no VH): grey VV with a dB unit.
  const auto s1 = infoOf(sampleData("sentinel1_vv/S1A__IW___A_20150309T173017_VV_grd_mli_geo_norm_db.tif"));
  QVERIFY(guessSensor(s1) == SensorHint::Sentinel1);
  QCOMPARE(autoPreset(s1).presetId, std::string("sar_vv"));
  QCOMPARE(autoPreset(s1).unit, std::string("dB"));
  // One Landsat band alone: named from its file.
  const auto l8 = infoOf(sampleData("landsat8_LC80200392015216/l8_B7.tif"));
  QVERIFY(guessSensor(l8) == SensorHint::Landsat);
  QCOMPARE(bandName(l8, 1), std::string("B7"));
  // Landsat B7 and B6 opened together: one layer with the SWIR ratio.
  const auto groups = groupBandFiles(
      {sampleData("landsat8_LC80200392015216/l8_B7.tif"), sampleData("landsat8_LC80200392015216/l8_B6.tif")});
  QCOMPARE(groups.size(), size_t(1));
  const DisplaySource l8stack = prepareDisplaySource(groups.front(), "");
  QCOMPARE(l8stack.name, std::string("l8_B7-B6"));
  const BandCombination ratio = autoPreset(l8stack.info);
  QCOMPARE(ratio.presetId, std::string("landsat_swir_ratio"));
  QCOMPARE(channelSummary(ratio), std::string("1/2"));
  // Sentinel-2 B11 alone is not mistaken for Landsat's thermal B11.
  const auto b11 = infoOf(sampleData(kS2Dir + "s2_B11.tif"));
  QVERIFY(guessSensor(b11) == SensorHint::Sentinel2);
}

void TestRender::combinationValidation() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.bands = 2;
  const auto info = infoOf(makeRaster(dir.filePath("two.tif").toStdString(), spec));
  QVERIFY_ERROR(InputError, rgbCombination(info, 1, 2, 3), "band 3");
  QVERIFY_ERROR(InputError, singleBandCombination(info, 1, "nope"), "unknown colour ramp");
  BandCombination c = singleBandCombination(info, 2, "viridis");
  QCOMPARE(c.channels[0].band, 2);
  c.channels.push_back(c.channels[0]);
  QVERIFY_ERROR(InputError, c.validate(2), "needs 1 channel");
  // JSON round trip keeps everything that changes the picture.
  BandCombination r = rgbCombination(info, 2, 1, 2);
  r.stretch.kind = StretchKind::Manual;
  r.stretch.min = {1, 2, 3};
  r.stretch.max = {4, 5, 6};
  const BandCombination back = BandCombination::fromJson(r.toJson());
  QCOMPARE(back.toJson().dump(), r.toJson().dump());
  QVERIFY(back.channels == r.channels);
}

// ------------------------------------------------------------ renderer

void TestRender::rendersBytesOnGeneratedRaster() {
  QTemporaryDir dir;
  RasterSpec spec;  // 8x8, 10 m, value = band*1000 + row*8 + col
  spec.bands = 3;
  spec.bandNames = {"B04", "B03", "B02"};
  const std::string path = makeRaster(dir.filePath("rgb.tif").toStdString(), spec);
  RasterRenderer r(path);
  QCOMPARE(r.bandCount(), 3);
  BandCombination c = autoPreset(infoOf(path));
  QCOMPARE(c.presetId, std::string("s2_true_colour"));
  // Whole raster at 1:1.
  const raster::GridSpec g = r.grid();
  ChannelData d = r.readChannels(c, g.bounds(), 8, 8);
  QCOMPARE(d.channels.size(), size_t(3));
  QCOMPARE(d.channels[0][0], 0.0f);  // B04 = band 1, row 0 col 0
  QCOMPARE(d.channels[0][63], 63.0f);
  QCOMPARE(d.channels[2][9], 2009.0f);  // B02 = band 3, row 1 col 1
  const std::vector<ChannelRange> ranges{{0, 63}, {1000, 1063}, {2000, 2063}};
  const RgbaImage img = toRgba(d, c, ranges);
  QCOMPARE(img.width, 8);
  QCOMPARE(img.pixels.size(), size_t(8 * 8 * 4));
  // Pixel (col 5, row 3): value 29 in every band -> 29/63*255 = 117.4 -> 117.
  const std::uint8_t* px = &img.pixels[(3 * 8 + 5) * 4];
  QCOMPARE(int(px[0]), 117);
  QCOMPARE(int(px[1]), 117);
  QCOMPARE(int(px[2]), 117);
  QCOMPARE(int(px[3]), 255);
  QCOMPARE(int(img.pixels[63 * 4]), 255);
  // Zoomed in 4x on the 2x2 pixels at cols 2-3, rows 4-5: each source pixel
  // becomes a 4x4 block (nearest neighbour), no smearing across pixels.
  const Bounds area{g.geoTransform[0] + 20, g.geoTransform[3] - 60, g.geoTransform[0] + 40,
                    g.geoTransform[3] - 40};
  d = r.readChannels(c, area, 8, 8);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) {
      const float expected = static_cast<float>((4 + y / 4) * 8 + 2 + x / 4);
      QCOMPARE(d.channels[0][y * 8 + x], expected);
    }
  // Zoomed out 2x: a 4x4 output sampling the pixel under each output
  // pixel's centre (source 1, 3, 5, 7).
  d = r.readChannels(c, g.bounds(), 4, 4);
  QCOMPARE(d.channels[0][0], 9.0f);           // row 1, col 1
  QCOMPARE(d.channels[0][1 * 4 + 2], 29.0f);  // row 3, col 5
}

void TestRender::rendersNodataAndOutsideTransparent() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.nodata = -9999;
  spec.value = [](int, int c, int r) { return (c == 2 && r == 1) ? -9999.0 : 100.0 + c; };
  const std::string path = makeRaster(dir.filePath("nd.tif").toStdString(), spec);
  RasterRenderer r(path);
  const BandCombination c = autoPreset(infoOf(path));
  QCOMPARE(c.presetId, std::string("single_grey"));
  // An area twice the raster's width: the right half lies outside.
  const raster::GridSpec g = r.grid();
  const Bounds b = g.bounds();
  const ChannelData d = r.readChannels(c, {b.minX, b.minY, b.maxX + b.width(), b.maxY}, 16, 8);
  const RgbaImage img = toRgba(d, c, {{100, 107}});
  const auto alpha = [&](int x, int y) { return int(img.pixels[(y * 16 + x) * 4 + 3]); };
  QCOMPARE(alpha(0, 0), 255);
  QCOMPARE(alpha(2, 1), 0);  // nodata
  QCOMPARE(alpha(7, 7), 255);
  QCOMPARE(alpha(8, 0), 0);  // outside the raster
  QCOMPARE(alpha(15, 7), 0);
  QCOMPARE(int(img.pixels[(0 * 16 + 7) * 4]), 255);  // value 107 = top of the stretch
  // An area entirely away from the raster reads nothing and is transparent.
  const ChannelData away = r.readChannels(c, {b.maxX + 1000, b.minY, b.maxX + 2000, b.maxY}, 4, 4);
  for (float v : away.channels[0]) QVERIFY(std::isnan(v));
  QVERIFY_ERROR(InputError, r.readChannels(c, {0, 0, 0, 0}, 4, 4), "empty area");
}

void TestRender::rendersRatioAndRamp() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.bands = 2;
  spec.bandNames = {"B6", "B7"};
  spec.value = [](int b, int c, int) { return b == 0 ? (c == 0 ? 0.0 : 100.0) : 50.0 * (c + 1); };
  const std::string path = makeRaster(dir.filePath("l8_swir.tif").toStdString(), spec);
  RasterRenderer r(path);
  const BandCombination c = autoPreset(infoOf(path));
  QCOMPARE(c.presetId, std::string("landsat_swir_ratio"));
  const ChannelData d = r.readChannels(c, r.grid().bounds(), 8, 8);
  QVERIFY(std::isnan(d.channels[0][0]));  // B7 / 0: no value, not infinity
  QCOMPARE(d.channels[0][1], 1.0f);       // 100 / 100
  QCOMPARE(d.channels[0][7], 4.0f);       // 400 / 100
  const RgbaImage img = toRgba(d, c, {{1, 4}});
  const Rgba lo = ColourRamp::named("magma").at(0), hi = ColourRamp::named("magma").at(1);
  QCOMPARE(int(img.pixels[0 * 4 + 3]), 0);
  QCOMPARE(int(img.pixels[1 * 4 + 0]), int(lo.r));
  QCOMPARE(int(img.pixels[7 * 4 + 0]), int(hi.r));
  QCOMPARE(int(img.pixels[7 * 4 + 2]), int(hi.b));
}

void TestRender::readsChosenOverview() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.width = 512;
  spec.height = 512;
  spec.geoTransform = {500000, 10, 0, 5000000, 0, -10};
  // 4x4 blocks of constant value so that overview averages are exact.
  spec.value = [](int, int c, int r) { return (r / 16) * 32 + (c / 16); };
  const std::string path = makeRaster(dir.filePath("big.tif").toStdString(), spec);
  buildOverviews(path, {2, 4, 8});
  RasterRenderer r(path);
  QCOMPARE(r.overviewSizes().size(), size_t(3));
  QCOMPARE(r.levelFor(10), -1);  // 1 screen px = 1 raster px
  QCOMPARE(r.levelFor(25), 0);   // 2.5 raster px per screen px -> the 2x overview
  QCOMPARE(r.levelFor(80), 2);   // 8x
  QCOMPARE(r.levelFor(500), 2);
  const BandCombination c = autoPreset(infoOf(path));
  // Whole raster in 64 px: 8 raster px per screen px -> the 8x overview.
  const ChannelData d = r.readChannels(c, r.grid().bounds(), 64, 64);
  QCOMPARE(r.lastLevel(), 2);
  QCOMPARE(d.channels[0][0], 0.0f);
  QCOMPARE(d.channels[0][2 * 64 + 2], 33.0f);  // rows/cols 16-23 of the full raster
  QCOMPARE(d.channels[0][63 * 64 + 63], 31.0f * 32 + 31);
  QCOMPARE(d.channels[0][10 * 64 + 20], static_cast<float>((10 / 2) * 32 + 20 / 2));
  // Same picture from full resolution (what a renderer without overviews reads).
  const ChannelData full = r.readChannels(c, r.grid().bounds(), 512, 512);
  QCOMPARE(r.lastLevel(), -1);
  for (int y = 0; y < 64; y += 7)
    for (int x = 0; x < 64; x += 5)
      QCOMPARE(d.channels[0][y * 64 + x], full.channels[0][(y * 8) * 512 + x * 8]);
}

void TestRender::stretchFromOverviewSample() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.width = 400;
  spec.height = 300;
  // Two populations in 16-row stripes (kept apart by 2x2 overview averaging).
  spec.value = [](int, int c, int r) { return c + 1000.0 * ((r / 16) % 2); };
  const std::string path = makeRaster(dir.filePath("s.tif").toStdString(), spec);
  buildOverviews(path, {2, 4});
  RasterRenderer r(path);
  const BandCombination c = autoPreset(infoOf(path));
  const ChannelData sample = r.sample(c, 120);
  QCOMPARE(sample.width, 120);
  QCOMPARE(sample.height, 90);
  QCOMPARE(r.lastLevel(), 0);  // 400/120 = 3.3 raster px per sample px -> the 2x overview
  const auto ranges = computeStretch(sample, StretchSettings());
  // Sample values come from the 2x overview (average of 2x2), so within a few units of the full data.
  QVERIFY2(ranges[0].min < 60 && ranges[0].min >= 0, std::to_string(ranges[0].min).c_str());
  QVERIFY2(ranges[0].max > 1300 && ranges[0].max <= 1400, std::to_string(ranges[0].max).c_str());
}

void TestRender::buildsOverviews() {
  QCOMPARE(overviewFactors(10000, 10000, 256), (std::vector<int>{2, 4, 8, 16, 32, 64}));
  QCOMPARE(overviewFactors(300, 200, 256), std::vector<int>{2});
  QVERIFY(overviewFactors(256, 100, 256).empty());
  QTemporaryDir dir;
  RasterSpec spec;
  spec.width = 1100;
  spec.height = 700;
  spec.value = [](int, int c, int r) { return (c / 50 + r / 50) % 2 ? 100.0 : 0.0; };
  const std::string path = makeRaster(dir.filePath("scene.tif").toStdString(), spec);
  QVERIFY(!hasOverviews(path));
  BuildOverviewsOptions o;
  o.input = path;
  Progress progress;
  const BuildOverviewsResult r = buildOverviews(o, progress);
  QCOMPARE(r.factors, (std::vector<int>{2, 4, 8}));  // 1100 -> 550 -> 275 -> 137
  QCOMPARE(r.overviewFile, path + ".ovr");
  QVERIFY(std::filesystem::exists(r.overviewFile));
  QVERIFY(hasOverviews(path));
  QCOMPARE(progress.lastFraction(), 1.0);
  RasterRenderer renderer(path);
  QCOMPARE(renderer.overviewSizes().size(), size_t(3));
  QCOMPARE(renderer.overviewSizes()[2].width, 138);
  // The 8x level averages 8x8 blocks inside the 50 px squares.
  const BandCombination c = autoPreset(infoOf(path));
  const ChannelData d = renderer.readChannels(c, renderer.grid().bounds(), 137, 87);
  QCOMPARE(renderer.lastLevel(), 2);
  QCOMPARE(d.channels[0][0], 0.0f);
  QCOMPARE(d.channels[0][10 * 137 + 2], 100.0f);  // rows 80-87, cols 16-23: square (1, 0) -> 100
  QCOMPARE(d.channels[0][2 * 137 + 2], 0.0f);     // rows and cols 16-23: square (0, 0) -> 0
  QVERIFY_ERROR(InputError, buildOverviews(o, progress), "already has overviews");
  QCOMPARE(o.toJson().at("resampling").get<std::string>(), std::string("average"));
}

void TestRender::overviewBuildErrorsAndCancel() {
  QTemporaryDir dir;
  RasterSpec big;
  big.width = 4000;
  big.height = 4000;
  big.type = "UInt16";
  big.creationOptions = {"TILED=YES"};
  big.value = [](int, int c, int r) { return (c * 7 + r * 3) % 4096; };
  const std::string path = makeRaster(dir.filePath("big.tif").toStdString(), big);
  BuildOverviewsOptions o;
  o.input = path;
  CancelAfter cancel(2);
  QVERIFY_ERROR(Canceled, buildOverviews(o, cancel), "");
  QVERIFY(!std::filesystem::exists(path + ".ovr"));
  QVERIFY(!hasOverviews(path));
  o.resampling = "fancy";
  QVERIFY_ERROR(InputError, o.validate(), "unknown overview resampling");
  RasterSpec small;
  o = BuildOverviewsOptions();
  o.input = makeRaster(dir.filePath("small.tif").toStdString(), small);
  Progress p;
  QVERIFY_ERROR(InputError, buildOverviews(o, p), "small enough");
  o.input = dir.filePath("missing.tif").toStdString();
  QVERIFY_ERROR(IoError, o.validate(), "not found");
}

// ------------------------------------------------------------ display sources

void TestRender::stacksSentinel2BandFiles() {
  const std::vector<std::string> files{sampleData(kS2Dir + "s2_B12.tif"), sampleData(kS2Dir + "s2_B11.tif"),
                                       sampleData(kS2Dir + "s2_B8A.tif")};
  const DisplaySource s = prepareDisplaySource(files, "");
  QCOMPARE(s.bandCount(), 3);
  QVERIFY(!s.warped);
  QCOMPARE(bandName(s.info, 1), std::string("B12"));
  QCOMPARE(bandName(s.info, 3), std::string("B8A"));
  QCOMPARE(s.nativeGrid.width, 967);
  QCOMPARE(s.name, std::string("s2_B12-B11-B8A"));
  QCOMPARE(s.gridPath, std::filesystem::absolute(files[0]).lexically_normal().string());
  const BandCombination c = autoPreset(s.info);
  QCOMPARE(c.presetId, std::string("s2_false_colour"));
  QCOMPARE(channelSummary(c), std::string("1,2,3"));
  // The stack reads each band from its own file.
  RasterRenderer r(s.gdalName);
  const ChannelData d = r.readChannels(c, r.grid().bounds(), 967, 973);
  const std::vector<double> b11 = emitrace::test::readBand(files[1]);
  const std::vector<double> b8a = emitrace::test::readBand(files[2]);
  for (size_t i = 0; i < b11.size(); i += 997) {
    QCOMPARE(double(d.channels[1][i]), b11[i]);
    QCOMPARE(double(d.channels[2][i]), b8a[i]);
  }
  // The in-memory VRT disappears with the last copy of the source.
  const std::string name = s.gdalName;
  {
    DisplaySource copy = s;
    (void)copy;
  }
  VSIStatBufL st;
  QCOMPARE(VSIStatL(name.c_str(), &st), 0);
  std::string released;
  {
    DisplaySource temp = prepareDisplaySource(files, "");
    released = temp.gdalName;
  }
  QVERIFY(VSIStatL(released.c_str(), &st) != 0);
}

void TestRender::groupsBandFiles() {
  QTemporaryDir dir;
  const auto p = [&](const char* n) { return dir.filePath(n).toStdString(); };
  RasterSpec spec;
  makeRaster(p("s2_B12.tif"), spec);
  makeRaster(p("s2_B11.tif"), spec);
  makeRaster(p("s2_B8A.tif"), spec);
  RasterSpec other = spec;
  other.width = 9;
  makeRaster(p("t2_B04.tif"), other);
  makeRaster(p("notes.tif"), spec);  // no band token
  std::ofstream(p("broken_B02.tif")) << "not a raster";
  const auto groups = groupBandFiles({p("s2_B12.tif"), p("notes.tif"), p("s2_B11.tif"), p("t2_B04.tif"),
                                      p("s2_B8A.tif"), p("broken_B02.tif")});
  QCOMPARE(groups.size(), size_t(4));
  QCOMPARE(groups[0], (std::vector<std::string>{p("s2_B12.tif"), p("s2_B11.tif"), p("s2_B8A.tif")}));
  QCOMPARE(groups[1], std::vector<std::string>{p("notes.tif")});
  QCOMPARE(groups[2], std::vector<std::string>{p("t2_B04.tif")});
  QCOMPARE(groups[3], std::vector<std::string>{p("broken_B02.tif")});
}

void TestRender::stackErrors() {
  QTemporaryDir dir;
  RasterSpec a;
  RasterSpec b;
  b.geoTransform[0] += 10;  // shifted by a pixel
  const std::string pa = makeRaster(dir.filePath("a_B02.tif").toStdString(), a);
  const std::string pb = makeRaster(dir.filePath("a_B03.tif").toStdString(), b);
  QVERIFY_ERROR(InputError, prepareDisplaySource({pa, pb}, ""), "not on the grid");
  QVERIFY_ERROR(IoError, prepareDisplaySource({dir.filePath("missing.tif").toStdString()}, ""), "not found");
  QVERIFY_ERROR(InputError, prepareDisplaySource({}, ""), "no raster");
  RasterSpec noCrs;
  noCrs.crs = "";
  const std::string pc = makeRaster(dir.filePath("nocrs.tif").toStdString(), noCrs);
  QVERIFY_ERROR(InputError, prepareDisplaySource({pc}, render::crsWktFrom("EPSG:32633")),
                "no coordinate reference system");
}

void TestRender::warpsOtherCrsForDisplay() {
  QTemporaryDir dir;
  RasterSpec spec;  // 64 x 64 px of 10 m in UTM 33N
  spec.width = 64;
  spec.height = 64;
  spec.value = [](int, int c, int r) { return 100.0 + c + r; };
  const std::string path = makeRaster(dir.filePath("utm.tif").toStdString(), spec);
  buildOverviews(path, {2, 4});
  const std::string wgs84 = wgs84Wkt();
  const DisplaySource s = prepareDisplaySource({path}, wgs84);
  QVERIFY(s.warped);
  QVERIFY(isGeographic(s.displayGrid.crsWkt));
  QVERIFY(s.displayGrid.northUp());
  QVERIFY(!isGeographic(s.nativeGrid.crsWkt));
  QCOMPARE(s.bandCount(), 1);
  RasterRenderer r(s.gdalName);
  QCOMPARE(r.bandCount(), 2);  // data + alpha
  QVERIFY2(r.overviewSizes().size() >= 1, "the warped VRT exposes the source's overviews");
  // Render a box twice the scene's size: the scene is opaque, the margin clear.
  const Bounds b = s.displayGrid.bounds();
  const Bounds area{b.minX - b.width() / 2, b.minY - b.height() / 2, b.maxX + b.width() / 2,
                    b.maxY + b.height() / 2};
  const BandCombination c = autoPreset(s.info);
  const ChannelData d = r.readChannels(c, area, 128, 128);
  QVERIFY(std::isnan(d.channels[0][0]));
  QVERIFY(std::isnan(d.channels[0][127 * 128 + 127]));
  const float centre = d.channels[0][64 * 128 + 64];
  QVERIFY2(centre > 150 && centre < 180, std::to_string(centre).c_str());  // ~100 + 32 + 32
  // The warped value at a point equals the source value at that point.
  CrsTransform toUtm(wgs84, s.nativeGrid.crsWkt);
  const double lon = (area.minX + area.maxX) / 2 + area.width() / 128 * 0.5;
  const double lat = (area.minY + area.maxY) / 2 - area.height() / 128 * 0.5;
  double x = lon, y = lat;
  QVERIFY(toUtm.apply(x, y));
  const auto px = s.nativeGrid.toPixel(x, y);
  const float expected = static_cast<float>(100 + std::floor(px[0]) + std::floor(px[1]));
  QVERIFY2(std::fabs(centre - expected) <= 1.0f,
           (std::to_string(centre) + " vs " + std::to_string(expected)).c_str());
  // Zoomed out, the renderer reads an overview of the warped VRT.
  r.readChannels(c, area, 16, 16);
  QVERIFY(r.lastLevel() >= 0);
}

// ------------------------------------------------------------ vectors, AOI, tiles

void TestRender::vectorOverlayReprojects() {
  QTemporaryDir dir;
  // A lon/lat square and a point near 15°E 45°N, shown on a UTM 33N map.
  const std::string gpkg = makePolygons(
      dir.filePath("v.gpkg").toStdString(),
      {"POLYGON((15 45,15.01 45,15.01 45.01,15 45.01,15 45))", "POINT(15.005 45.005)",
       "MULTIPOLYGON(((15.1 45,15.11 45,15.11 45.01,15.1 45)),((15.2 45,15.21 45,15.21 45.01,15.2 45)))"},
      "EPSG:4326");
  const std::string utm = crsWktFrom("EPSG:32633");
  const VectorOverlay o = loadVectorOverlay(gpkg, "", utm);
  QCOMPARE(o.features.size(), size_t(3));
  QVERIFY(o.features[0].kind == OverlayGeometry::Polygon);
  QVERIFY(o.features[1].kind == OverlayGeometry::Point);
  QCOMPARE(o.features[2].parts.size(), size_t(2));
  // 15°E is the UTM 33 central meridian: easting 500000 at the west edge.
  QVERIFY(std::fabs(o.features[0].bounds.minX - 500000) < 1);
  QVERIFY(std::fabs(o.features[0].bounds.minY - 4982950) < 100);
  QVERIFY(o.features[0].bounds.width() > 780 &&
          o.features[0].bounds.width() < 800);  // 0.01° of longitude at 45°N
  QVERIFY(o.bounds.maxX > o.features[2].bounds.minX);
  QVERIFY(o.dominantKind() == OverlayGeometry::Polygon);
  QCOMPARE(vectorLayerNames(gpkg), std::vector<std::string>{"aoi"});
  // No map CRS: the file's own coordinates.
  QCOMPARE(loadVectorOverlay(gpkg, "", "").features[0].bounds.minX, 15.0);
  QVERIFY_ERROR(InputError, loadVectorOverlay(gpkg, "nope", utm), "layer 'nope' not found");
  QVERIFY_ERROR(IoError, loadVectorOverlay(dir.filePath("none.gpkg").toStdString(), "", utm), "not found");
}

void TestRender::aoiGeometry() {
  const std::string rect = rectanglePolygonWkt({10, 20}, {0, 0});
  QCOMPARE(polygonArea(rect), 200.0);
  QCOMPARE(polygonRings(rect).size(), size_t(1));
  QCOMPARE(polygonRings(rect)[0].size(), size_t(5));
  QVERIFY_ERROR(InputError, rectanglePolygonWkt({1, 1}, {1, 5}), "no area");
  const std::string tri = polygonWkt({{0, 0}, {10, 0}, {10, 0}, {0, 10}, {0, 0}});
  QCOMPARE(polygonArea(tri), 50.0);
  QVERIFY_ERROR(InputError, polygonWkt({{0, 0}, {1, 1}, {1, 1}}), "three distinct");
  QVERIFY_ERROR(InputError, polygonWkt({{0, 0}, {10, 10}, {10, 0}, {0, 20}}), "crosses itself");
  QVERIFY_ERROR(InputError, polygonWkt({{0, 0}, {10, 10}, {10, 0}, {0, 10}}),
                "crosses itself");  // zero net area
  QVERIFY_ERROR(InputError, polygonWkt({{0, 0}, {5, 5}, {10, 10}}), "no area");
  // From a file: two touching squares in lon/lat merge into one polygon in UTM.
  QTemporaryDir dir;
  const std::string path = makePolygons(dir.filePath("aoi.geojson").toStdString(),
                                        {"POLYGON((15 45,15.01 45,15.01 45.01,15 45.01,15 45))",
                                         "POLYGON((15.01 45,15.02 45,15.02 45.01,15.01 45.01,15.01 45))"},
                                        "EPSG:4326");
  const std::string wkt = aoiWktFromVectorFile(path, crsWktFrom("EPSG:32633"));
  QCOMPARE(polygonRings(wkt).size(), size_t(1));
  const double area = polygonArea(wkt);
  QVERIFY2(area > 2 * 780 * 1100 && area < 2 * 800 * 1125, std::to_string(area).c_str());
  const std::string points =
      makePolygons(dir.filePath("pts.gpkg").toStdString(), {"POINT(1 2)"}, "EPSG:4326");
  QVERIFY_ERROR(InputError, aoiWktFromVectorFile(points, ""), "no polygon");
}

void TestRender::tileGridPreviewMatchesMakeTileGrid() {
  // The real Sentinel-2 grid, 72 px patches with 8 px overlap, and a drawn polygon.
  const raster::GridSpec grid = raster::gridOfRaster(sampleData(kS2Dir + "s2_B12.tif"));
  raster::TileGridOptions o;
  o.patch = raster::Length::parse("72px");
  o.overlap = raster::Overlap::parse("8px");
  const std::string aoi =
      polygonWkt({{440000, 4165000}, {450000, 4166000}, {448000, 4175000}, {441000, 4172000}});
  for (auto edge : {raster::EdgePolicy::Shift, raster::EdgePolicy::Pad, raster::EdgePolicy::Drop}) {
    o.edge = edge;
    const TileGridPreview p = previewTileGrid(grid, aoi, grid.crsWkt, o);
    const raster::TileGrid direct = raster::makeTileGrid(grid, raster::Aoi::parse(aoi, grid), o);
    QCOMPARE(p.count(), static_cast<std::int64_t>(direct.tiles.size()));
    QCOMPARE(p.footprints.size(), direct.tiles.size());
    QCOMPARE(p.aoiSpec, aoi);
    const raster::Bounds first = direct.bounds(direct.tiles.front());
    QCOMPARE(p.footprints.front()[0].x, first.minX);
    QCOMPARE(p.footprints.front()[0].y, first.maxY);
    QCOMPARE(p.footprints.front()[2].x, first.maxX);
  }
  // Whole raster, and the footprint limit.
  o.edge = raster::EdgePolicy::Shift;
  const TileGridPreview whole = previewTileGrid(grid, "", grid.crsWkt, o, 10);
  QVERIFY(whole.footprintsOmitted);
  QVERIFY(whole.footprints.empty());
  QCOMPARE(whole.count(),
           static_cast<std::int64_t>(raster::makeTileGrid(grid, raster::Aoi(), o).tiles.size()));
  QCOMPARE(whole.aoiSpec, std::string());
  // Errors come from the core's tiling.
  QVERIFY_ERROR(InputError, previewTileGrid(grid, rectanglePolygonWkt({0, 0}, {10, 10}), grid.crsWkt, o), "");
  o.overlap = raster::Overlap::parse("72px");
  QVERIFY_ERROR(InputError, previewTileGrid(grid, "", grid.crsWkt, o), "overlap");
}

void TestRender::tileGridPreviewAcrossCrs() {
  // Map in lon/lat, raster in UTM: the AOI goes to UTM for tiling, footprints come back.
  const raster::GridSpec grid = raster::gridOfRaster(sampleData(kS2Dir + "s2_B12.tif"));
  const std::string wgs84 = wgs84Wkt();
  const std::string aoiLonLat = rectanglePolygonWkt({-75.70, 37.60}, {-75.60, 37.70});
  raster::TileGridOptions o;
  o.patch = raster::Length::parse("720m");
  const TileGridPreview p = previewTileGrid(grid, aoiLonLat, wgs84, o);
  const std::string aoiUtm = transformGeometryWkt(aoiLonLat, wgs84, grid.crsWkt);
  QCOMPARE(p.count(), static_cast<std::int64_t>(
                          raster::makeTileGrid(grid, raster::Aoi::parse(aoiUtm, grid), o).tiles.size()));
  QVERIFY(p.count() > 50);
  QVERIFY(p.bounds.minX > -75.8 && p.bounds.maxX < -75.5 && p.bounds.minY > 37.5 && p.bounds.maxY < 37.8);
}

void TestRender::coordinatesAndScale() {
  const std::string utm33 = crsWktFrom("EPSG:32633");
  QVERIFY(sameCrs(utm33, crsWktFrom("EPSG:32633")));
  QVERIFY(!sameCrs(utm33, crsWktFrom("EPSG:32632")));
  QVERIFY(sameCrs("", ""));
  QVERIFY(!sameCrs("", utm33));
  CrsTransform toLonLat(utm33, wgs84Wkt());
  double x = 500000, y = 0;
  QVERIFY(toLonLat.apply(x, y));
  QVERIFY(std::fabs(x - 15) < 1e-9 && std::fabs(y) < 1e-9);
  // 10 m per pixel at 96 dpi: 10 / (0.0254 / 96) = 37795.
  QVERIFY(std::fabs(scaleDenominator(10, utm33, 45) - 37795.275) < 0.01);
  // 0.0001° per pixel at 60°N is half the metres of the equator.
  const double eq = scaleDenominator(1e-4, wgs84Wkt(), 0), north = scaleDenominator(1e-4, wgs84Wkt(), 60);
  QVERIFY(std::fabs(north / eq - 0.5) < 1e-9);
  QCOMPARE(scaleDenominator(1, "", 0), 0.0);
  QVERIFY_ERROR(InputError, CrsTransform("", utm33), "no coordinate reference system");
  const Bounds lonlat = toLonLat.apply(Bounds{500000, 4980000, 510000, 4990000});
  QVERIFY(lonlat.minX > 14.99 && lonlat.maxX < 15.2 && lonlat.minY > 44.9 && lonlat.maxY < 45.1);
}

QTEST_GUILESS_MAIN(TestRender)
#include "test_render.moc"
