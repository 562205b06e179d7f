// core/raster: describing rasters, band selection, grids, the common-grid
// reader, valid masks, AOIs, tile grids and writers, on generated fixtures
// and the real sample scenes.
#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <signal.h>
#include <sys/resource.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/progress.h"
#include "core/raster/aoi.h"
#include "core/raster/band_selection.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"
#include "core/raster/grid_stack.h"
#include "core/raster/raster_info.h"
#include "core/raster/raster_writer.h"
#include "core/raster/tile_grid.h"
#include "core/raster/tile_grid_export.h"
#include "core/raster/valid_mask.h"
#include "core/raster/vector_writer.h"
#include "tests/common/fixtures.h"

using namespace emitrace;
using namespace emitrace::raster;
using emitrace::test::makeRaster;
using emitrace::test::RasterSpec;
using emitrace::test::sampleData;

namespace {

bool exists(const std::string& p) { return std::filesystem::exists(p); }

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

#define QVERIFY_ERROR(Type, expr, fragment)                                              \
  do {                                                                                   \
    const std::string _msg = expectError<Type>([&] { (void)(expr); });                   \
    QVERIFY2(_msg.find(fragment) != std::string::npos && _msg.rfind("WRONG TYPE", 0) != 0 && \
                 _msg != "NO EXCEPTION",                                                 \
             ("got: " + _msg).c_str());                                                  \
  } while (0)

long long countFeatures(const std::string& path) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  if (!ds) return -1;
  return ds->GetLayer(0)->GetFeatureCount();
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

class TestRaster : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { ensureGdal(); }

  // RasterInfo
  void describesGeneratedRaster();
  void describesEnviWavelengthsInMicrometres();
  void describesRealSamples();
  void openErrors();

  // Band selection
  void selectBand_data();
  void selectBand();
  void selectBandErrors();
  void bandsInWindowAndNearest();

  // Grids
  void gridTransforms();
  void makeGridSnapsOutward();

  // Common grid reading
  void stackReadsSameGridDirectly();
  void stackResamplesBilinear();
  void stackReprojects();
  void stackPadsOutsideAndMapsNodata();
  void stackErrors();
  void stackRealSentinel2To10m();

  void validMask();

  // AOI
  void aoiForms_data();
  void aoiForms();
  void aoiFromVectorFile();
  void aoiErrors();

  // Tile grids
  void tileCounts_data();
  void tileCounts();
  void tileIdsStableAcrossAois();
  void tileGridFollowsAoiPolygon();
  void tileGridErrors();

  // Writers
  void rasterWriterRoundTrip();
  void rasterWriterCog();
  void rasterWriterLeavesNothingWhenAbandoned();
  void rasterWriterReportsFullDisk();
  void vectorWriterFormats();
  void vectorWriterLeavesNothingWhenAbandoned();

  // exportTileGrid
  void exportTileGridWritesFeatures();
  void exportTileGridCancelLeavesNoOutput();
  void exportTileGridUnwritableOutput();
};

// ---------------------------------------------------------------- RasterInfo

void TestRaster::describesGeneratedRaster() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.width = 5;
  spec.height = 4;
  spec.bands = 3;
  spec.nodata = -9999;
  spec.bandNames = {"B04", "B03", "B02"};
  spec.wavelengthsNm = {665, 560, 490};
  spec.fwhmNm = {30, 35, 65};
  const auto path = makeRaster(dir.filePath("a.tif").toStdString(), spec);
  const RasterInfo info = describeRaster(path);
  QCOMPARE(info.width, 5);
  QCOMPARE(info.height, 4);
  QCOMPARE(info.bandCount(), 3);
  QCOMPARE(info.driver, std::string("GTiff"));
  QVERIFY(info.hasGeoTransform);
  QCOMPARE(info.geoTransform[1], 10.0);
  QVERIFY(crsDisplayName(info.crsWkt).find("32633") != std::string::npos);
  QCOMPARE(info.bands[0].description, std::string("B04"));
  QCOMPARE(info.bands[2].dataType, std::string("Float32"));
  QCOMPARE(*info.bands[1].nodata, -9999.0);
  QCOMPARE(*info.bands[1].wavelengthNm, 560.0);
  QCOMPARE(*info.bands[2].fwhmNm, 65.0);
  QVERIFY(info.hasWavelengths());
  const std::string text = formatRasterInfo(info);
  QVERIFY(text.find("560 nm") != std::string::npos);
}

void TestRaster::describesEnviWavelengthsInMicrometres() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.width = 3;
  spec.height = 2;
  spec.bands = 4;
  spec.driver = "ENVI";
  const std::string path = dir.filePath("cube.img").toStdString();
  makeRaster(path, spec);
  // Rewrite the header the way AVIRIS-NG ships it: micrometres, brace lists.
  const std::string hdr = dir.filePath("cube.hdr").toStdString();
  std::ifstream in(hdr);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.find("band names") != std::string::npos || line.find("wavelength") != std::string::npos) {
      while (line.find('}') == std::string::npos && std::getline(in, line)) {
      }
      continue;
    }
    kept += line + "\n";
  }
  in.close();
  std::ofstream(hdr) << kept
                     << "wavelength units = Micrometers\n"
                        "wavelength = {\n 2.1247, 2.1297,\n 2.1347, 2.1397}\n"
                        "fwhm = { 0.0055, 0.0056, 0.0057, 0.0058 }\n";
  std::filesystem::remove(path + ".aux.xml");
  const RasterInfo info = describeRaster(path);
  QCOMPARE(info.driver, std::string("ENVI"));
  QVERIFY2(info.hasWavelengths(), formatRasterInfo(info).c_str());
  QVERIFY(std::abs(*info.bands[0].wavelengthNm - 2124.7) < 1e-6);
  QVERIFY(std::abs(*info.bands[3].wavelengthNm - 2139.7) < 1e-6);
  QVERIFY(info.bands[2].fwhmNm.has_value());
  QVERIFY(std::abs(*info.bands[2].fwhmNm - 5.7) < 1e-6);
}

