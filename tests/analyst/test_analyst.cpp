// The analyst application's window, driven headless (QT_QPA_PLATFORM=offscreen):
// opening rasters and vectors (presets chosen from band names), navigation
// through simulated wheel, mouse and key events, layer visibility, opacity
// and order seen in rendered pixels, AOI drawing with the mouse, the tile-grid
// preview against the core's makeTileGrid, and the task runner (success,
// failure, cancel leaving no output).
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <QComboBox>
#include <QDropEvent>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "app/analyst/main_window.h"
#include "app/analyst/map/layer_model.h"
#include "app/analyst/map/map_canvas.h"
#include "app/analyst/panels/aoi_panel.h"
#include "app/analyst/panels/layer_panel.h"
#include "app/analyst/panels/legend_widget.h"
#include "app/analyst/panels/style_panel.h"
#include "app/analyst/raster_info_model.h"
#include "app/analyst/recent_files.h"
#include "app/analyst/run/eta_estimator.h"
#include "app/analyst/run/run_panel.h"
#include "app/analyst/run/task_runner.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/raster/aoi.h"
#include "core/raster/tile_grid.h"
#include "core/render/aoi_geometry.h"
#include "core/render/band_presets.h"
#include "core/render/coordinates.h"
#include "tests/common/fixtures.h"

using namespace emitrace;
using namespace emitrace::analyst;
using emitrace::test::makePolygons;
using emitrace::test::makeRaster;
using emitrace::test::RasterSpec;
using emitrace::test::sampleData;

namespace {

QString sample(const std::string& relative) { return QString::fromStdString(sampleData(relative)); }

const char* kPatch = "sentinel2_patch_72x72/eolearn_S2L1C_ref0_72x72_B2-B3-B4-B8A-B11-B12.tif";

QStringList s2BandFiles() {
  return {sample("sentinel2_18SVG_20m/s2_B12.tif"), sample("sentinel2_18SVG_20m/s2_B11.tif"),
          sample("sentinel2_18SVG_20m/s2_B8A.tif")};
}

// A constant single-band raster (value 100), 64 x 64 px of 10 m in UTM 33N.
QString constantRaster(const QTemporaryDir& dir, const char* name, double value = 100) {
  RasterSpec spec;
  spec.width = 64;
  spec.height = 64;
  spec.value = [value](int, int, int) { return value; };
  return QString::fromStdString(makeRaster(dir.filePath(name).toStdString(), spec));
}

// A small lon/lat raster over the Sentinel-2 sample scene (UTM 18N).
QString lonLatRaster(const QTemporaryDir& dir, const char* name) {
  RasterSpec spec;
  spec.width = 64;
  spec.height = 64;
  spec.crs = "EPSG:4326";
  spec.geoTransform = {-75.65, 0.0005, 0, 37.70, 0, -0.0005};
  return QString::fromStdString(makeRaster(dir.filePath(name).toStdString(), spec));
}

std::shared_ptr<RasterLayer> rasterAt(MainWindow& w, int row) {
  return std::dynamic_pointer_cast<RasterLayer>(w.layers()->layer(row));
}

QColor centrePixel(MapCanvas* canvas) {
  const QImage img = canvas->renderToImage();
  return img.pixelColor(img.width() / 2, img.height() / 2);
}

// Sets a manual stretch [lo, hi] on the current layer through the style panel.
void stretchCurrent(MainWindow& w, double lo, double hi) {
  render::StretchSettings s;
  s.kind = render::StretchKind::Manual;
  s.min = {lo};
  s.max = {hi};
  QVERIFY(w.stylePanel()->applyStretch(s));
}

void shown(MainWindow& w) {
  w.setQuiet(true);
  w.setRecordRecentFiles(false);
  w.resize(1200, 800);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
}

}  // namespace

class TestAnalyst : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase();

  // Kept from the foundation.
  void windowOpensWithMenus();
  void openRasterFillsBandTable();
  void badRasterShowsErrorAndKeepsState();
  void rendersScreenshot();

  // Opening.
  void openingRasterChoosesPreset();
  void bandFilesBecomeOneFalseColourLayer();
  void dropOpensRastersAndVectors();
  void vectorInOtherCrsIsReprojected();
  void mapCrsChangeWarpsRasters();
  void recentFilesRemembered();
  void ungeoreferencedRasterStaysInPixels();

  // Navigation.
  void wheelZoomsAboutCursor();
  void dragAndKeysPan();
  void zoomToLayerShowsIt();
  void statusBarShowsCoordinatesAndScale();

  // Layers.
  void visibilityOpacityAndOrderInPixels();
  void presetAndStretchChanges();

  // AOI and tiles.
  void rectangleDrawnWithMouse();
  void polygonDrawnWithMouse();
  void badPolygonIsRejected();
  void tilePreviewCountMatchesCore();
  void aoiFromSpecAndFile();

  // Runs.
  void exportTileGridWritesFile();
  void cancelledExportLeavesNoOutput();
  void failingTaskReportsError();
  void exportRejectsBadOutputBeforeStarting();
  void buildOverviewsReopensLayer();
  void etaEstimate();

  // The executable's screenshot mode.
  void screenshotModeWritesPng();
};

