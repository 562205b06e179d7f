#include "app/analyst/main_window.h"

#include <QApplication>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

#include "app/analyst/raster_info_model.h"
#include "core/error.h"
#include "core/raster/grid.h"
#include "core/version.h"

namespace emitrace::analyst {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Emitrace Analyst"));
  resize(960, 640);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  summary_ = new QLabel(tr("Open a raster (File ▸ Open raster…) to see its bands."), central);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_->setWordWrap(true);
  bandModel_ = new RasterInfoModel(this);
  bandView_ = new QTableView(central);
  bandView_->setModel(bandModel_);
  bandView_->horizontalHeader()->setStretchLastSection(true);
  bandView_->verticalHeader()->hide();
  bandView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  layout->addWidget(summary_);
  layout->addWidget(bandView_, 1);
  setCentralWidget(central);

  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open raster…"), this, &MainWindow::chooseRaster);
  open->setShortcut(QKeySequence::Open);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence::Quit);
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Emitrace"), this, &MainWindow::showAbout);
  statusBar()->showMessage(tr("Ready"));
}

bool MainWindow::openRaster(const QString& path, bool quiet) {
  try {
    const raster::RasterInfo info = raster::describeRaster(path.toStdString());
    bandModel_->setInfo(info);
    QString georef = info.hasGeoTransform
                         ? tr("%1 m pixels").arg(QLocale().toString(info.geoTransform[1], 'g', 6))
                         : tr("no georeferencing");
    summary_->setText(tr("<b>%1</b><br>%2 × %3 px, %4 band(s), %5, %6 (%7)")
                          .arg(path.toHtmlEscaped())
                          .arg(QLocale().toString(info.width))
                          .arg(QLocale().toString(info.height))
                          .arg(info.bandCount())
                          .arg(QString::fromStdString(raster::crsDisplayName(info.crsWkt)).toHtmlEscaped())
                          .arg(georef)
                          .arg(QString::fromStdString(info.driver)));
    statusBar()->showMessage(tr("Opened %1").arg(path));
    lastError_.clear();
    return true;
  } catch (const Error& e) {
    lastError_ = QString::fromStdString(e.what());
    if (!quiet) QMessageBox::warning(this, tr("Cannot open raster"), lastError_);
    statusBar()->showMessage(tr("Could not open %1").arg(path));
    return false;
  }
}

void MainWindow::chooseRaster() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open raster"), QString(),
      tr("Rasters (*.tif *.tiff *.jp2 *.hdr *.img *.nc *.h5 *.vrt);;All files (*)"));
  if (!path.isEmpty()) openRaster(path);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Emitrace"),
                     tr("<b>Emitrace %1</b><br>Finding greenhouse-gas emitting infrastructure in "
                        "satellite imagery.")
                         .arg(QString::fromLatin1(kVersion)));
}

}  // namespace emitrace::analyst
