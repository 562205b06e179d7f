// The Emitrace Processing provider inside a headless QGIS: registration and
// each algorithm run on small fixtures, checking outputs, cancellation and
// bad parameters.
#include <qgsapplication.h>
#include <qgsnativealgorithms.h>
#include <qgsprocessingcontext.h>
#include <qgsexception.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>
#include <qgsproject.h>
#include <qgsrasterlayer.h>
#include <qgstest.h>
#include <qgsvectorlayer.h>

#include <QTemporaryDir>

#include "qgis_plugin/processing/emitrace_provider.h"
#include "tests/common/fixtures.h"

using emitrace::test::makeRaster;
using emitrace::test::RasterSpec;

// Keeps the errors QgsProcessingAlgorithm::run() reports (it catches the
// algorithm's QgsProcessingException and reports it through the feedback).
class RecordingFeedback : public QgsProcessingFeedback {
 public:
  QStringList errors;
  void reportError(const QString& error, bool fatalError = false) override {
    errors << error;
    QgsProcessingFeedback::reportError(error, fatalError);
  }
};

class TestQgisProvider : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase();
  void providerIsRegistered();
  void createTileGrid();
  void createTileGridWithAoiLayer();
  void createTileGridBadParameters();
  void createTileGridCancel();

 private:
  QVariantMap run(const QString& id, const QVariantMap& params, bool& ok, QString& error,
                  RecordingFeedback* feedback = nullptr);
};

void TestQgisProvider::initTestCase() {
  QgsApplication::init();
  QgsApplication::initQgis();
  QgsApplication::processingRegistry()->addProvider(new emitrace::qgis::EmitraceProvider());
}

void TestQgisProvider::cleanupTestCase() { QgsApplication::exitQgis(); }

QVariantMap TestQgisProvider::run(const QString& id, const QVariantMap& params, bool& ok, QString& error,
                                  RecordingFeedback* feedback) {
  std::unique_ptr<QgsProcessingAlgorithm> alg(QgsApplication::processingRegistry()->createAlgorithmById(id));
  if (!alg) {
    ok = false;
    error = "no algorithm " + id;
    return {};
  }
  RecordingFeedback defaultFeedback;
  RecordingFeedback* used = feedback ? feedback : &defaultFeedback;
  QVariantMap results;
  {
    auto context = std::make_unique<QgsProcessingContext>();
    context->setProject(QgsProject::instance());
    ok = false;
    try {
      results = alg->run(params, *context, used, &ok);
    } catch (const QgsProcessingException& e) {
      ok = false;
      used->errors << e.what();
    }
    error = used->errors.join('\n');
    context.reset();  // before exitQgis, or QGIS crashes at exit
  }
  return results;
}

void TestQgisProvider::providerIsRegistered() {
  QgsProcessingProvider* p = QgsApplication::processingRegistry()->providerById("emitrace");
  QVERIFY(p);
  QCOMPARE(p->name(), QString("Emitrace"));
  QVERIFY(p->algorithm("createtilegrid"));
  QVERIFY(!p->algorithm("createtilegrid")->shortHelpString().isEmpty());
}

void TestQgisProvider::createTileGrid() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 300;
  rs.height = 200;
  const QString raster = QString::fromStdString(makeRaster(dir.filePath("r.tif").toStdString(), rs));
  const QString out = dir.filePath("grid.gpkg");
  bool ok = false;
  QString error;
  const QVariantMap results = run("emitrace:createtilegrid",
                                  {{"INPUT", raster}, {"PATCH_SIZE", 720}, {"PATCH_UNIT", 0}, {"OVERLAP", 0.0},
                                   {"EDGE", 1}, {"OUTPUT", out}},
                                  ok, error);
  QVERIFY2(ok, qPrintable(error));
  QCOMPARE(results.value("TILE_COUNT").toLongLong(), 15LL);
  QgsVectorLayer layer(results.value("OUTPUT").toString(), "grid", "ogr");
  QVERIFY(layer.isValid());
  QCOMPARE(layer.featureCount(), 15LL);
  QCOMPARE(layer.crs().authid(), QString("EPSG:32633"));
  QVERIFY(layer.fields().indexOf("tile_id") >= 0);
  QgsFeature f;
  QgsFeatureIterator it = layer.getFeatures(QgsFeatureRequest().setFilterExpression("tile_id = 7"));
  QVERIFY(it.nextFeature(f));
  QCOMPARE(f.attribute("px_x").toInt(), 144);
  QGSCOMPARENEAR(f.geometry().boundingBox().xMinimum(), 501440.0, 1e-6);
}

