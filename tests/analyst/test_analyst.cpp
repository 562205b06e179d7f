// The analyst application's window, driven headless (QT_QPA_PLATFORM=offscreen).
#include <QMenuBar>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "app/analyst/main_window.h"
#include "app/analyst/raster_info_model.h"
#include "tests/common/fixtures.h"

using emitrace::analyst::MainWindow;
using emitrace::analyst::RasterInfoModel;

class TestAnalyst : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void windowOpensWithMenus();
  void openRasterFillsBandTable();
  void badRasterShowsErrorAndKeepsState();
  void rendersScreenshot();
};

void TestAnalyst::windowOpensWithMenus() {
  MainWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QStringList menus;
  for (QAction* a : w.menuBar()->actions()) menus << a->text();
  QVERIFY(menus.contains("&File"));
  QVERIFY(menus.contains("&Help"));
}

void TestAnalyst::openRasterFillsBandTable() {
  MainWindow w;
  QVERIFY(w.openRaster(QString::fromStdString(emitrace::test::sampleData(
                           "sentinel2_patch_72x72/eolearn_S2L1C_ref0_72x72_B2-B3-B4-B8A-B11-B12.tif")),
                       true));
  RasterInfoModel* m = w.bandModel();
  QCOMPARE(m->rowCount(), 6);
  QCOMPARE(m->data(m->index(0, RasterInfoModel::DataType)).toString(), QString("Float32"));
  QCOMPARE(m->headerData(RasterInfoModel::Wavelength, Qt::Horizontal).toString(), QString("Wavelength (nm)"));
}

void TestAnalyst::badRasterShowsErrorAndKeepsState() {
  MainWindow w;
  QVERIFY(w.openRaster(QString::fromStdString(emitrace::test::sampleData("sentinel2_18SVG_20m/s2_B11.tif")), true));
  QTemporaryDir dir;
  const QString bad = dir.filePath("bad.tif");
  std::ofstream(bad.toStdString()) << "not a tiff";
  QVERIFY(!w.openRaster(bad, true));
  QVERIFY2(w.lastError().contains("bad.tif"), qPrintable(w.lastError()));
  QCOMPARE(w.bandModel()->rowCount(), 1);  // the previous raster stays shown
}

void TestAnalyst::rendersScreenshot() {
  MainWindow w;
  w.show();
  w.openRaster(QString::fromStdString(emitrace::test::sampleData("sentinel2_18SVG_20m/s2_B11.tif")), true);
  const QPixmap shot = w.grab();
  QVERIFY(!shot.isNull());
  QCOMPARE(shot.size(), w.size());
}

QTEST_MAIN(TestAnalyst)
#include "test_analyst.moc"
