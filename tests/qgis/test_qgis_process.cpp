// `qgis_process.bin` (QGIS 3.22's headless runner, which only loads Python
// plugins) listing and running Emitrace algorithms through the Python shim.
// /usr/bin/qgis_process passes --noversioncheck from /etc/default/qgis, which
// qgis_process rejects, so the .bin is called directly (as documented).
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>

#include "core/raster/gdal_util.h"
#include "tests/common/fixtures.h"

class TestQgisProcess : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void listsEmitraceAlgorithms();
  void runsCreateTileGrid();
  void reportsBadParameters();

 private:
  struct Result {
    int exitCode = -1;
    QString out;
    QString err;
  };
  Result qgisProcess(const QStringList& args);
  QTemporaryDir mHome;
};

TestQgisProcess::Result TestQgisProcess::qgisProcess(const QStringList& args) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("HOME", mHome.path());  // a fresh QGIS profile per test run
  env.insert("QGIS_PLUGINPATH", EMITRACE_QGIS_SHIM_DIR);
  env.insert("QT_QPA_PLATFORM", "offscreen");
  env.insert("XDG_RUNTIME_DIR", mHome.path());
  p.setProcessEnvironment(env);
  p.start("/usr/bin/qgis_process.bin", args);
  Result r;
  if (!p.waitForFinished(300000)) {
    p.kill();
    r.err = "timeout";
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

void TestQgisProcess::initTestCase() {
  QVERIFY(mHome.isValid());
  QVERIFY2(QFile::exists("/usr/bin/qgis_process.bin"), "qgis_process.bin missing: run packaging/install-deps.sh");
  const Result r = qgisProcess({"plugins", "enable", "emitrace"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
}

void TestQgisProcess::listsEmitraceAlgorithms() {
  const Result r = qgisProcess({"list"});
  QVERIFY2(r.exitCode == 0, qPrintable(r.err));
  QVERIFY2(r.out.contains("emitrace:createtilegrid"), qPrintable(r.out.right(2000) + r.err));
}

void TestQgisProcess::runsCreateTileGrid() {
  QTemporaryDir dir;
  emitrace::test::RasterSpec rs;
  rs.width = 300;
  rs.height = 200;
  const QString raster = QString::fromStdString(emitrace::test::makeRaster(dir.filePath("r.tif").toStdString(), rs));
  const QString out = dir.filePath("grid.gpkg");
  const Result r = qgisProcess({"--json", "run", "emitrace:createtilegrid", "--", "INPUT=" + raster,
                                "PATCH_SIZE=720", "PATCH_UNIT=0", "EDGE=1", "OUTPUT=" + out});
  QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
  QVERIFY2(r.out.contains("\"TILE_COUNT\": 15") || r.out.contains("\"TILE_COUNT\":15"), qPrintable(r.out));
  emitrace::raster::ensureGdal();
  GDALDatasetUniquePtr ds(GDALDataset::Open(out.toUtf8().constData(), GDAL_OF_VECTOR));
  QVERIFY(ds);
  QCOMPARE(ds->GetLayer(0)->GetFeatureCount(), 15LL);
}

void TestQgisProcess::reportsBadParameters() {
  QTemporaryDir dir;
  emitrace::test::RasterSpec rs;
  const QString raster = QString::fromStdString(emitrace::test::makeRaster(dir.filePath("r.tif").toStdString(), rs));
  const Result r = qgisProcess({"run", "emitrace:createtilegrid", "--", "INPUT=" + raster, "PATCH_SIZE=725",
                                "PATCH_UNIT=0", "OUTPUT=" + dir.filePath("g.gpkg")});
  QVERIFY(r.exitCode != 0);
  QVERIFY2((r.out + r.err).contains("not a whole number"), qPrintable(r.out + r.err));
  QVERIFY(!QFile::exists(dir.filePath("g.gpkg")));
}

QTEST_GUILESS_MAIN(TestQgisProcess)
#include "test_qgis_process.moc"
