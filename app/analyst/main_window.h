#pragma once
// The analyst application's main window. Front-end only: every result comes
// from the core; errors from the core are shown as dialogs.
#include <QMainWindow>

class QLabel;
class QTableView;

namespace emitrace::analyst {

class RasterInfoModel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Opens a raster and shows its description. Returns false (after showing
  // the error, unless quiet) if the core rejects it.
  bool openRaster(const QString& path, bool quiet = false);
  QString lastError() const { return lastError_; }
  RasterInfoModel* bandModel() const { return bandModel_; }

 private:
  void chooseRaster();
  void showAbout();

  RasterInfoModel* bandModel_ = nullptr;
  QTableView* bandView_ = nullptr;
  QLabel* summary_ = nullptr;
  QString lastError_;
};

}  // namespace emitrace::analyst