void TestRaster::describesRealSamples() {
  const RasterInfo s2 = describeRaster(sampleData("sentinel2_18SVG_20m/s2_B11.tif"));
  QCOMPARE(s2.width, 967);
  QCOMPARE(s2.height, 973);
  QCOMPARE(s2.bands[0].dataType, std::string("UInt16"));
  QCOMPARE(s2.geoTransform[1], 20.0);
  QVERIFY(crsDisplayName(s2.crsWkt).find("32618") != std::string::npos);

  const RasterInfo s1 = describeRaster(sampleData("sentinel1_vv/S1A__IW___A_20150309T173017_VV_grd_mli_geo_norm_db.tif"));
  QCOMPARE(s1.width, 268);
  QCOMPARE(s1.height, 217);
  QVERIFY(s1.bands[0].nodata.has_value());
  QCOMPARE(*s1.bands[0].nodata, -99.0);

  const RasterInfo patch = describeRaster(sampleData("sentinel2_patch_72x72/eolearn_S2L1C_ref0_72x72_B2-B3-B4-B8A-B11-B12.tif"));
  QCOMPARE(patch.width, 72);
  QCOMPARE(patch.bandCount(), 6);

  const RasterInfo lut = describeRaster(sampleData("../../resources/ch4_lut/ch4.lut"));
  QCOMPARE(lut.bandCount(), 31800);
  QVERIFY(lut.hasWavelengths());
  QVERIFY(std::abs(*lut.bands.front().wavelengthNm - 1399.58997) < 1e-4);
  QVERIFY(std::abs(*lut.bands.back().wavelengthNm - 2522.04) < 0.01);
}

void TestRaster::openErrors() {
  QTemporaryDir dir;
  QVERIFY_ERROR(IoError, describeRaster(dir.filePath("missing.tif").toStdString()), "file not found");
  const std::string text = dir.filePath("notes.txt").toStdString();
  std::ofstream(text) << "this is not a raster\n";
  QVERIFY_ERROR(InputError, describeRaster(text), "not a raster format");
  // A truncated GeoTIFF.
  RasterSpec spec;
  const std::string tif = makeRaster(dir.filePath("ok.tif").toStdString(), spec);
  std::filesystem::resize_file(tif, 64);
  const std::string msg = expectError<Error>([&] { describeRaster(tif); });
  QVERIFY2(msg != "NO EXCEPTION" && msg.find("ok.tif") != std::string::npos, msg.c_str());
  // A container of subdatasets (GeoPackage raster tables work the same way as netCDF).
  QVERIFY_ERROR(InputError, describeRaster(""), "no input path");
}

// ------------------------------------------------------------ band selection

void TestRaster::selectBand_data() {
  QTest::addColumn<QString>("spec");
  QTest::addColumn<int>("expected");
  QTest::newRow("index") << "2" << 2;
  QTest::newRow("hash index") << "#3" << 3;
  QTest::newRow("description") << "B03" << 2;
  QTest::newRow("description case") << "b02" << 3;
  QTest::newRow("wavelength nm") << "660nm" << 1;
  QTest::newRow("wavelength spaced") << "500 nm" << 3;
  QTest::newRow("wavelength um") << "0.56um" << 2;
}

void TestRaster::selectBand() {
  QFETCH(QString, spec);
  QFETCH(int, expected);
  QTemporaryDir dir;
  RasterSpec rs;
  rs.bands = 3;
  rs.bandNames = {"B04", "B03", "B02"};
  rs.wavelengthsNm = {665, 560, 490};
  const RasterInfo info = describeRaster(makeRaster(dir.filePath("a.tif").toStdString(), rs));
  QCOMPARE(raster::selectBand(info, spec.toStdString()), expected);
}

void TestRaster::selectBandErrors() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.bands = 2;
  rs.bandNames = {"VV", "VV"};
  const RasterInfo info = describeRaster(makeRaster(dir.filePath("a.tif").toStdString(), rs));
  QVERIFY_ERROR(InputError, raster::selectBand(info, "5"), "has 2 band");
  QVERIFY_ERROR(InputError, raster::selectBand(info, "0"), "does not exist");
  QVERIFY_ERROR(InputError, raster::selectBand(info, "VH"), "available: 1 \"VV\"");
  QVERIFY_ERROR(InputError, raster::selectBand(info, "vv"), "matches 2 bands");
  QVERIFY_ERROR(InputError, raster::selectBand(info, "2300nm"), "does not carry band wavelengths");
}