void TestAnalyst::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);  // QSettings in a throw-away place
  QCoreApplication::setOrganizationName(QStringLiteral("EmitraceTest"));
  QCoreApplication::setApplicationName(QStringLiteral("test_analyst"));
}

void TestAnalyst::windowOpensWithMenus() {
  MainWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QStringList menus;
  for (QAction* a : w.menuBar()->actions()) menus << a->text();
  QVERIFY(menus.contains("&File"));
  QVERIFY(menus.contains("&View"));
  QVERIFY(menus.contains("&AOI"));
  QVERIFY(menus.contains("&Help"));
}

void TestAnalyst::openRasterFillsBandTable() {
  MainWindow w;
  QVERIFY(w.openRaster(sample(kPatch), true));
  RasterInfoModel* m = w.bandModel();
  QCOMPARE(m->rowCount(), 6);
  QCOMPARE(m->data(m->index(0, RasterInfoModel::DataType)).toString(), QString("Float32"));
  QCOMPARE(m->headerData(RasterInfoModel::Wavelength, Qt::Horizontal).toString(), QString("Wavelength (nm)"));
}

void TestAnalyst::badRasterShowsErrorAndKeepsState() {
  MainWindow w;
  QVERIFY(w.openRaster(sample("sentinel2_18SVG_20m/s2_B11.tif"), true));
  QTemporaryDir dir;
  const QString bad = dir.filePath("bad.tif");
  std::ofstream(bad.toStdString()) << "not a tiff";
  QVERIFY(!w.openRaster(bad, true));
  QVERIFY2(w.lastError().contains("bad.tif"), qPrintable(w.lastError()));
  QCOMPARE(w.bandModel()->rowCount(), 1);  // the previous raster stays shown
  QCOMPARE(w.layers()->count(), 1);
}

void TestAnalyst::rendersScreenshot() {
  MainWindow w;
  w.show();
  w.openRaster(sample("sentinel2_18SVG_20m/s2_B11.tif"), true);
  QVERIFY(w.waitForMap(30000));
  const QPixmap shot = w.grab();
  QVERIFY(!shot.isNull());
  QCOMPARE(shot.size(), w.size());
}

// ------------------------------------------------------------ opening

void TestAnalyst::openingRasterChoosesPreset() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(sample(kPatch), true));
  auto layer = rasterAt(w, 0);
  QVERIFY(layer);
  QCOMPARE(layer->combination().presetId, std::string("s2_true_colour"));
  // B4/B3/B2 are bands 3/2/1 of this file.
  QCOMPARE(layer->combination().channels[0].band, 3);
  QCOMPARE(layer->combination().channels[2].band, 1);
  QCOMPARE(w.stylePanel()->presetCombo()->currentText(), QString("Sentinel-2 true colour (B4/B3/B2)"));
  // The map shows it: after rendering, the centre pixel is opaque scene.
  QVERIFY(w.waitForMap(30000));
  QCOMPARE(w.canvas()->missingTileCount(), 0);
  QVERIFY(w.canvas()->cachedTileCount() > 0);
  const QColor c = centrePixel(w.canvas());
  const QColor background = w.canvas()->palette().color(QPalette::Base).darker(115);
  QVERIFY2(c != background, "the raster is drawn");
}

void TestAnalyst::bandFilesBecomeOneFalseColourLayer() {
  MainWindow w;
  shown(w);
  QCOMPARE(w.openPaths(s2BandFiles(), true), 1);
  QCOMPARE(w.layers()->count(), 1);
  auto layer = rasterAt(w, 0);
  QCOMPARE(layer->combination().presetId, std::string("s2_false_colour"));
  QCOMPARE(layer->source().bandCount(), 3);
  QCOMPARE(w.bandModel()->rowCount(), 3);
  QCOMPARE(w.bandModel()->data(w.bandModel()->index(0, RasterInfoModel::Description)).toString(),
           QString("B12"));
  // Percentile 2-98 from the overview sample: B12 DN of this scene span ~0..5000.
  const auto& r = layer->ranges();
  QVERIFY2(r[0].min >= 0 && r[0].max > r[0].min && r[0].max < 5000, qPrintable(QString::number(r[0].max)));
  QVERIFY(w.waitForMap(30000));
}

void TestAnalyst::dropOpensRastersAndVectors() {
  QTemporaryDir dir;
  const QString vector = QString::fromStdString(
      makePolygons(dir.filePath("aoi.geojson").toStdString(),
                   {"POLYGON((440000 4165000,450000 4165000,450000 4175000,440000 4175000,440000 4165000))"},
                   "EPSG:32618"));
  MainWindow w;
  shown(w);
  QMimeData mime;
  QList<QUrl> urls;
  for (const QString& f : s2BandFiles()) urls << QUrl::fromLocalFile(f);
  urls << QUrl::fromLocalFile(vector);
  mime.setUrls(urls);
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&w, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&w, &drop);
  QCOMPARE(w.layers()->count(), 2);                            // the stack and the polygon layer
  QVERIFY(w.layers()->layer(0)->kind() == LayerKind::Raster);  // added last: on top
  auto v = std::dynamic_pointer_cast<VectorLayer>(w.layers()->layer(1));
  QVERIFY(v);
  QCOMPARE(v->overlay().features.size(), size_t(1));
}

