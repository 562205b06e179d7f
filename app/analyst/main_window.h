#pragma once
// The analyst application's main window: the map in the centre, the layer
// list and layer style on the left, area of interest and tile grid on the
// right, coordinates/scale and the running task in the status bar.
// Front-end only: every result comes from the core; errors from the core
// are shown as dialogs (or, in quiet mode, kept in lastError()).
#include <QMainWindow>
#include <memory>
#include <string>

#include "core/render/coordinates.h"

class QAction;
class QLabel;
class QMenu;

namespace emitrace::analyst {

class AoiPanel;
class LayerModel;
class LayerPanel;
class MapCanvas;
class RasterInfoModel;
class RecentFiles;
class RunPanel;
class StylePanel;
class TaskRunner;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Quiet mode: errors go to lastError() and the status bar only, never to a
  // dialog (tests, screenshots, scripted sessions).
  void setQuiet(bool quiet) { quiet_ = quiet; }
  // Whether opened files are remembered in File ▸ Open recent.
  void setRecordRecentFiles(bool record) { recordRecent_ = record; }

  // Opens one raster as a layer. Returns false (after reporting the error,
  // as a dialog unless quiet) if the core rejects it.
  bool openRaster(const QString& path, bool quiet = false);
  // Opens rasters and vector files; single-band rasters of one grid whose
  // names differ by a band token (s2_B12.tif, s2_B11.tif, …) become one
  // layer. Returns the number of layers added.
  int openPaths(const QStringList& paths, bool quiet = false);
  // Several rasters on one grid stacked as one layer (one file: as it is).
  bool openRasterGroup(const QStringList& files, bool quiet = false);
  // Every layer of a vector file.
  bool openVector(const QString& path, bool quiet = false);
  // An AOI as `emitrace tiles --aoi` takes it: a vector file, a box
  // "minx,miny,maxx,maxy[,CRS]", WKT ("EPSG:4326;POLYGON(…)"), or "whole"
  // (read on the grid of the tile-grid raster).
  bool setAoiFromSpec(const QString& spec, bool quiet = false);
  // Reprojects every layer for display in a new map CRS (any CRS string).
  bool setMapCrs(const QString& definition, bool quiet = false);
  void removeLayer(int layerId);
  // Builds external overviews for the files of a raster layer that have
  // none (on the task runner), then reopens the layer so it uses them.
  bool buildOverviews(int layerId, bool quiet = false);
  // Starts writing the previewed tile grid to `output` on the task runner.
  bool exportTileGrid(const QString& output, bool quiet = false);
  // Processes events until the map has rendered every visible tile.
  bool waitForMap(int timeoutMs = 30000);

  QString lastError() const { return lastError_; }
  RasterInfoModel* bandModel() const { return bandModel_; }
  MapCanvas* canvas() const { return canvas_; }
  LayerModel* layers() const { return layers_; }
  LayerPanel* layerPanel() const { return layerPanel_; }
  StylePanel* stylePanel() const { return stylePanel_; }
  AoiPanel* aoiPanel() const { return aoiPanel_; }
  TaskRunner* runner() const { return runner_; }
  RunPanel* runPanel() const { return runPanel_; }
  RecentFiles* recentFiles() const { return recent_; }
  const std::string& mapCrs() const { return mapCrsWkt_; }
  QString coordinateText() const;
  QString lonLatText() const;
  QString scaleText() const;

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void createMenus();
  void createDocks();
  void createStatusBar();
  void chooseFiles();
  void chooseAoiFile();
  void chooseTileGridExport();
  void chooseMapCrs();
  void saveMapImage();
  void rebuildRecentMenu();
  void showAbout();
  void reportError(const QString& title, const QString& message, bool quiet);
  void defineMapCrs(const std::string& wkt);
  void onCursorMoved(double x, double y);
  void updateScale();
  void onTaskFinished(int outcome, const QString& message);
  // Prepares a raster layer's files again (new overviews, new map CRS) and
  // puts the result in its place, keeping its look and state.
  void reopenRasterLayer(int layerId, const std::string& mapCrsWkt);

  LayerModel* layers_ = nullptr;
  MapCanvas* canvas_ = nullptr;
  LayerPanel* layerPanel_ = nullptr;
  StylePanel* stylePanel_ = nullptr;
  AoiPanel* aoiPanel_ = nullptr;
  RasterInfoModel* bandModel_ = nullptr;
  TaskRunner* runner_ = nullptr;
  RunPanel* runPanel_ = nullptr;
  RecentFiles* recent_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QAction* drawRectAction_ = nullptr;
  QAction* drawPolygonAction_ = nullptr;
  QAction* panAction_ = nullptr;
  QLabel* coords_ = nullptr;
  QLabel* lonLat_ = nullptr;
  QLabel* scale_ = nullptr;
  QLabel* crs_ = nullptr;
  QLabel* rendering_ = nullptr;

  std::string mapCrsWkt_;
  bool mapCrsDefined_ = false;
  render::MapUnits mapUnits_;
  std::unique_ptr<render::CrsTransform> toLonLat_;
  QString lastError_;
  bool quiet_ = false;
  bool recordRecent_ = true;
};

}  // namespace emitrace::analyst