void TestRaster::bandsInWindowAndNearest() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.bands = 5;
  rs.wavelengthsNm = {2100, 2130, 2300, 2480, 2500};
  const RasterInfo info = describeRaster(makeRaster(dir.filePath("a.tif").toStdString(), rs));
  QCOMPARE(bandsInWindow(info, 2122, 2488), (std::vector<int>{2, 3, 4}));
  QCOMPARE(nearestWavelengthBand(info, 2310), 3);
  QVERIFY_ERROR(InputError, bandsInWindow(info, 1000, 1100), "no band");
  QVERIFY_ERROR(InputError, nearestWavelengthBand(info, 640, 50), "nearest is band 1");
}

// --------------------------------------------------------------------- grids

void TestRaster::gridTransforms() {
  GridSpec g;
  g.geoTransform = {1000, 10, 0, 2000, 0, -10};
  g.width = 100;
  g.height = 50;
  auto p = g.toGeo(3, 4);
  QCOMPARE(p[0], 1030.0);
  QCOMPARE(p[1], 1960.0);
  auto back = g.toPixel(p[0], p[1]);
  QCOMPARE(back[0], 3.0);
  QCOMPARE(back[1], 4.0);
  Bounds b = g.bounds();
  QCOMPARE(b.minX, 1000.0);
  QCOMPARE(b.maxX, 2000.0);
  QCOMPARE(b.minY, 1500.0);
  QCOMPARE(b.maxY, 2000.0);
  QCOMPARE(g.clip({-5, 45, 20, 20}), (Window{0, 45, 15, 5}));
  QCOMPARE(g.clip({200, 0, 5, 5}).width, 0);
  QCOMPARE(g.footprintWkt({0, 0, 1, 1}), std::string("POLYGON((1000 2000,1010 2000,1010 1990,1000 1990,1000 2000))"));
  // No geotransform: cannot make a grid.
  QTemporaryDir dir;
  RasterSpec rs;
  rs.georeferenced = false;
  rs.crs = "";
  const auto path = makeRaster(dir.filePath("plain.tif").toStdString(), rs);
  QVERIFY_ERROR(InputError, gridOfRaster(path), "no georeferencing");
}

void TestRaster::makeGridSnapsOutward() {
  const GridSpec g = makeGrid("EPSG:32633", 10, 10, {500003, 4999991, 500718, 5000719});
  QCOMPARE(g.geoTransform[0], 500000.0);
  QCOMPARE(g.geoTransform[3], 5000720.0);
  QCOMPARE(g.width, 72);
  QCOMPARE(g.height, 73);
  QVERIFY_ERROR(InputError, makeGrid("EPSG:32633", 0, 10, {0, 0, 1, 1}), "positive");
  QVERIFY_ERROR(InputError, makeGrid("EPSG:999999", 10, 10, {0, 0, 100, 100}), "unknown coordinate reference");
}

// -------------------------------------------------------------- common grid

void TestRaster::stackReadsSameGridDirectly() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 20;
  rs.height = 10;
  rs.bands = 2;
  rs.type = "UInt16";
  const auto path = makeRaster(dir.filePath("a.tif").toStdString(), rs);
  const GridSpec grid = gridOfRaster(path);
  GridStack stack(grid, {{path, 2, "second"}, {path, 1, "first"}});
  QCOMPARE(stack.bandCount(), 2);
  std::vector<float> out;
  stack.read({3, 2, 5, 4}, out);
  QCOMPARE(out.size(), size_t(2 * 5 * 4));
  // band 2 first: 1000 + row*20 + col
  QCOMPARE(out[0], 1000.0f + 2 * 20 + 3);
  QCOMPARE(out[5 * 4 + 6], 0.0f + 3 * 20 + 4);  // band 1, row 1, col 1 of the window
}

void TestRaster::stackResamplesBilinear() {
  QTemporaryDir dir;
  // 20 m source whose value is a linear ramp in x: bilinear on a 10 m grid is exact inside.
  RasterSpec rs;
  rs.width = 10;
  rs.height = 10;
  rs.geoTransform = {500000, 20, 0, 5000000, 0, -20};
  rs.value = [](int, int c, int r) { return 100.0 + 4.0 * c + 2.0 * r; };
  const auto path = makeRaster(dir.filePath("coarse.tif").toStdString(), rs);
  const GridSpec target = makeGrid("EPSG:32633", 10, 10, gridOfRaster(path).bounds());
  QCOMPARE(target.width, 20);
  GridStack stack(target, {{path, 1, "ramp"}}, Resampling::Bilinear);
  std::vector<float> out;
  stack.read(target.full(), out);
  // 10 m pixel (col, row) has its centre at source pixel coordinate (col+0.5)/2, so
  // the source value is 100 + 4*((col+0.5)/2 - 0.5) + 2*((row+0.5)/2 - 0.5).
  for (int row = 2; row < 18; ++row) {
    for (int col = 2; col < 18; ++col) {
      const double expected = 100.0 + 4.0 * ((col + 0.5) / 2 - 0.5) + 2.0 * ((row + 0.5) / 2 - 0.5);
      const double got = out[row * 20 + col];
      if (std::abs(got - expected) > 1e-3) {
        QFAIL(qPrintable(QString("pixel %1,%2 expected %3 got %4").arg(col).arg(row).arg(expected).arg(got)));
      }
    }
  }
}