void TestAnalyst::vectorInOtherCrsIsReprojected() {
  QTemporaryDir dir;
  // A lon/lat square over the Sentinel-2 sample (UTM 18N).
  const QString vector = QString::fromStdString(makePolygons(
      dir.filePath("lonlat.gpkg").toStdString(),
      {"POLYGON((-75.65 37.65,-75.60 37.65,-75.60 37.70,-75.65 37.70,-75.65 37.65))"}, "EPSG:4326"));
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(sample("sentinel2_18SVG_20m/s2_B12.tif"), true));
  QVERIFY(w.openVector(vector, true));
  auto v = std::dynamic_pointer_cast<VectorLayer>(w.layers()->layer(0));
  const raster::Bounds b = v->bounds();
  // Inside the scene's UTM extent (435720..455060, 4160000..4179460).
  QVERIFY2(b.minX > 435720 && b.maxX < 455060 && b.minY > 4160000 && b.maxY < 4179460,
           qPrintable(QString("%1 %2 %3 %4").arg(b.minX).arg(b.minY).arg(b.maxX).arg(b.maxY)));
}

void TestAnalyst::mapCrsChangeWarpsRasters() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(sample("sentinel2_18SVG_20m/s2_B12.tif"), true));
  QVERIFY(!rasterAt(w, 0)->source().warped);
  QVERIFY(w.setMapCrs("EPSG:4326", true));
  QVERIFY(render::isGeographic(w.mapCrs()));
  auto layer = rasterAt(w, 0);
  QVERIFY(layer->source().warped);
  const raster::Bounds b = layer->bounds();
  QVERIFY(b.minX > -75.8 && b.maxX < -75.4 && b.minY > 37.5 && b.maxY < 37.8);
  // The view followed the data into the new CRS and the warped scene renders.
  const raster::Bounds view = w.canvas()->viewport().extent();
  QVERIFY(view.minX > -80 && view.maxX < -70);
  QVERIFY(w.waitForMap(30000));
  const QColor background = w.canvas()->palette().color(QPalette::Base).darker(115);
  QVERIFY(centrePixel(w.canvas()) != background);
  QVERIFY(!w.setMapCrs("EPSG:999999", true));
  QVERIFY(w.lastError().contains("EPSG:999999"));
  QVERIFY(render::isGeographic(w.mapCrs()));  // unchanged after the error
}

void TestAnalyst::recentFilesRemembered() {
  MainWindow w;
  w.setQuiet(true);
  w.recentFiles()->clear();
  QVERIFY(w.openRaster(sample(kPatch)));
  QCOMPARE(w.recentFiles()->entries().size(), 1);
  QVERIFY(w.recentFiles()->entries().front().endsWith("B2-B3-B4-B8A-B11-B12.tif"));
  w.openPaths(s2BandFiles());
  QCOMPARE(RecentFiles::split(w.recentFiles()->entries().front()), s2BandFiles());
  RecentFiles again;  // read back from the settings
  QCOMPARE(again.entries().size(), 2);
  w.recentFiles()->clear();
}

void TestAnalyst::ungeoreferencedRasterStaysInPixels() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.width = 300;
  spec.height = 200;
  spec.crs = "";
  spec.georeferenced = false;
  const QString path = QString::fromStdString(makeRaster(dir.filePath("pixels.tif").toStdString(), spec));
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(path, true));
  QVERIFY(w.mapCrs().empty());
  const raster::Bounds b = w.layers()->layer(0)->bounds();
  QCOMPARE(b.minX, 0.0);
  QCOMPARE(b.maxX, 300.0);
  QCOMPARE(b.minY, -200.0);  // rows go down
  QVERIFY(w.waitForMap(30000));
  QVERIFY(!w.aoiPanel()->preview());
  QVERIFY(w.aoiPanel()->previewError().contains("georeferencing"));
  // Georeferenced data cannot join a pixel-coordinate map.
  QVERIFY(!w.openRaster(sample(kPatch), true));
  QVERIFY(w.lastError().contains("ungeoreferenced"));
  QCOMPARE(w.layers()->count(), 1);
}

// ------------------------------------------------------------ navigation

void TestAnalyst::wheelZoomsAboutCursor() {
  QTemporaryDir dir;
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(constantRaster(dir, "c.tif"), true));
  MapCanvas* c = w.canvas();
  const render::Viewport before = c->viewport();
  const QPointF cursor(c->width() * 0.25, c->height() * 0.75);
  const render::MapPoint under = before.toMap(cursor.x(), cursor.y());
  QWheelEvent wheel(cursor, c->mapToGlobal(cursor), QPoint(), QPoint(0, 120 * 2), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(c, &wheel);
  const render::Viewport after = c->viewport();
  QCOMPARE(after.level(), before.level() + 2);
  QVERIFY(std::fabs(after.extent().width() - before.extent().width() / std::sqrt(2.0)) <
          1e-6 * before.extent().width());
  const render::MapPoint still = after.toMap(cursor.x(), cursor.y());
  QVERIFY(std::fabs(still.x - under.x) < 1e-6 && std::fabs(still.y - under.y) < 1e-6);
  // Half notches (touchpads) add up.
  QWheelEvent half(cursor, c->mapToGlobal(cursor), QPoint(), QPoint(0, -60), Qt::NoButton, Qt::NoModifier,
                   Qt::NoScrollPhase, false);
  QApplication::sendEvent(c, &half);
  QCOMPARE(c->viewport().level(), after.level());
  QApplication::sendEvent(c, &half);
  QCOMPARE(c->viewport().level(), after.level() - 1);
}

