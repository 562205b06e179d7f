// An Emitrace inventory opened by QGIS itself (headless): every layer loads
// with the default style stored in the GeoPackage's layer_styles table
// (detections coloured by review status, facilities by type, reference
// points by coverage), feature counts are right, and QGIS reads the
// attributes the core wrote.
#include <qgsapplication.h>
#include <qgscategorizedsymbolrenderer.h>
#include <qgsexpressioncontextutils.h>
#include <qgsfeatureiterator.h>
#include <qgsrendercontext.h>
#include <qgssymbol.h>
#include <qgstest.h>
#include <qgsvectorlayer.h>

#include <QTemporaryDir>

#include <fstream>

#include "core/inventory/inventory.h"
#include "core/inventory/layer_styles.h"
#include "core/inventory/merge.h"
#include "core/inventory/validation.h"
#include "core/progress.h"
#include "tests/inventory/inventory_fixtures.h"

using namespace emitrace::inventory;

namespace {

class QuietProgress : public emitrace::Progress {};

QColor qcolor(const StyleColor& c) { return QColor(c.r, c.g, c.b); }

// The colour the layer's renderer gives a feature.
QColor renderedColor(QgsVectorLayer& layer, const QgsFeature& feature) {
  QgsRenderContext context;
  // As QGIS's layer renderer does: expression-based categories read the
  // feature from the expression context.
  context.expressionContext().appendScopes(QgsExpressionContextUtils::globalProjectLayerScopes(&layer));
  context.expressionContext().setFeature(feature);
  QgsFeatureRenderer* renderer = layer.renderer();
  renderer->startRender(context, layer.fields());
  QgsSymbol* symbol = renderer->symbolForFeature(feature, context);
  QColor color = symbol ? symbol->color() : QColor();
  renderer->stopRender(context);
  color.setAlpha(255);
  return color;
}

QgsFeature featureWhere(QgsVectorLayer& layer, const QString& expression) {
  QgsFeature f;
  layer.getFeatures(QgsFeatureRequest().setFilterExpression(expression)).nextFeature(f);
  return f;
}

}  // namespace

class TestQgisInventory : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase();
  void detectionsStyledByReviewStatus();
  void facilitiesStyledByType();
  void referenceMatchesAndTables();

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  QString path_;
};

void TestQgisInventory::initTestCase() {
  QgsApplication::init();
  QgsApplication::initQgis();
  dir_ = std::make_unique<QTemporaryDir>();
  path_ = dir_->filePath("inventory.gpkg");

  Inventory inv = Inventory::create(path_.toStdString());
  const std::string run = emitrace::test::beginTestRun(inv);
  inv.addDetections({emitrace::test::patch(run, 0, 0, "Landfills"), emitrace::test::patch(run, 0, 1, "Landfills"),
                     emitrace::test::patch(run, 4, 4, "WWTreatment"), emitrace::test::patch(run, 8, 8, "CAFOs"),
                     emitrace::test::patch(run, 12, 12, "RefineriesAndTerminals")});
  inv.review({ReviewTarget::Detection, {1, 2}, ReviewStatus::Confirmed});
  inv.review({ReviewTarget::Detection, {4}, ReviewStatus::Rejected});
  inv.review({ReviewTarget::Detection, {5}, ReviewStatus::Relabelled, FacilityType::GasProcessing});
  QuietProgress p;
  mergeFacilities(inv, {}, p);
  // One reference point inside the confirmed landfill, one far away.
  const QString csv = dir_->filePath("ref.csv");
  std::ofstream(csv.toStdString()) << "id,name,lon,lat,class\n"
                                   << "r1,inside,-118.07859,33.97258,landfill\n"
                                   << "r2,far away,-100.0,40.0,refinery\n";
  ValidationOptions options;
  options.reference = csv.toStdString();
  options.lonField = "lon";
  options.latField = "lat";
  validateInventory(inv, options, p);
}

void TestQgisInventory::cleanupTestCase() { QgsApplication::exitQgis(); }

