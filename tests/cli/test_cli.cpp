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

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