void TestQgisProvider::createTileGridWithAoiLayer() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 300;
  rs.height = 200;
  const QString raster = QString::fromStdString(makeRaster(dir.filePath("r.tif").toStdString(), rs));
  // AOI in lon/lat covering only the top-left corner tiles.
  QgsVectorLayer* aoi = new QgsVectorLayer("Polygon?crs=EPSG:4326", "aoi", "memory");
  QgsFeature f;
  QgsCoordinateTransform ct(QgsCoordinateReferenceSystem("EPSG:32633"), QgsCoordinateReferenceSystem("EPSG:4326"),
                            QgsProject::instance());
  QgsGeometry box = QgsGeometry::fromRect(QgsRectangle(500100, 4999000, 501000, 4999900));
  box.transform(ct);
  f.setGeometry(box);
  aoi->dataProvider()->addFeature(f);
  QgsProject::instance()->addMapLayer(aoi);
  bool ok = false;
  QString error;
  const QVariantMap results = run("emitrace:createtilegrid",
                                  {{"INPUT", raster}, {"AOI", aoi->id()}, {"PATCH_SIZE", 72}, {"PATCH_UNIT", 1},
                                   {"EDGE", 0}, {"OUTPUT", dir.filePath("aoi_grid.gpkg")}},
                                  ok, error);
  QVERIFY2(ok, qPrintable(error));
  // x 100..1000 m -> columns 0-1 (720 m tiles), y 100..1000 m below the top -> rows 0-1.
  QCOMPARE(results.value("TILE_COUNT").toLongLong(), 4LL);
  QgsProject::instance()->removeAllMapLayers();
}

void TestQgisProvider::createTileGridBadParameters() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 20;
  rs.height = 20;
  const QString raster = QString::fromStdString(makeRaster(dir.filePath("small.tif").toStdString(), rs));
  bool ok = true;
  QString error;
  // Patch in metres that is not a whole number of pixels.
  run("emitrace:createtilegrid",
      {{"INPUT", raster}, {"PATCH_SIZE", 725}, {"PATCH_UNIT", 0}, {"OUTPUT", dir.filePath("g.gpkg")}}, ok, error);
  QVERIFY(!ok);
  QVERIFY2(error.contains("not a whole number"), qPrintable(error));
  // Output folder that does not exist.
  run("emitrace:createtilegrid",
      {{"INPUT", raster}, {"PATCH_SIZE", 10}, {"PATCH_UNIT", 1}, {"OUTPUT", dir.filePath("no/dir/g.gpkg")}}, ok,
      error);
  QVERIFY(!ok);
  QVERIFY2(error.contains("does not exist"), qPrintable(error));
  // Extent outside the raster.
  run("emitrace:createtilegrid",
      {{"INPUT", raster}, {"EXTENT", "0,1,0,1 [EPSG:4326]"}, {"PATCH_SIZE", 10}, {"PATCH_UNIT", 1},
       {"OUTPUT", dir.filePath("g2.gpkg")}},
      ok, error);
  QVERIFY(!ok);
  QVERIFY2(error.contains("does not overlap"), qPrintable(error));
  QVERIFY(!QFile::exists(dir.filePath("g2.gpkg")));
}

void TestQgisProvider::createTileGridCancel() {
  QTemporaryDir dir;
  RasterSpec rs;
  rs.width = 2000;
  rs.height = 2000;
  rs.value = [](int, int, int) { return 1.0; };
  const QString raster = QString::fromStdString(makeRaster(dir.filePath("big.tif").toStdString(), rs));
  RecordingFeedback feedback;
  QObject::connect(&feedback, &QgsFeedback::progressChanged, &feedback, [&](double p) {
    if (p > 0) feedback.cancel();
  });
  bool ok = true;
  QString error;
  run("emitrace:createtilegrid",
      {{"INPUT", raster}, {"PATCH_SIZE", 4}, {"PATCH_UNIT", 1}, {"OUTPUT", dir.filePath("g.gpkg")}}, ok, error,
      &feedback);
  QVERIFY(!ok);
  QVERIFY2(error.contains("Cancelled"), qPrintable(error));
  QVERIFY(!QFile::exists(dir.filePath("g.gpkg")));
  QVERIFY(!QFile::exists(dir.filePath("g.partial.gpkg")));
}

QGSTEST_MAIN(TestQgisProvider)
#include "test_qgis_provider.moc"