void TestRaster::stackReprojects() {
  QTemporaryDir dir;
  // Source in lon/lat whose value encodes longitude; target in UTM 33N.
  RasterSpec rs;
  rs.width = 200;
  rs.height = 200;
  rs.crs = "EPSG:4326";
  rs.geoTransform = {14.0, 0.01, 0, 46.0, 0, -0.01};
  rs.value = [](int, int c, int) { return 14.0 + (c + 0.5) * 0.01; };
  const auto path = makeRaster(dir.filePath("lonlat.tif").toStdString(), rs);
  // Target: 1 km grid around (15E, 45N) in UTM 33N (central meridian 15E).
  const GridSpec target = makeGrid("EPSG:32633", 1000, 1000, {480000, 4960000, 520000, 5000000});
  GridStack stack(target, {{path, 1, "lon"}}, Resampling::Nearest);
  std::vector<float> out;
  stack.read(target.full(), out);
  OGRSpatialReference utm = spatialReferenceFrom("EPSG:32633");
  OGRSpatialReference wgs = spatialReferenceFrom("EPSG:4326");
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&utm, &wgs));
  for (int row : {0, 17, 39}) {
    for (int col : {0, 20, 39}) {
      auto p = target.toGeo(col + 0.5, row + 0.5);
      double x = p[0], y = p[1];
      ct->Transform(1, &x, &y);
      const double got = out[row * target.width + col];
      QVERIFY2(std::abs(got - x) <= 0.006, qPrintable(QString("lon %1 got %2").arg(x).arg(got)));
    }
  }
}

void TestRaster::stackPadsOutsideAndMapsNodata() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 4;
  rs.height = 4;
  rs.nodata = -99;
  rs.value = [](int, int c, int r) { return (c == 1 && r == 1) ? -99.0 : 7.0; };
  const auto path = makeRaster(dir.filePath("nd.tif").toStdString(), rs);
  const GridSpec grid = gridOfRaster(path);
  GridStack stack(grid, {{path, 1, ""}});
  std::vector<float> out;
  stack.read({-1, -1, 4, 4}, out);  // one pixel of padding left and top
  QVERIFY(std::isnan(out[0]));                 // outside
  QVERIFY(std::isnan(out[1 * 4 + 0]));         // outside (column -1)
  QVERIFY(std::isnan(out[2 * 4 + 2]));         // source (1,1) is nodata
  QCOMPARE(out[1 * 4 + 1], 7.0f);              // source (0,0)
  auto mask = raster::validMask(out.data(), 1, 16);
  QCOMPARE(countValid(mask), 8LL);             // 9 on-raster pixels minus the nodata one
}

void TestRaster::stackErrors() {
  QTemporaryDir dir;
  RasterSpec rs;
  const auto path = makeRaster(dir.filePath("a.tif").toStdString(), rs);
  const GridSpec grid = gridOfRaster(path);
  QVERIFY_ERROR(InputError, GridStack(grid, {{path, 2, "VH"}}), "band 2 (VH) does not exist");
  QVERIFY_ERROR(IoError, GridStack(grid, {{dir.filePath("gone.tif").toStdString(), 1, ""}}), "file not found");
  QVERIFY_ERROR(InputError, GridStack(grid, {}), "no input bands");
  // A raster without a CRS cannot join a georeferenced grid.
  RasterSpec noCrs;
  noCrs.crs = "";
  noCrs.geoTransform = {0, 1, 0, 0, 0, -1};
  const auto plain = makeRaster(dir.filePath("nocrs.tif").toStdString(), noCrs);
  QVERIFY_ERROR(InputError, GridStack(grid, {{plain, 1, ""}}), "has no CRS");
}

void TestRaster::stackRealSentinel2To10m() {
  const std::string dir = sampleData("sentinel2_18SVG_20m");
  const GridSpec source = gridOfRaster(dir + "/s2_B11.tif");
  const GridSpec target = makeGrid(source.crsWkt, 10, 10, source.bounds());
  QCOMPARE(target.width, 2 * source.width);
  GridStack stack(target, {{dir + "/s2_B8A.tif", 1, "B8A"}, {dir + "/s2_B11.tif", 1, "B11"},
                           {dir + "/s2_B12.tif", 1, "B12"}});
  std::vector<float> out;
  const Window w{800, 800, 72, 72};
  stack.read(w, out);
  // Nearest source pixel at 20 m for comparison: bilinear values lie within the
  // range of the 2x2 source neighbourhood.
  const auto b11 = emitrace::test::readBand(dir + "/s2_B11.tif");
  int checked = 0;
  for (int r = 1; r < 71; r += 7) {
    for (int c = 1; c < 71; c += 7) {
      const double v = out[72 * 72 + r * 72 + c];
      const int sx = (w.x + c) / 2, sy = (w.y + r) / 2;
      double lo = 1e30, hi = -1e30;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const double s = b11[(sy + dy) * source.width + sx + dx];
          lo = std::min(lo, s);
          hi = std::max(hi, s);
        }
      }
      QVERIFY2(v >= lo - 1e-3 && v <= hi + 1e-3, qPrintable(QString("%1 not in [%2, %3]").arg(v).arg(lo).arg(hi)));
      ++checked;
    }
  }
  QVERIFY(checked > 50);
}

void TestRaster::validMask() {
  // 2 bands x 4 pixels: valid, NaN in band 2, all zero, zero in one band only.
  const float nan = std::nanf("");
  std::vector<float> data{1, 2, 0, 0, 3, nan, 0, 5};
  auto mask = raster::validMask(data.data(), 2, 4);
  QCOMPARE(mask, (std::vector<std::uint8_t>{1, 0, 0, 1}));
  ValidMaskOptions keepZeros;
  keepZeros.allZeroIsInvalid = false;
  QCOMPARE(raster::validMask(data.data(), 2, 4, keepZeros), (std::vector<std::uint8_t>{1, 0, 1, 1}));
}