void TestAnalyst::dragAndKeysPan() {
  QTemporaryDir dir;
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(constantRaster(dir, "c.tif"), true));
  MapCanvas* c = w.canvas();
  c->setFocus();
  const raster::Bounds e0 = c->viewport().extent();
  const double upp = c->viewport().unitsPerPixel();
  // Drag 40 px right and 30 px down: the content follows the mouse.
  QTest::mousePress(c, Qt::LeftButton, Qt::NoModifier, QPoint(200, 200));
  QMouseEvent move(QEvent::MouseMove, QPointF(240, 230), c->mapToGlobal(QPointF(240, 230)), Qt::NoButton,
                   Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(c, &move);
  QTest::mouseRelease(c, Qt::LeftButton, Qt::NoModifier, QPoint(240, 230));
  const raster::Bounds e1 = c->viewport().extent();
  QVERIFY(std::fabs((e1.minX - e0.minX) - (-40 * upp)) < 1e-6);
  QVERIFY(std::fabs((e1.maxY - e0.maxY) - (30 * upp)) < 1e-6);
  // Arrow keys move a quarter of the view; + and - zoom by 2x.
  QTest::keyClick(c, Qt::Key_Right);
  const raster::Bounds e2 = c->viewport().extent();
  QVERIFY(std::fabs((e2.minX - e1.minX) - c->width() / 4.0 * upp) < 1e-6);
  QTest::keyClick(c, Qt::Key_Up);
  QVERIFY(std::fabs((c->viewport().extent().maxY - e2.maxY) - c->height() / 4.0 * upp) < 1e-6);
  const int level = c->viewport().level();
  QTest::keyClick(c, Qt::Key_Plus);
  QCOMPARE(c->viewport().level(), level + 4);
  QCOMPARE(c->viewport().unitsPerPixel(), upp / 2);
  QTest::keyClick(c, Qt::Key_Minus);
  QTest::keyClick(c, Qt::Key_Minus);
  QCOMPARE(c->viewport().unitsPerPixel(), upp * 2);
  // Tiles follow the view: rendering settles for the new view too.
  QVERIFY(w.waitForMap(30000));
}

void TestAnalyst::zoomToLayerShowsIt() {
  QTemporaryDir dir;
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  QVERIFY(w.openRaster(lonLatRaster(dir, "small.tif"), true));  // another CRS: warped onto UTM 18N
  QVERIFY(rasterAt(w, 0)->source().warped);
  MapCanvas* c = w.canvas();
  const int small = w.layers()->layer(0)->id();
  c->zoomToLayer(small);
  const raster::Bounds b = w.layers()->layer(0)->bounds();
  const raster::Bounds e = c->viewport().extent();
  QVERIFY(e.minX <= b.minX && e.maxX >= b.maxX && e.minY <= b.minY && e.maxY >= b.maxY);
  QVERIFY2(e.width() < b.width() * 3 && e.height() < b.height() * 3, "fits closely");
  QTest::keyClick(c, Qt::Key_Home);  // everything
  const raster::Bounds s2 = w.layers()->layer(1)->bounds();
  const raster::Bounds all = c->viewport().extent();
  QVERIFY(all.minX <= s2.minX && all.maxX >= s2.maxX);
}

void TestAnalyst::statusBarShowsCoordinatesAndScale() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  MapCanvas* c = w.canvas();
  QTest::mouseMove(c, QPoint(c->width() / 2, c->height() / 2));
  QMouseEvent move(QEvent::MouseMove, QPointF(c->width() / 2, c->height() / 2),
                   c->mapToGlobal(QPointF(c->width() / 2, c->height() / 2)), Qt::NoButton, Qt::NoButton,
                   Qt::NoModifier);
  QApplication::sendEvent(c, &move);
  QVERIFY2(w.coordinateText().startsWith("E "), qPrintable(w.coordinateText()));
  // The scene centre is near 37.67° N, 75.62° W.
  QVERIFY2(w.lonLatText().contains("37.6") && w.lonLatText().contains("75.6") && w.lonLatText().contains("W"),
           qPrintable(w.lonLatText()));
  QVERIFY2(w.scaleText().startsWith("1:"), qPrintable(w.scaleText()));
  const QString before = w.scaleText();
  c->zoomIn();
  QVERIFY(w.scaleText() != before);
}

// ------------------------------------------------------------ layers

