// The emitrace command line, run as a user runs it: exit codes, one-line
// errors, outputs on disk.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/raster/gdal_util.h"
#include "tests/common/fixtures.h"

namespace {

struct Run {
  int exitCode = -1;
  QString out;
  QString err;
};

Run runCli(const QStringList& args, int timeoutMs = 600000) {
  QProcess p;
  const QString exe = qEnvironmentVariable("EMITRACE_CLI");
  p.start(exe, args);
  Run r;
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    r.err = "timeout";
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

long long countFeatures(const QString& path) {
  emitrace::raster::ensureGdal();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.toUtf8().constData(), GDAL_OF_VECTOR));
  return ds ? ds->GetLayer(0)->GetFeatureCount() : -1;
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { QVERIFY2(!qEnvironmentVariable("EMITRACE_CLI").isEmpty(), "EMITRACE_CLI not set"); }
  void version();
  void infoText();
  void infoJson();
  void tiles();
  void errorsAreOneLineAndNonZero_data();
  void errorsAreOneLineAndNonZero();
  void usageErrorExitsTwo();
  void demoRasterStep();
  void inventoryWorkflow();
  void inventoryErrors_data();
  void inventoryErrors();
};

void TestCli::version() {
  const Run r = runCli({"--version"});
  QCOMPARE(r.exitCode, 0);
  QVERIFY2(r.out.startsWith("emitrace "), qPrintable(r.out));
}

void TestCli::infoText() {
  const Run r = runCli({"info", QString::fromStdString(emitrace::test::sampleData("sentinel2_18SVG_20m/s2_B12.tif"))});
  QCOMPARE(r.exitCode, 0);
  QVERIFY2(r.out.contains("967 x 973 px, 1 band"), qPrintable(r.out));
  QVERIFY2(r.out.contains("EPSG:32618"), qPrintable(r.out));
}

void TestCli::infoJson() {
  const Run r = runCli({"info", "--json", QString::fromStdString(emitrace::test::sampleData(
                                             "sentinel2_patch_72x72/eolearn_S2L1C_ref0_72x72_B2-B3-B4-B8A-B11-B12.tif"))});
  QCOMPARE(r.exitCode, 0);
  const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
  QCOMPARE(o.value("width").toInt(), 72);
  QCOMPARE(o.value("bands").toArray().size(), 6);
  QCOMPARE(o.value("bands").toArray().at(0).toObject().value("data_type").toString(), QString("Float32"));
}

void TestCli::tiles() {
  QTemporaryDir dir;
  const QString out = dir.filePath("grid.gpkg");
  const Run r = runCli({"tiles", "--input",
                        QString::fromStdString(emitrace::test::sampleData("sentinel2_18SVG_20m/s2_B11.tif")),
                        "--patch", "720m", "--overlap", "0.5", "--edge", "drop", "--out", out, "-q"});
  QCOMPARE(r.exitCode, 0);
  // 967 px at 20 m, patch 36 px, stride 18: floor((967-36)/18)+1 = 52 columns; rows: floor((973-36)/18)+1 = 53.
  QVERIFY2(r.out.contains("2756 tiles"), qPrintable(r.out));
  QCOMPARE(countFeatures(out), 2756LL);
}

void TestCli::errorsAreOneLineAndNonZero_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("fragment");
  const QString s2 = QString::fromStdString(emitrace::test::sampleData("sentinel2_18SVG_20m/s2_B11.tif"));
  QTest::newRow("missing file") << QStringList{"info", "/nonexistent/scene.tif"} << "file not found";
  QTest::newRow("bad edge") << QStringList{"tiles", "-i", s2, "--edge", "wrap", "-o", "/tmp/x.gpkg"} << "shift, pad or drop";
  QTest::newRow("aoi outside") << QStringList{"tiles", "-i", s2, "--aoi", "0,0,1,1,EPSG:4326", "-o", "/tmp/x.gpkg"}
                               << "does not overlap";
  QTest::newRow("unwritable") << QStringList{"tiles", "-i", s2, "-o", "/nonexistent/dir/grid.gpkg"} << "does not exist";
  QTest::newRow("demo step") << QStringList{"demo", "--only", "nosuchstep", "--out", "/tmp/emitrace-demo-x"}
                             << "no demo step named";
}

void TestCli::errorsAreOneLineAndNonZero() {
  QFETCH(QStringList, args);
  QFETCH(QString, fragment);
  const Run r = runCli(args);
  QCOMPARE(r.exitCode, 1);
  QVERIFY2(r.err.startsWith("emitrace: error: "), qPrintable(r.err));
  QVERIFY2(r.err.contains(fragment), qPrintable(r.err));
  QCOMPARE(r.err.trimmed().count('\n'), 0);
}