// ----------------------------------------------------------------------- AOI

void TestRaster::aoiForms_data() {
  // Raster: UTM 33N, origin (500000, 5000000), 100 x 100 px of 10 m.
  QTest::addColumn<QString>("spec");
  QTest::addColumn<bool>("whole");
  QTest::addColumn<double>("minX");
  QTest::addColumn<double>("maxY");
  QTest::addColumn<double>("area");
  QTest::newRow("empty") << "" << true << 500000.0 << 5000000.0 << 1e6;
  QTest::newRow("whole") << "whole" << true << 500000.0 << 5000000.0 << 1e6;
  QTest::newRow("bbox grid crs") << "500100,4999500,500300,4999800" << false << 500100.0 << 4999800.0 << 60000.0;
  QTest::newRow("bbox clipped") << "499000,4999500,500300,4999800" << false << 500000.0 << 4999800.0 << 90000.0;
  QTest::newRow("wkt") << "POLYGON((500000 5000000,500500 5000000,500000 4999500,500000 5000000))" << false
                       << 500000.0 << 5000000.0 << 125000.0;
  QTest::newRow("ewkt") << "SRID=32633;POLYGON((500100 4999100,500200 4999100,500200 4999200,500100 4999200,500100 4999100))"
                        << false << 500100.0 << 4999200.0 << 10000.0;
}

void TestRaster::aoiForms() {
  QFETCH(QString, spec);
  QFETCH(bool, whole);
  QFETCH(double, minX);
  QFETCH(double, maxY);
  QFETCH(double, area);
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {500000, 4999000, 501000, 5000000});
  const Aoi aoi = Aoi::parse(spec.toStdString(), grid);
  QCOMPARE(aoi.isWhole(), whole);
  QVERIFY(std::abs(aoi.bounds().minX - minX) < 1e-6);
  QVERIFY(std::abs(aoi.bounds().maxY - maxY) < 1e-6);
  QVERIFY2(std::abs(aoi.area() - area) < 1e-3, qPrintable(QString::number(aoi.area())));
}

void TestRaster::aoiFromVectorFile() {
  QTemporaryDir dir;
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {500000, 4999000, 501000, 5000000});
  // Two polygons in lon/lat; the AOI is their union, transformed to UTM.
  OGRSpatialReference utm = spatialReferenceFrom("EPSG:32633");
  OGRSpatialReference wgs = spatialReferenceFrom("EPSG:4326");
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&utm, &wgs));
  auto lonlatBox = [&](double x0, double y0, double x1, double y1) {
    double xs[4] = {x0, x1, x1, x0}, ys[4] = {y0, y0, y1, y1};
    ct->Transform(4, xs, ys);
    char buf[512];
    std::snprintf(buf, sizeof buf, "POLYGON((%.10f %.10f,%.10f %.10f,%.10f %.10f,%.10f %.10f,%.10f %.10f))",
                  xs[0], ys[0], xs[1], ys[1], xs[2], ys[2], xs[3], ys[3], xs[0], ys[0]);
    return std::string(buf);
  };
  const auto path = emitrace::test::makePolygons(
      dir.filePath("aoi.gpkg").toStdString(),
      {lonlatBox(500100, 4999100, 500200, 4999200), lonlatBox(500600, 4999600, 500800, 4999700)}, "EPSG:4326");
  const Aoi aoi = Aoi::parse(path, grid);
  QVERIFY(!aoi.isWhole());
  QVERIFY2(std::abs(aoi.area() - 30000.0) < 30.0, qPrintable(QString::number(aoi.area())));
  QVERIFY(std::abs(aoi.bounds().minX - 500100) < 0.5);
  QVERIFY(std::abs(aoi.bounds().maxX - 500800) < 0.5);
  // A bbox in lon/lat is transformed too.
  double x[2] = {500100, 500900}, y[2] = {4999100, 4999900};
  ct->Transform(2, x, y);
  const std::string bbox = std::to_string(x[0]) + "," + std::to_string(y[0]) + "," + std::to_string(x[1]) + "," +
                           std::to_string(y[1]) + ",EPSG:4326";
  const Aoi box = Aoi::parse(bbox, grid);
  QVERIFY2(std::abs(box.area() - 640000.0) < 2000.0, qPrintable(QString::number(box.area())));
}