void TestAnalyst::visibilityOpacityAndOrderInPixels() {
  QTemporaryDir dir;
  MainWindow w;
  shown(w);
  w.aoiPanel()->setShowPreview(false);  // pixels of the layers alone
  QVERIFY(w.openRaster(constantRaster(dir, "white.tif", 100), true));
  stretchCurrent(w, 0, 100);  // value 100 -> white
  QVERIFY(w.openRaster(constantRaster(dir, "black.tif", 0), true));
  stretchCurrent(w, 0, 100);  // value 0 -> black, on top
  MapCanvas* c = w.canvas();
  QVERIFY(w.waitForMap(30000));
  QCOMPARE(centrePixel(c), QColor(0, 0, 0));
  // Hide the top layer with its check box: the white one shows.
  LayerModel* m = w.layers();
  QVERIFY(m->setData(m->index(0), Qt::Unchecked, Qt::CheckStateRole));
  QVERIFY(!m->layer(0)->visible());
  QVERIFY(w.waitForMap(30000));
  QCOMPARE(centrePixel(c), QColor(255, 255, 255));
  // Show it at 50 % opacity through the layer panel's slider: mid grey.
  QVERIFY(m->setData(m->index(0), Qt::Checked, Qt::CheckStateRole));
  w.layerPanel()->selectLayer(m->layer(0)->id());
  w.layerPanel()->opacitySlider()->setValue(50);
  QCOMPARE(m->layer(0)->opacity(), 0.5);
  QVERIFY(w.waitForMap(30000));
  const QColor mid = centrePixel(c);
  QVERIFY2(std::abs(mid.red() - 128) <= 2 && mid.red() == mid.green(), qPrintable(mid.name()));
  // Move the black layer below: the white one covers it.
  m->setOpacity(m->layer(0)->id(), 1.0);
  const int blackId = m->layer(0)->id();
  QVERIFY(m->moveLayer(0, 1));
  QCOMPARE(m->layer(1)->id(), blackId);
  QCOMPARE(m->drawOrder().front()->id(), blackId);  // drawn first
  QVERIFY(w.waitForMap(30000));
  QCOMPARE(centrePixel(c), QColor(255, 255, 255));
  // Remove both: the map is empty and forgets its CRS.
  w.removeLayer(m->layer(0)->id());
  w.removeLayer(m->layer(0)->id());
  QCOMPARE(m->count(), 0);
  QVERIFY(w.mapCrs().empty());
}

void TestAnalyst::presetAndStretchChanges() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(sample(kPatch), true));
  auto layer = rasterAt(w, 0);
  const quint64 g0 = layer->renderState()->generation;
  // Pick the false-colour preset from the combo.
  QComboBox* combo = w.stylePanel()->presetCombo();
  const int falseColour = combo->findText("Sentinel-2 false colour (B12/B11/B8A)");
  QVERIFY(falseColour >= 0);
  combo->setCurrentIndex(falseColour);
  Q_EMIT combo->activated(falseColour);
  QCOMPARE(layer->combination().presetId, std::string("s2_false_colour"));
  QVERIFY(layer->renderState()->generation != g0);  // old tiles are not reused
  // Min-max stretch is wider than percentile 2-98.
  const auto percentile = layer->ranges();
  render::StretchSettings s = layer->combination().stretch;
  s.kind = render::StretchKind::MinMax;
  QVERIFY(w.stylePanel()->applyStretch(s));
  QVERIFY(layer->ranges()[0].min <= percentile[0].min && layer->ranges()[0].max >= percentile[0].max);
  // A bad manual stretch is refused with a message; the layer keeps its stretch.
  s.kind = render::StretchKind::Manual;
  s.min = {5, 5, 5};
  s.max = {1, 1, 1};
  QSignalSpy errors(w.stylePanel(), &StylePanel::errorOccurred);
  QVERIFY(!w.stylePanel()->applyStretch(s));
  QCOMPARE(errors.count(), 1);
  QVERIFY(layer->combination().stretch.kind == render::StretchKind::MinMax);
  // Single band with a ramp shows a legend.
  QVERIFY(
      w.stylePanel()->applyCombination(render::singleBandCombination(layer->source().info, 6, "viridis")));
  QVERIFY(w.stylePanel()->legend()->hasLegend());
  QCOMPARE(w.stylePanel()->legend()->legend().rampName, std::string("viridis"));
  QVERIFY(w.waitForMap(30000));
}

// ------------------------------------------------------------ AOI and tiles

void TestAnalyst::rectangleDrawnWithMouse() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  MapCanvas* c = w.canvas();
  w.aoiPanel()->drawRectangleButton()->click();
  QVERIFY(c->tool() == MapCanvas::Tool::DrawRectangle);
  const QPoint a(150, 120), b(420, 330);
  const render::MapPoint ma = c->viewport().toMap(a.x(), a.y());
  const render::MapPoint mb = c->viewport().toMap(b.x(), b.y());
  QTest::mousePress(c, Qt::LeftButton, Qt::NoModifier, a);
  QMouseEvent move(QEvent::MouseMove, QPointF(b), c->mapToGlobal(QPointF(b)), Qt::NoButton, Qt::LeftButton,
                   Qt::NoModifier);
  QApplication::sendEvent(c, &move);
  QTest::mouseRelease(c, Qt::LeftButton, Qt::NoModifier, b);
  const std::string expected = render::rectanglePolygonWkt(ma, mb);
  QCOMPARE(w.aoiPanel()->aoi(), expected);
  QCOMPARE(c->aoi(), expected);
  QVERIFY(c->tool() == MapCanvas::Tool::Pan);  // back to navigating
  QVERIFY(!w.aoiPanel()->drawRectangleButton()->isChecked());
  QVERIFY(std::fabs(render::polygonArea(expected) -
                    (270 * c->viewport().unitsPerPixel()) * (210 * c->viewport().unitsPerPixel())) < 1e-3);
}