void TestCli::usageErrorExitsTwo() {
  const Run r = runCli({"tiles", "--bogus"});
  QVERIFY(r.exitCode != 0 && r.exitCode != 1);
}

void TestCli::demoRasterStep() {
  QTemporaryDir dir;
  const Run r = runCli({"demo", "--only", "raster", "--out", dir.path(), "-q"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  QVERIFY(QFile::exists(dir.filePath("raster/s2_nir_swir_10m.tif")));
  QVERIFY(countFeatures(dir.filePath("raster/s2_tiles_720m.gpkg")) > 100);
  QFile summary(dir.filePath("summary.json"));
  QVERIFY(summary.open(QIODevice::ReadOnly));
  const QJsonObject steps = QJsonDocument::fromJson(summary.readAll()).object().value("steps").toObject();
  const QJsonObject raster = steps.value("raster").toObject();
  QVERIFY(raster.value("s2_tiles").toInt() > 100);
  QVERIFY(raster.value("s2_stack").toObject().value("valid_fraction").toDouble() > 0.9);
}

namespace {

QJsonDocument runJson(const QStringList& args) {
  const Run r = runCli(args);
  if (r.exitCode != 0) qWarning("%s", qPrintable(r.err));
  return QJsonDocument::fromJson(r.out.toUtf8());
}

}  // namespace

// The demo builds an inventory; every `emitrace inventory` verb then works on
// it as a script would.
void TestCli::inventoryWorkflow() {
  QTemporaryDir dir;
  Run r = runCli({"demo", "--only", "inventory", "--out", dir.path(), "-q"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  QVERIFY2(r.out.contains("Review precision by type (Table 5 view)"), qPrintable(r.out));
  QVERIFY2(r.out.contains("Coverage of reference 'EPA GHGRP 2018'"), qPrintable(r.out));
  const QString inv = dir.filePath("inventory/inventory.gpkg");
  QVERIFY(QFile::exists(dir.filePath("inventory/facilities.geojson")));

  QJsonObject summary = runJson({"inventory", "summary", inv, "--json"}).object();
  const int detections = summary.value("detections").toInt();
  QVERIFY(detections > 20);
  const QJsonArray table5 = summary.value("table5").toArray();
  QCOMPARE(table5.last().toObject().value("type").toString(), QString("total"));
  QCOMPARE(table5.last().toObject().value("initial").toInt(), detections);
  // The 23 EPA facilities of the Los Angeles scan area are the reference.
  const QJsonObject table6 = summary.value("table6").toArray().at(0).toObject();
  QCOMPARE(table6.value("total").toObject().value("references").toInt(), 23);

  // Review from the command line: pick a confirmed detection, reject it, undo.
  const QJsonArray confirmed = runJson({"inventory", "list", inv, "--status", "confirmed", "--json"}).array();
  QVERIFY(!confirmed.isEmpty());
  const QString id = QString::number(confirmed.at(0).toObject().value("id").toInt());
  r = runCli({"inventory", "review", inv, "--id", id, "--status", "rejected", "--note", "quarry", "--reviewer", "cli"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  QVERIFY2(r.out.contains("1 detection(s) changed"), qPrintable(r.out));
  QVERIFY2(r.out.contains("inventory merge"), qPrintable(r.out));  // facilities now out of date
  const QJsonArray log = runJson({"inventory", "review", inv, "--log", "--json", "--log-limit", "1"}).array();
  QCOMPARE(log.at(0).toObject().value("reviewer").toString(), QString("cli"));
  QCOMPARE(log.at(0).toObject().value("note").toString(), QString("quarry"));
  QCOMPARE(log.at(0).toObject().value("detection_id").toInt(), id.toInt());
  QCOMPARE(log.at(0).toObject().value("new_status").toString(), QString("rejected"));
  r = runCli({"inventory", "review", inv, "--undo"});
  QVERIFY2(r.exitCode == 0 && r.out.contains("undid"), qPrintable(r.out + r.err));

  // Relabel through a facility, bulk-reject, merge.
  const QJsonArray facilities = runJson({"inventory", "list", inv, "--facilities", "--json"}).array();
  QVERIFY(!facilities.isEmpty());
  const QJsonObject review =
      runJson({"inventory", "review", inv, "--facility", QString::number(facilities.at(0).toObject().value("id").toInt()),
               "--status", "relabelled", "--type", "cement", "--json"})
          .object();
  QVERIFY(review.value("changed").toInt() >= 1);
  QVERIFY(review.value("facilities_stale").toBool());
  const QJsonObject bulk = runJson({"inventory", "review", inv, "--reject-below", "1.0", "--json"}).object();
  QCOMPARE(bulk.value("changed").toInt(), 0);  // the demo left nothing pending
  const QJsonObject merge = runJson({"inventory", "merge", inv, "--json", "--plume-distance", "800"}).object();
  QVERIFY(merge.value("facilities").toInt() > 5);
  QVERIFY(merge.value("facilities_by_type").toObject().contains("cement"));

  // Export: CSV with WKT, KML, GeoJSON, a GeoPackage copy.
  r = runCli({"inventory", "export", inv, "--out", dir.filePath("d.csv"), "--layer", "detections", "-q"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  QFile csv(dir.filePath("d.csv"));
  QVERIFY(csv.open(QIODevice::ReadOnly));
  QVERIFY(csv.readLine().startsWith("WKT,"));
  r = runCli({"inventory", "export", inv, "--out", dir.filePath("p.kml"), "--layer", "facility_points", "-q"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  r = runCli({"inventory", "export", inv, "--out", dir.filePath("c.geojson"), "--status", "confirmed", "-q"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  QVERIFY(countFeatures(dir.filePath("c.geojson")) > 0);
  r = runCli({"inventory", "export", inv, "--out", dir.filePath("copy.gpkg"), "-q"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  QCOMPARE(runJson({"inventory", "summary", dir.filePath("copy.gpkg"), "--json"}).object().value("detections").toInt(),
           detections);

  // Validation in distance mode against the EPA list, restricted to the scan area.
  const QString epa = QString::fromStdString(emitrace::test::sampleData("facilities/ghgrp2018_methane_classes.csv"));
  const QJsonObject validation = runJson({"inventory", "validate", inv, "--reference", epa, "--area", "runs",
                                          "--mode", "distance", "--tolerance", "300", "--json", "-q"})
                                     .object();
  QCOMPARE(validation.value("table").toObject().value("total").toObject().value("references").toInt(), 23);
  QCOMPARE(validation.value("skipped_no_location").toInt(), 7);
  r = runCli({"inventory", "summary", inv});
  QVERIFY2(r.out.contains("within 300 m of a confirmed detection"), qPrintable(r.out));

}

void TestCli::inventoryErrors_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("fragment");
  QTest::newRow("not an inventory") << QStringList{"inventory", "summary", "@TEXT@"} << "not a GeoPackage";
  QTest::newRow("missing inventory") << QStringList{"inventory", "merge", "/nonexistent/inv.gpkg"} << "not found";
  QTest::newRow("unknown id") << QStringList{"inventory", "review", "@INV@", "--id", "99999", "--status", "confirmed"}
                              << "no detection 99999";
  QTest::newRow("no action") << QStringList{"inventory", "review", "@INV@", "--status", "confirmed"}
                             << "give exactly one of";
  QTest::newRow("no status") << QStringList{"inventory", "review", "@INV@", "--id", "1"} << "--status is required";
  QTest::newRow("bad status") << QStringList{"inventory", "review", "@INV@", "--id", "1", "--status", "maybe"}
                              << "unknown review status 'maybe'";
  QTest::newRow("relabel without type") << QStringList{"inventory", "review", "@INV@", "--id", "1", "--status", "relabelled"}
                                        << "needs the new facility type";
  QTest::newRow("bad type") << QStringList{"inventory", "review", "@INV@", "--id", "1", "--status", "relabelled",
                                           "--type", "volcano"}
                            << "unknown facility type 'volcano'";
  QTest::newRow("two layers to geojson") << QStringList{"inventory", "export", "@INV@", "--out", "@DIR@/x.geojson",
                                                        "--layer", "detections,facilities"}
                                         << "holds one layer";
  QTest::newRow("distance without tolerance") << QStringList{"inventory", "validate", "@INV@", "--reference", "@TEXT@",
                                                             "--mode", "distance"}
                                              << "tolerance > 0";
  QTest::newRow("create over existing") << QStringList{"inventory", "create", "@INV@"} << "exists";
}

void TestCli::inventoryErrors() {
  QFETCH(QStringList, args);
  QFETCH(QString, fragment);
  // One empty inventory (made with `inventory create`) for every row.
  static QTemporaryDir dir;
  const QString inv = dir.filePath("inv.gpkg");
  if (!QFile::exists(inv)) {
    const Run created = runCli({"inventory", "create", inv});
    QVERIFY2(created.exitCode == 0 && created.out.contains("created inventory"), qPrintable(created.err));
    QFile text(dir.filePath("notes.txt"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not an inventory\n");
  }
  for (QString& a : args) {
    a.replace("@INV@", inv).replace("@TEXT@", dir.filePath("notes.txt")).replace("@DIR@", dir.path());
  }
  const Run r = runCli(args);
  QCOMPARE(r.exitCode, 1);
  QVERIFY2(r.err.startsWith("emitrace: error: "), qPrintable(r.err));
  QVERIFY2(r.err.contains(fragment), qPrintable(r.err));
  QCOMPARE(r.err.trimmed().count('\n'), 0);
  QVERIFY(!QFile::exists(dir.filePath("x.geojson")));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