void TestRaster::aoiErrors() {
  QTemporaryDir dir;
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {500000, 4999000, 501000, 5000000});
  QVERIFY_ERROR(InputError, Aoi::parse("600000,4999000,601000,5000000", grid), "does not overlap the raster");
  QVERIFY_ERROR(InputError, Aoi::parse("500100,4999100,500100,4999500", grid), "zero area");
  QVERIFY_ERROR(InputError, Aoi::parse("near the river", grid), "cannot read the area of interest");
  QVERIFY_ERROR(InputError, Aoi::parse("1,2,3", grid), "cannot read the area of interest");
  QVERIFY_ERROR(InputError, Aoi::parse("POLYGON((0 0, 1 1", grid), "cannot read the AOI WKT");
  QVERIFY_ERROR(InputError, Aoi::parse("0,0,1,1,EPSG:123456789", grid), "unknown coordinate reference");
  // Raster without CRS, AOI with one.
  GridSpec plain = grid;
  plain.crsWkt.clear();
  QVERIFY_ERROR(InputError, Aoi::parse("15,45,15.1,45.1,EPSG:4326", plain), "raster has no CRS");
  // CRS that cannot be transformed to the raster's (an engineering CRS).
  GridSpec local = grid;
  local.crsWkt = R"(LOCAL_CS["Lab bench",LOCAL_DATUM["bench",0],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]])";
  QVERIFY_ERROR(InputError, Aoi::parse("15,45,15.1,45.1,EPSG:4326", local), "cannot transform");
  // A vector file with no polygons.
  const auto points = emitrace::test::makePolygons(dir.filePath("pts.gpkg").toStdString(),
                                                   {"POINT(500100 4999100)"}, "EPSG:32633");
  QVERIFY_ERROR(InputError, Aoi::parse(points, grid), "no polygon features");
}

// ---------------------------------------------------------------- tile grids

void TestRaster::tileCounts_data() {
  QTest::addColumn<int>("width");
  QTest::addColumn<QString>("patch");
  QTest::addColumn<QString>("overlap");
  QTest::addColumn<QString>("edge");
  QTest::addColumn<int>("cols");
  QTest::addColumn<int>("lastX");
  QTest::newRow("exact fit") << 144 << "72px" << "0" << "shift" << 2 << 72;
  QTest::newRow("shift") << 100 << "72px" << "0" << "shift" << 2 << 28;
  QTest::newRow("pad") << 100 << "72px" << "0" << "pad" << 2 << 72;
  QTest::newRow("drop") << 100 << "72px" << "0" << "drop" << 1 << 0;
  QTest::newRow("metres") << 100 << "720m" << "0" << "shift" << 2 << 28;
  QTest::newRow("overlap fraction") << 144 << "72px" << "0.25" << "drop" << 2 << 54;
  QTest::newRow("overlap px") << 144 << "72px" << "18px" << "shift" << 3 << 72;
  QTest::newRow("overlap pad") << 144 << "72px" << "0.5" << "pad" << 3 << 72;
  QTest::newRow("small raster pad") << 50 << "72px" << "0" << "shift" << 1 << 0;
}

void TestRaster::tileCounts() {
  QFETCH(int, width);
  QFETCH(QString, patch);
  QFETCH(QString, overlap);
  QFETCH(QString, edge);
  QFETCH(int, cols);
  QFETCH(int, lastX);
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {500000, 4999000, 500000 + width * 10.0, 5000000});
  TileGridOptions o;
  o.patch = Length::parse(patch.toStdString());
  o.overlap = Overlap::parse(overlap.toStdString());
  o.edge = parseEdgePolicy(edge.toStdString());
  const TileGrid tg = makeTileGrid(grid, Aoi(), o);
  QCOMPARE(tg.latticeCols, cols);
  const Tile& last = tg.tiles[tg.latticeCols - 1];
  QCOMPARE(last.window.x, lastX);
  QCOMPARE(last.window.width, 72);
  QCOMPARE(static_cast<int>(tg.tiles.size()), tg.latticeCols * tg.latticeRows);
  for (size_t i = 0; i < tg.tiles.size(); ++i) {
    QCOMPARE(tg.tiles[i].id, static_cast<std::int64_t>(i));
    QCOMPARE(tg.tiles[i].id, std::int64_t(tg.tiles[i].row) * tg.latticeCols + tg.tiles[i].col);
  }
}

void TestRaster::tileIdsStableAcrossAois() {
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {500000, 4990000, 510000, 5000000});
  TileGridOptions o;
  o.patch = Length::parse("720m");
  const TileGrid all = makeTileGrid(grid, Aoi(), o);
  const TileGrid part = makeTileGrid(grid, Aoi::parse("503000,4993000,506000,4996000", grid), o);
  QVERIFY(part.tiles.size() < all.tiles.size());
  QVERIFY(part.tiles.size() >= 16);
  for (const Tile& t : part.tiles) {
    const Tile& same = all.tiles[static_cast<size_t>(t.id)];
    QCOMPARE(same.window, t.window);
    QCOMPARE(same.row, t.row);
  }
  // Deterministic: same input, same list.
  const TileGrid again = makeTileGrid(grid, Aoi::parse("503000,4993000,506000,4996000", grid), o);
  QCOMPARE(again.tiles.size(), part.tiles.size());
  for (size_t i = 0; i < part.tiles.size(); ++i) QCOMPARE(again.tiles[i].id, part.tiles[i].id);
}

void TestRaster::tileGridFollowsAoiPolygon() {
  // A triangle over a 10 x 10 lattice keeps roughly half the tiles, and
  // exactly those whose footprint meets the triangle.
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {0, 0, 1000, 1000});
  TileGridOptions o;
  o.patch = Length::parse("10px");
  const Aoi tri = Aoi::parse("POLYGON((0 0,1000 0,0 1000,0 0))", grid);
  const TileGrid tg = makeTileGrid(grid, tri, o);
  int expected = 0;
  for (int r = 0; r < 10; ++r) {
    for (int c = 0; c < 10; ++c) {
      // Tile (r, c) spans x in [100c, 100c+100], y in [900-100r, 1000-100r];
      // it meets x + y < 1000 (interior) when its lower-left corner does.
      if (100.0 * c + (900.0 - 100.0 * r) < 1000.0) ++expected;
    }
  }
  QCOMPARE(static_cast<int>(tg.tiles.size()), expected);
}