void TestAnalyst::polygonDrawnWithMouse() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  MapCanvas* c = w.canvas();
  c->setTool(MapCanvas::Tool::DrawPolygon);
  const QList<QPoint> clicks{{200, 150}, {500, 180}, {450, 420}, {230, 380}};
  std::vector<render::MapPoint> expected;
  for (const QPoint& p : clicks) expected.push_back(c->viewport().toMap(p.x(), p.y()));
  // A stray vertex removed with Backspace.
  for (int i = 0; i < 3; ++i) QTest::mouseClick(c, Qt::LeftButton, Qt::NoModifier, clicks[i]);
  QTest::mouseClick(c, Qt::LeftButton, Qt::NoModifier, QPoint(600, 600));
  QCOMPARE(c->sketch().size(), size_t(4));
  QTest::keyClick(c, Qt::Key_Backspace);
  QCOMPARE(c->sketch().size(), size_t(3));
  // The last vertex with a double click: press, release, double-click, release.
  QTest::mousePress(c, Qt::LeftButton, Qt::NoModifier, clicks[3]);
  QTest::mouseRelease(c, Qt::LeftButton, Qt::NoModifier, clicks[3]);
  QMouseEvent dbl(QEvent::MouseButtonDblClick, QPointF(clicks[3]), c->mapToGlobal(QPointF(clicks[3])),
                  Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(c, &dbl);
  QCOMPARE(w.aoiPanel()->aoi(), render::polygonWkt(expected));
  QVERIFY(c->sketch().empty());
  // Enter finishes too; Esc throws a sketch away.
  c->setTool(MapCanvas::Tool::DrawPolygon);
  for (int i = 0; i < 2; ++i) QTest::mouseClick(c, Qt::LeftButton, Qt::NoModifier, clicks[i]);
  QTest::keyClick(c, Qt::Key_Escape);
  QVERIFY(c->sketch().empty());
  QCOMPARE(w.aoiPanel()->aoi(), render::polygonWkt(expected));  // unchanged
}

void TestAnalyst::badPolygonIsRejected() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  MapCanvas* c = w.canvas();
  QSignalSpy failed(c, &MapCanvas::aoiDrawingFailed);
  c->setTool(MapCanvas::Tool::DrawPolygon);
  // A bow tie crosses itself.
  for (QPoint p : {QPoint(200, 200), QPoint(400, 400), QPoint(400, 200), QPoint(200, 400)})
    QTest::mouseClick(c, Qt::LeftButton, Qt::NoModifier, p);
  QTest::keyClick(c, Qt::Key_Return);
  QCOMPARE(failed.count(), 1);
  QVERIFY(w.lastError().contains("crosses itself"));
  QVERIFY(w.aoiPanel()->aoi().empty());
}

void TestAnalyst::tilePreviewCountMatchesCore() {
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  auto layer = rasterAt(w, 0);
  const raster::GridSpec& grid = layer->source().nativeGrid;
  QSignalSpy previews(w.aoiPanel(), &AoiPanel::previewChanged);
  // Whole raster first.
  w.aoiPanel()->setTilingOptions("72px", "0", raster::EdgePolicy::Shift);
  auto p = w.aoiPanel()->preview();
  QVERIFY(p);
  raster::TileGridOptions o;
  QCOMPARE(p->count(), static_cast<std::int64_t>(raster::makeTileGrid(grid, raster::Aoi(), o).tiles.size()));
  QCOMPARE(p->count(), std::int64_t(14 * 14));  // ceil(967/72) x ceil(973/72)
  // A drawn polygon, 64 px patches, 16 px overlap, dropping partial tiles.
  const std::string aoi =
      render::polygonWkt({{438000, 4162000}, {452000, 4163000}, {450000, 4176000}, {440000, 4172000}});
  w.aoiPanel()->setAoi(aoi, "test");
  w.aoiPanel()->setTilingOptions("64px", "16px", raster::EdgePolicy::Drop);
  p = w.aoiPanel()->preview();
  o.patch = raster::Length::parse("64px");
  o.overlap = raster::Overlap::parse("16px");
  o.edge = raster::EdgePolicy::Drop;
  const auto direct = raster::makeTileGrid(grid, raster::Aoi::parse(aoi, grid), o);
  QCOMPARE(p->count(), static_cast<std::int64_t>(direct.tiles.size()));
  QVERIFY(
      w.aoiPanel()->countText().contains(QLocale().toString(static_cast<qlonglong>(direct.tiles.size()))));
  QVERIFY(previews.count() >= 2);
  QVERIFY(previews.last().at(0).value<std::shared_ptr<const render::TileGridPreview>>() == p);
  // A bad overlap shows the core's message instead of a preview.
  w.aoiPanel()->setTilingOptions("64px", "64px", raster::EdgePolicy::Shift);
  QVERIFY(!w.aoiPanel()->preview());
  QVERIFY2(w.aoiPanel()->previewError().contains("overlap"), qPrintable(w.aoiPanel()->previewError()));
  QVERIFY(w.waitForMap(30000));
}