void TestQgisInventory::detectionsStyledByReviewStatus() {
  QgsVectorLayer layer(path_ + "|layername=detections", "detections", "ogr");
  QVERIFY(layer.isValid());
  QCOMPARE(layer.featureCount(), 5LL);
  QCOMPARE(layer.crs().authid(), QString("EPSG:4326"));
  QCOMPARE(layer.renderer()->type(), QString("categorizedSymbol"));
  auto* renderer = dynamic_cast<QgsCategorizedSymbolRenderer*>(layer.renderer());
  QVERIFY(renderer);
  QCOMPARE(renderer->classAttribute(), QString("review_status"));
  QStringList values;
  for (const auto& c : renderer->categories()) values << c.value().toString();
  QCOMPARE(values, QStringList({"pending", "confirmed", "rejected", "relabelled", "uncertain"}));
  for (const auto& c : renderer->categories()) {
    QCOMPARE(c.symbol()->type(), Qgis::SymbolType::Fill);
    QColor expected = qcolor(reviewStatusColor(c.value().toString().toStdString()));
    QColor got = c.symbol()->color();
    got.setAlpha(255);
    QCOMPARE(got, expected);
  }
  // Features render in the colour of their status.
  QCOMPARE(renderedColor(layer, featureWhere(layer, "review_status = 'confirmed'")), qcolor(reviewStatusColor("confirmed")));
  QCOMPARE(renderedColor(layer, featureWhere(layer, "review_status = 'rejected'")), qcolor(reviewStatusColor("rejected")));
  QCOMPARE(renderedColor(layer, featureWhere(layer, "review_status = 'pending'")), qcolor(reviewStatusColor("pending")));
  // Attributes written by the core, as QGIS reads them.
  const QgsFeature relabelled = featureWhere(layer, "review_status = 'relabelled'");
  QCOMPARE(relabelled.attribute("effective_type").toString(), QString("gas_processing"));
  QCOMPARE(relabelled.attribute("facility_type").toString(), QString("refinery_terminal"));
  QCOMPARE(relabelled.attribute("ipcc_code").toString(), QString("1B2"));
  QCOMPARE(layer.attributeAlias(layer.fields().indexOf("probability")), QString("Probability"));
  QVERIFY(!layer.displayExpression().isEmpty());
}

void TestQgisInventory::facilitiesStyledByType() {
  QgsVectorLayer polygons(path_ + "|layername=facilities", "facilities", "ogr");
  QVERIFY(polygons.isValid());
  QCOMPARE(polygons.featureCount(), 3LL);  // landfill (2 tiles), WWTP, gas processing
  auto* renderer = dynamic_cast<QgsCategorizedSymbolRenderer*>(polygons.renderer());
  QVERIFY(renderer);
  QCOMPARE(renderer->classAttribute(), QString("facility_type"));
  QVERIFY(renderer->categoryIndexForValue("landfill") >= 0);
  QVERIFY(renderer->categoryIndexForValue("cement") >= 0);
  QVERIFY(renderer->categoryIndexForValue("methane_plume") >= 0);
  QCOMPARE(renderedColor(polygons, featureWhere(polygons, "facility_type = 'landfill'")),
           qcolor(facilityTypeColor("landfill")));
  QCOMPARE(renderedColor(polygons, featureWhere(polygons, "facility_type = 'gas_processing'")),
           qcolor(facilityTypeColor("gas_processing")));
  const QgsFeature landfill = featureWhere(polygons, "facility_type = 'landfill'");
  QCOMPARE(landfill.attribute("member_count").toInt(), 2);
  QCOMPARE(landfill.attribute("review_status").toString(), QString("confirmed"));

  QgsVectorLayer points(path_ + "|layername=facility_points", "facility_points", "ogr");
  QVERIFY(points.isValid());
  QCOMPARE(points.featureCount(), 3LL);
  auto* pointRenderer = dynamic_cast<QgsCategorizedSymbolRenderer*>(points.renderer());
  QVERIFY(pointRenderer);
  QCOMPARE(pointRenderer->classAttribute(), QString("facility_type"));
  QCOMPARE(pointRenderer->categories().front().symbol()->type(), Qgis::SymbolType::Marker);
  QCOMPARE(renderedColor(points, featureWhere(points, "facility_type = 'wastewater'")),
           qcolor(facilityTypeColor("wastewater")));
}

void TestQgisInventory::referenceMatchesAndTables() {
  QgsVectorLayer matches(path_ + "|layername=reference_matches", "reference_matches", "ogr");
  QVERIFY(matches.isValid());
  QCOMPARE(matches.featureCount(), 2LL);
  QCOMPARE(matches.renderer()->type(), QString("categorizedSymbol"));
  QCOMPARE(renderedColor(matches, featureWhere(matches, "reference_id = 'r1'")), QColor(46, 160, 67));
  QCOMPARE(renderedColor(matches, featureWhere(matches, "reference_id = 'r2'")), QColor(214, 39, 40));
  QCOMPARE(featureWhere(matches, "reference_id = 'r1'").attribute("covered").toBool(), true);

  QgsVectorLayer log(path_ + "|layername=review_log", "review_log", "ogr");
  QVERIFY(log.isValid());
  QCOMPARE(log.featureCount(), 4LL);  // 2 confirmed + 1 rejected + 1 relabelled
  QCOMPARE(log.attributeAlias(log.fields().indexOf("decision_id")), QString("Decision id"));
  QgsVectorLayer runs(path_ + "|layername=runs", "runs", "ogr");
  QVERIFY(runs.isValid());
  QCOMPARE(runs.featureCount(), 1LL);
  QCOMPARE(runs.attributeAlias(runs.fields().indexOf("model_sha256")), QString("Model sha256"));
}

QGSTEST_MAIN(TestQgisInventory)
#include "test_qgis_inventory.moc"