void TestRaster::tileGridErrors() {
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {0, 0, 500, 500});
  TileGridOptions o;
  o.patch = Length::parse("72px");
  o.edge = EdgePolicy::Drop;
  QVERIFY_ERROR(InputError, makeTileGrid(grid, Aoi(), o), "smaller than one patch");
  o.edge = EdgePolicy::Shift;
  o.patch = Length::parse("725m");
  QVERIFY_ERROR(InputError, makeTileGrid(grid, Aoi(), o), "not a whole number");
  o.patch = Length::parse("72px");
  o.overlap = Overlap::parse("72px");
  QVERIFY_ERROR(InputError, makeTileGrid(grid, Aoi(), o), "must be smaller than the patch");
  QVERIFY_ERROR(InputError, Overlap::parse("1.5"), "[0, 1)");
  QVERIFY_ERROR(InputError, Length::parse("seventy"), "cannot read");
  QVERIFY_ERROR(InputError, parseEdgePolicy("wrap"), "shift, pad or drop");
  GridSpec geographic = makeGrid("EPSG:4326", 0.001, 0.001, {15, 45, 15.1, 45.1});
  TileGridOptions m;
  m.patch = Length::parse("720m");
  QVERIFY_ERROR(InputError, makeTileGrid(geographic, Aoi(), m), "projected CRS");
}

// ------------------------------------------------------------------- writers

void TestRaster::rasterWriterRoundTrip() {
  QTemporaryDir dir;
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {0, 0, 300, 200});
  const std::string path = dir.filePath("out.tif").toStdString();
  RasterWriterOptions o;
  o.bandNames = {"alpha", "beta"};
  o.nodata = -1;
  o.blockSize = 16;
  RasterWriter w(path, grid, 2, o);
  // Write in windows, one reaching past the edge.
  for (int y = 0; y < 20; y += 8) {
    for (int x = 0; x < 30; x += 8) {
      const Window win{x, y, 8, 8};
      std::vector<float> data(2 * 64);
      for (int b = 0; b < 2; ++b)
        for (int r = 0; r < 8; ++r)
          for (int c = 0; c < 8; ++c) data[b * 64 + r * 8 + c] = b * 1000 + (y + r) * 30 + (x + c);
      w.writeAll(win, data.data());
    }
  }
  QVERIFY(!exists(path));
  w.finish();
  QVERIFY(exists(path));
  const RasterInfo info = describeRaster(path);
  QCOMPARE(info.bands[1].description, std::string("beta"));
  QCOMPARE(*info.bands[0].nodata, -1.0);
  const auto band2 = emitrace::test::readBand(path, 2);
  for (int i = 0; i < 600; ++i) QCOMPARE(band2[i], 1000.0 + i);
}

void TestRaster::rasterWriterCog() {
  QTemporaryDir dir;
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {0, 0, 20480, 20480});
  const std::string path = dir.filePath("cog.tif").toStdString();
  RasterWriterOptions o;
  o.cog = true;
  o.type = PixelType::UInt8;
  RasterWriter w(path, grid, 1, o);
  std::vector<float> data(2048 * 2048);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 251);
  w.write(1, grid.full(), data.data());
  w.finish();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  QVERIFY(ds);
  const char* layout = ds->GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE");
  QVERIFY(layout && std::string(layout) == "COG");
  QVERIFY(ds->GetRasterBand(1)->GetOverviewCount() >= 1);
  QCOMPARE(ds->GetRasterBand(1)->GetRasterDataType(), GDT_Byte);
  // Staging files are gone.
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path().toStdString())) {
    (void)e;
    ++files;
  }
  QCOMPARE(files, 1);
}

void TestRaster::rasterWriterLeavesNothingWhenAbandoned() {
  QTemporaryDir dir;
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {0, 0, 100, 100});
  const std::string path = dir.filePath("half.tif").toStdString();
  {
    RasterWriter w(path, grid, 1);
    std::vector<float> data(100, 1.0f);
    w.write(1, {0, 0, 10, 10}, data.data());
  }  // no finish(): as after an exception
  QVERIFY(std::filesystem::is_empty(dir.path().toStdString()));
  QVERIFY_ERROR(IoError, RasterWriter(dir.filePath("nope/x.tif").toStdString(), grid, 1), "does not exist");
}

void TestRaster::rasterWriterReportsFullDisk() {
  // A file-size limit makes write() fail with EFBIG exactly as a full disk
  // fails with ENOSPC, without needing root or a tiny file system.
  QTemporaryDir dir;
  GridSpec grid = makeGrid("EPSG:32633", 10, 10, {0, 0, 20480, 20480});
  const std::string path = dir.filePath("big.tif").toStdString();
  struct rlimit old {};
  getrlimit(RLIMIT_FSIZE, &old);
  auto oldHandler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 256 * 1024;
  setrlimit(RLIMIT_FSIZE, &small);
  std::string message = "NO EXCEPTION";
  try {
    RasterWriterOptions o;
    o.compress = "NONE";
    RasterWriter w(path, grid, 1, o);
    std::vector<float> data(2048 * 256);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i);
    for (int y = 0; y < 2048; y += 256) w.write(1, {0, y, 2048, 256}, data.data());
    w.finish();
  } catch (const IoError& e) {
    message = e.what();
  } catch (const std::exception& e) {
    message = std::string("WRONG TYPE: ") + e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, oldHandler);
  QVERIFY2(message.find("big.tif") != std::string::npos && message.rfind("WRONG", 0) != 0, message.c_str());
  QVERIFY(!exists(path));
  QVERIFY(std::filesystem::is_empty(dir.path().toStdString()));
}