void TestAnalyst::aoiFromSpecAndFile() {
  QTemporaryDir dir;
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  // A lon/lat box (as `emitrace tiles --aoi` takes it).
  QVERIFY(w.setAoiFromSpec("-75.68,37.62,-75.60,37.70,EPSG:4326", true));
  const double area = render::polygonArea(w.aoiPanel()->aoi());
  QVERIFY2(area > 6.0e7 && area < 7.5e7, qPrintable(QString::number(area)));  // ~7.0 km x 8.9 km
  // A vector file in another CRS.
  const std::string file = makePolygons(
      dir.filePath("aoi.gpkg").toStdString(),
      {"POLYGON((-75.65 37.65,-75.62 37.65,-75.62 37.68,-75.65 37.68,-75.65 37.65))"}, "EPSG:4326");
  QVERIFY(w.setAoiFromSpec(QString::fromStdString(file), true));
  QVERIFY(render::polygonArea(w.aoiPanel()->aoi()) < area);
  QVERIFY(w.aoiPanel()->preview());
  QVERIFY(!w.setAoiFromSpec("1,2,3", true));
  QVERIFY(!w.lastError().isEmpty());
  QVERIFY(w.setAoiFromSpec("whole", true));
  QVERIFY(w.aoiPanel()->aoi().empty());
}

// ------------------------------------------------------------ runs

void TestAnalyst::exportTileGridWritesFile() {
  QTemporaryDir dir;
  MainWindow w;
  shown(w);
  QVERIFY(w.openPaths(s2BandFiles(), true));
  w.aoiPanel()->setAoi(render::rectanglePolygonWkt({440000, 4165000}, {450000, 4175000}), "test");
  const std::int64_t expected = w.aoiPanel()->preview()->count();
  const QString out = dir.filePath("tiles.gpkg");
  QSignalSpy finished(w.runner(), &TaskRunner::finished);
  QVERIFY(w.exportTileGrid(out, true));
  QVERIFY(w.runner()->isRunning() || finished.count() == 1);
  QVERIFY(w.runner()->waitForFinished(60000));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.at(0).at(0).value<TaskRunner::Outcome>(), TaskRunner::Outcome::Succeeded);
  GDALDatasetUniquePtr ds(GDALDataset::Open(out.toUtf8().constData(), GDAL_OF_VECTOR));
  QVERIFY(ds);
  QCOMPARE(ds->GetLayer(0)->GetFeatureCount(), static_cast<GIntBig>(expected));
  QVERIFY(!w.runPanel()->isVisible());
}

void TestAnalyst::cancelledExportLeavesNoOutput() {
  QTemporaryDir dir;
  // A 60000 x 60000 px grid (no pixels needed to tile it): ~700,000 tiles,
  // long enough to cancel mid-way.
  const QString vrt = dir.filePath("huge.vrt");
  std::ofstream(vrt.toStdString())
      << "<VRTDataset rasterXSize=\"60000\" rasterYSize=\"60000\"><SRS>EPSG:32633</SRS>"
         "<GeoTransform>500000,10,0,5000000,0,-10</GeoTransform>"
         "<VRTRasterBand dataType=\"Byte\" band=\"1\"/></VRTDataset>";
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(vrt, true));
  QVERIFY(w.aoiPanel()->preview());
  QVERIFY(w.aoiPanel()->preview()->footprintsOmitted);  // too many to draw one by one; the count stays exact
  QCOMPARE(w.aoiPanel()->preview()->count(), std::int64_t(834) * 834);
  const QString out = dir.filePath("tiles.gpkg");
  QSignalSpy finished(w.runner(), &TaskRunner::finished);
  QSignalSpy progressed(w.runner(), &TaskRunner::progressed);
  QVERIFY(w.exportTileGrid(out, true));
  QVERIFY(w.runPanel()->isVisible());
  // Cancel once the export is under way, with the panel's button.
  QTRY_VERIFY_WITH_TIMEOUT(progressed.count() >= 2 || finished.count() > 0, 60000);
  QVERIFY2(finished.count() == 0, "the export finished before it could be cancelled");
  w.runPanel()->cancelButton()->click();
  QVERIFY(w.runner()->waitForFinished(60000));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.at(0).at(0).value<TaskRunner::Outcome>(), TaskRunner::Outcome::Canceled);
  QVERIFY(!QFile::exists(out));
  QVERIFY(!QFile::exists(dir.filePath("tiles.partial.gpkg")));
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // only huge.vrt
  QVERIFY(!w.runner()->isRunning());
  QVERIFY(!w.runPanel()->isVisible());
  QVERIFY(w.lastError().isEmpty());  // a cancel is not an error
  // The runner takes the next task.
  QVERIFY(w.runner()->start("again", [](Progress&) {}));
  QVERIFY(w.runner()->waitForFinished(10000));
}

void TestAnalyst::failingTaskReportsError() {
  MainWindow w;
  shown(w);
  QSignalSpy finished(w.runner(), &TaskRunner::finished);
  bool succeeded = false;
  QVERIFY(w.runner()->start(
      "Failing",
      [](Progress& p) {
        p.report(0.5, "half way");
        throw IoError("disk full while writing '/tmp/x.gpkg'");
      },
      [&] { succeeded = true; }));
  QVERIFY(!w.runner()->start("second", [](Progress&) {}));  // one at a time
  QVERIFY(w.runner()->waitForFinished(10000));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.at(0).at(0).value<TaskRunner::Outcome>(), TaskRunner::Outcome::Failed);
  QVERIFY(finished.at(0).at(1).toString().contains("disk full"));
  QVERIFY(!succeeded);
  QVERIFY(w.lastError().contains("disk full"));
}

void TestAnalyst::exportRejectsBadOutputBeforeStarting() {
  MainWindow w;
  shown(w);
  QVERIFY(!w.exportTileGrid("/tmp/x.gpkg", true));  // no raster yet
  QVERIFY(w.openPaths(s2BandFiles(), true));
  QSignalSpy started(w.runner(), &TaskRunner::started);
  QVERIFY(!w.exportTileGrid("/nonexistent-folder/tiles.gpkg", true));
  QCOMPARE(started.count(), 0);
  QVERIFY2(w.lastError().contains("nonexistent-folder"), qPrintable(w.lastError()));
}

void TestAnalyst::buildOverviewsReopensLayer() {
  QTemporaryDir dir;
  RasterSpec spec;
  spec.width = 1500;
  spec.height = 1200;
  spec.bands = 3;
  spec.bandNames = {"B04", "B03", "B02"};
  const QString path = QString::fromStdString(makeRaster(dir.filePath("scene.tif").toStdString(), spec));
  MainWindow w;
  shown(w);
  QVERIFY(w.openRaster(path, true));
  auto before = rasterAt(w, 0);
  QVERIFY(!before->hasOverviews());
  w.layers()->setOpacity(before->id(), 0.7);
  render::StretchSettings s;
  s.kind = render::StretchKind::MinMax;
  QVERIFY(w.stylePanel()->applyStretch(s));
  QSignalSpy finished(w.runner(), &TaskRunner::finished);
  QVERIFY(w.buildOverviews(before->id(), true));
  QVERIFY(w.runner()->waitForFinished(60000));
  QCOMPARE(finished.at(0).at(0).value<TaskRunner::Outcome>(), TaskRunner::Outcome::Succeeded);
  auto after = rasterAt(w, 0);
  QVERIFY(after != before);
  QCOMPARE(after->id(), before->id());
  QVERIFY(after->hasOverviews());
  QCOMPARE(after->opacity(), 0.7);
  QVERIFY(after->combination().stretch.kind == render::StretchKind::MinMax);
  QVERIFY(QFile::exists(path + ".ovr"));
  QVERIFY(w.waitForMap(30000));
  // Nothing left to build.
  QVERIFY(!w.buildOverviews(after->id(), true));
}

void TestAnalyst::etaEstimate() {
  EtaEstimator eta;
  eta.start();
  QCOMPARE(eta.update(0.05, 500), -1.0);  // too early to tell
  eta.update(0.1, 1000);
  const double remaining = eta.update(0.2, 2000);
  QVERIFY2(std::fabs(remaining - 8.0) < 0.5, qPrintable(QString::number(remaining)));
  QCOMPARE(eta.update(1.0, 10000), 0.0);
  QCOMPARE(RunPanel::formatEta(-1), QString());
  QCOMPARE(RunPanel::formatEta(125), QString("about 2 min 05 s left"));
  QCOMPARE(RunPanel::formatEta(0.4), QString("less than a second left"));
}

void TestAnalyst::screenshotModeWritesPng() {
  const QString exe = qEnvironmentVariable("EMITRACE_ANALYST");
  if (exe.isEmpty()) QSKIP("EMITRACE_ANALYST is not set (run through ctest)");
  QTemporaryDir dir;
  const QString out = dir.filePath("map.png");
  QProcess p;
  p.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
  p.start(exe, {"--open", sample("sentinel2_18SVG_20m/s2_B12.tif"), "--open", sample("sentinel2_18SVG_20m/s2_B11.tif"),
                "--open", sample("sentinel2_18SVG_20m/s2_B8A.tif"), "--aoi", "441000,4163000,451000,4175000",
                "--overlap", "8px", "--size", "900x600", "--screenshot", out, "--view", "map"});
  QVERIFY(p.waitForFinished(120000));
  QCOMPARE(p.exitCode(), 0);
  const QImage shot(out);
  QCOMPARE(shot.size(), QSize(900, 600));
  // Some of the map is scene (not the canvas background or the docks' grey).
  int coloured = 0;
  for (int y = 0; y < shot.height(); y += 7)
    for (int x = 0; x < shot.width(); x += 7) {
      const QColor c = shot.pixelColor(x, y);
      if (std::abs(c.red() - c.blue()) > 40) ++coloured;
    }
  QVERIFY2(coloured > 100, qPrintable(QString::number(coloured)));
  // Unknown views and bad files fail with a status, the PNG is still written for a bad file.
  p.start(exe, {"--view", "charts", "--screenshot", out});
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 2);
  QFile::remove(out);
  p.start(exe, {"--open", dir.filePath("missing.tif"), "--screenshot", out});
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 1);
  QVERIFY(QString::fromLocal8Bit(p.readAllStandardError()).contains("missing.tif"));
  QVERIFY(QFile::exists(out));
}

QTEST_MAIN(TestAnalyst)
#include "test_analyst.moc"