void TestRaster::vectorWriterFormats() {
  QTemporaryDir dir;
  const std::string wkt = "POLYGON((0 0,10 0,10 10,0 10,0 0))";
  for (const char* name : {"out.gpkg", "out.geojson", "out.csv", "out.kml"}) {
    const std::string path = dir.filePath(name).toStdString();
    VectorLayerSpec spec{"tiles", GeometryKind::Polygon, makeGrid("EPSG:4326", 1, 1, {0, 0, 1, 1}).crsWkt,
                         {{"id", FieldType::Integer64}, {"score", FieldType::Real}, {"label", FieldType::String}}};
    VectorWriter w(path, {spec});
    w.add(0, wkt, {std::int64_t{7}, 0.5, std::string("landfill")});
    w.add(0, wkt, {std::int64_t{8}, std::monostate{}, std::string("mine")});
    QCOMPARE(w.featureCount(0), 2LL);
    w.finish();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    QVERIFY2(ds, name);
    OGRLayer* layer = ds->GetLayer(0);
    QCOMPARE(layer->GetFeatureCount(), 2LL);
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    QCOMPARE(std::string(f->GetFieldAsString("label")), std::string("landfill"));
    QVERIFY(f->GetGeometryRef() != nullptr);
  }
  QVERIFY_ERROR(InputError,
                VectorWriter(dir.filePath("two.geojson").toStdString(),
                             {{"a", GeometryKind::Point, "", {}}, {"b", GeometryKind::Point, "", {}}}),
                "only GeoPackage");
}

void TestRaster::vectorWriterLeavesNothingWhenAbandoned() {
  QTemporaryDir dir;
  {
    VectorWriter w(dir.filePath("x.gpkg").toStdString(), {{"t", GeometryKind::Point, "", {}}});
    w.add(0, "POINT(1 2)", {});
  }
  QVERIFY(std::filesystem::is_empty(dir.path().toStdString()));
}

// ------------------------------------------------------------ exportTileGrid

void TestRaster::exportTileGridWritesFeatures() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 300;
  rs.height = 200;
  const auto raster = makeRaster(dir.filePath("r.tif").toStdString(), rs);
  ExportTileGridOptions o;
  o.input = raster;
  o.tiling.patch = Length::parse("720m");
  o.tiling.edge = EdgePolicy::Pad;
  o.output = dir.filePath("grid.gpkg").toStdString();
  Progress progress;
  const auto result = exportTileGrid(o, progress);
  QCOMPARE(result.tileCount, 5LL * 3LL);
  QCOMPARE(countFeatures(o.output), 15LL);
  GDALDatasetUniquePtr ds(GDALDataset::Open(o.output.c_str(), GDAL_OF_VECTOR));
  OGRLayer* layer = ds->GetLayerByName("tiles");
  QVERIFY(layer);
  layer->SetAttributeFilter("tile_id = 7");
  OGRFeatureUniquePtr f(layer->GetNextFeature());
  QVERIFY(f);
  QCOMPARE(f->GetFieldAsInteger("row"), 1);
  QCOMPARE(f->GetFieldAsInteger("col"), 2);
  QCOMPARE(f->GetFieldAsInteger("px_x"), 144);
  QCOMPARE(f->GetFieldAsInteger("px_w"), 72);
  OGREnvelope e;
  f->GetGeometryRef()->getEnvelope(&e);
  QCOMPARE(e.MinX, 500000.0 + 1440.0);
  QCOMPARE(e.MaxY, 5000000.0 - 720.0);
  QVERIFY(layer->GetSpatialRef() != nullptr);
}

void TestRaster::exportTileGridCancelLeavesNoOutput() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 2000;
  rs.height = 2000;
  rs.value = [](int, int, int) { return 1.0; };
  const auto raster = makeRaster(dir.filePath("r.tif").toStdString(), rs);
  ExportTileGridOptions o;
  o.input = raster;
  o.tiling.patch = Length::parse("8px");
  o.output = dir.filePath("grid.gpkg").toStdString();
  CancelAfter progress(2);
  QVERIFY_THROWS_EXCEPTION(Canceled, exportTileGrid(o, progress));
  QVERIFY(!exists(o.output));
  QVERIFY(!exists(dir.filePath("grid.partial.gpkg").toStdString()));
}

void TestRaster::exportTileGridUnwritableOutput() {
  QTemporaryDir dir;
  RasterSpec rs;
  const auto raster = makeRaster(dir.filePath("r.tif").toStdString(), rs);
  ExportTileGridOptions o;
  o.input = raster;
  o.output = dir.filePath("missing/grid.gpkg").toStdString();
  Progress progress;
  QVERIFY_ERROR(IoError, exportTileGrid(o, progress), "does not exist");
  // Output is a folder.
  o.output = dir.path().toStdString();
  QVERIFY_ERROR(IoError, exportTileGrid(o, progress), "folder");
}

QTEST_GUILESS_MAIN(TestRaster)
#include "test_raster.moc"
