#include "app/analyst/main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QStatusBar>
#include <cmath>

#include "app/analyst/map/layer_model.h"
#include "app/analyst/map/map_canvas.h"
#include "app/analyst/panels/aoi_panel.h"
#include "app/analyst/panels/layer_panel.h"
#include "app/analyst/panels/preset_names.h"
#include "app/analyst/panels/style_panel.h"
#include "app/analyst/raster_info_model.h"
#include "app/analyst/recent_files.h"
#include "app/analyst/run/run_panel.h"
#include "app/analyst/run/task_runner.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/raster/aoi.h"
#include "core/raster/grid.h"
#include "core/raster/tile_grid_export.h"
#include "core/render/aoi_geometry.h"
#include "core/render/band_presets.h"
#include "core/render/coordinates.h"
#include "core/render/dataset_probe.h"
#include "core/render/display_source.h"
#include "core/render/overviews.h"
#include "core/render/vector_overlay.h"
#include "core/version.h"

namespace emitrace::analyst {

namespace {

std::vector<std::string> toStd(const QStringList& list) {
  std::vector<std::string> out;
  for (const QString& s : list) out.push_back(s.toStdString());
  return out;
}

QString formatNumber(double v, int decimals) { return QLocale().toString(v, 'f', decimals); }

QString formatLonLat(double lon, double lat) {
  return QCoreApplication::translate("emitrace::analyst::MainWindow", "%1° %2, %3° %4")
      .arg(QLocale().toString(std::fabs(lat), 'f', 6))
      .arg(lat >= 0 ? QCoreApplication::translate("emitrace::analyst::MainWindow", "N")
                    : QCoreApplication::translate("emitrace::analyst::MainWindow", "S"))
      .arg(QLocale().toString(std::fabs(lon), 'f', 6))
      .arg(lon >= 0 ? QCoreApplication::translate("emitrace::analyst::MainWindow", "E")
                    : QCoreApplication::translate("emitrace::analyst::MainWindow", "W"));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Emitrace Analyst"));
  resize(1280, 800);
  setAcceptDrops(true);

  layers_ = new LayerModel(this);
  bandModel_ = new RasterInfoModel(this);
  runner_ = new TaskRunner(this);
  recent_ = new RecentFiles(this);
  canvas_ = new MapCanvas(layers_, this);
  setCentralWidget(canvas_);

  createDocks();
  createStatusBar();
  createMenus();

  connect(canvas_, &MapCanvas::cursorMoved, this, &MainWindow::onCursorMoved);
  connect(canvas_, &MapCanvas::cursorLeft, this, [this] {
    coords_->clear();
    lonLat_->clear();
  });
  connect(canvas_, &MapCanvas::viewChanged, this, &MainWindow::updateScale);
  connect(canvas_, &MapCanvas::renderProgress, this, [this](int missing) {
    rendering_->setText(missing > 0 ? tr("Rendering %n tile(s)…", "", missing) : QString());
  });
  connect(canvas_, &MapCanvas::renderError, this, [this](const QString& message) {
    statusBar()->showMessage(tr("Cannot draw part of a layer: %1").arg(message), 10000);
  });
  connect(canvas_, &MapCanvas::aoiDrawn, this, [this](const QString& wkt) {
    aoiPanel_->setAoi(wkt.toStdString(), tr("Drawn on the map"));
    canvas_->setTool(MapCanvas::Tool::Pan);
  });
  connect(canvas_, &MapCanvas::aoiDrawingFailed, this, [this](const QString& message) {
    lastError_ = message;
    statusBar()->showMessage(message, 8000);
  });
  connect(canvas_, &MapCanvas::toolChanged, this, [this](MapCanvas::Tool tool) {
    aoiPanel_->setDrawingTool(static_cast<int>(tool));
    drawRectAction_->setChecked(tool == MapCanvas::Tool::DrawRectangle);
    drawPolygonAction_->setChecked(tool == MapCanvas::Tool::DrawPolygon);
    panAction_->setChecked(tool == MapCanvas::Tool::Pan);
    if (tool == MapCanvas::Tool::DrawPolygon) {
      statusBar()->showMessage(
          tr("Click the polygon's vertices; double-click or Enter to finish, Esc to cancel."));
    } else if (tool == MapCanvas::Tool::DrawRectangle) {
      statusBar()->showMessage(tr("Drag a rectangle on the map."));
    }
  });
  connect(runner_, &TaskRunner::finished, this, [this](TaskRunner::Outcome outcome, const QString& message) {
    onTaskFinished(static_cast<int>(outcome), message);
  });
  connect(runner_, &TaskRunner::warned, this,
          [this](const QString& text) { statusBar()->showMessage(tr("Warning: %1").arg(text), 10000); });
  connect(layers_, &LayerModel::rowsRemoved, this, [this] {
    if (layers_->count() == 0) {
      // The next file opened defines the map again.
      mapCrsDefined_ = false;
      defineMapCrs({});
    }
  });
  statusBar()->showMessage(tr("Ready. Drop rasters or vector files on the window, or use File ▸ Open."));
}

MainWindow::~MainWindow() = default;

// ------------------------------------------------------------ layout

void MainWindow::createDocks() {
  layerPanel_ = new LayerPanel(layers_, this);
  auto* layerDock = new QDockWidget(tr("Layers"), this);
  layerDock->setObjectName(QStringLiteral("layersDock"));
  layerDock->setWidget(layerPanel_);
  addDockWidget(Qt::LeftDockWidgetArea, layerDock);

  stylePanel_ = new StylePanel(layers_, bandModel_, this);
  auto* styleScroll = new QScrollArea(this);
  styleScroll->setWidget(stylePanel_);
  styleScroll->setWidgetResizable(true);
  auto* styleDock = new QDockWidget(tr("Layer style"), this);
  styleDock->setObjectName(QStringLiteral("styleDock"));
  styleDock->setWidget(styleScroll);
  addDockWidget(Qt::LeftDockWidgetArea, styleDock);

  aoiPanel_ = new AoiPanel(
      layers_, [this] { return mapCrsWkt_; }, this);
  auto* aoiDock = new QDockWidget(tr("Area of interest and tiles"), this);
  aoiDock->setObjectName(QStringLiteral("aoiDock"));
  aoiDock->setWidget(aoiPanel_);
  addDockWidget(Qt::RightDockWidgetArea, aoiDock);
  resizeDocks({layerDock, aoiDock}, {360, 300}, Qt::Horizontal);
  resizeDocks({layerDock, styleDock}, {200, 600}, Qt::Vertical);

  connect(layerPanel_, &LayerPanel::currentLayerChanged, stylePanel_, &StylePanel::setLayer);
  connect(layerPanel_, &LayerPanel::zoomToLayerRequested, canvas_, &MapCanvas::zoomToLayer);
  connect(layerPanel_, &LayerPanel::removeLayerRequested, this, &MainWindow::removeLayer);
  connect(stylePanel_, &StylePanel::errorOccurred, this,
          [this](const QString& title, const QString& message) { reportError(title, message, false); });
  connect(aoiPanel_, &AoiPanel::aoiChanged, this,
          [this](const QString& wkt) { canvas_->setAoi(wkt.toStdString()); });
  connect(aoiPanel_, &AoiPanel::previewChanged, canvas_, &MapCanvas::setTilePreview);
  connect(aoiPanel_, &AoiPanel::drawRectangleRequested, this,
          [this](bool on) { canvas_->setTool(on ? MapCanvas::Tool::DrawRectangle : MapCanvas::Tool::Pan); });
  connect(aoiPanel_, &AoiPanel::drawPolygonRequested, this,
          [this](bool on) { canvas_->setTool(on ? MapCanvas::Tool::DrawPolygon : MapCanvas::Tool::Pan); });
  connect(aoiPanel_, &AoiPanel::loadAoiRequested, this, &MainWindow::chooseAoiFile);
  connect(aoiPanel_, &AoiPanel::exportRequested, this, &MainWindow::chooseTileGridExport);
  viewMenu_ = nullptr;
}

void MainWindow::createStatusBar() {
  runPanel_ = new RunPanel(runner_, this);
  rendering_ = new QLabel(this);
  coords_ = new QLabel(this);
  lonLat_ = new QLabel(this);
  scale_ = new QLabel(this);
  crs_ = new QLabel(this);
  coords_->setToolTip(tr("Cursor position in the map's coordinate reference system"));
  lonLat_->setToolTip(tr("Cursor position as WGS 84 latitude and longitude"));
  scale_->setToolTip(tr("Map scale at the centre of the view (96 dpi screen)"));
  crs_->setToolTip(tr("The map's coordinate reference system (View ▸ Map CRS…)"));
  const int digits = fontMetrics().horizontalAdvance(QStringLiteral("0"));
  coords_->setMinimumWidth(digits * 26);
  lonLat_->setMinimumWidth(digits * 26);
  statusBar()->addPermanentWidget(runPanel_);
  statusBar()->addPermanentWidget(rendering_);
  statusBar()->addPermanentWidget(coords_);
  statusBar()->addPermanentWidget(lonLat_);
  statusBar()->addPermanentWidget(scale_);
  statusBar()->addPermanentWidget(crs_);
  defineMapCrs({});
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::chooseFiles);
  open->setShortcut(QKeySequence::Open);
  open->setToolTip(tr("Open rasters and vector files"));
  recentMenu_ = file->addMenu(tr("Open &recent"));
  connect(recent_, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);
  rebuildRecentMenu();
  file->addSeparator();
  QAction* exportTiles = file->addAction(tr("&Export tile grid…"), this, &MainWindow::chooseTileGridExport);
  exportTiles->setShortcut(QKeySequence(tr("Ctrl+E")));
  QAction* saveImage = file->addAction(tr("Save map &image…"), this, &MainWindow::saveMapImage);
  saveImage->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* zoomIn = view->addAction(tr("Zoom &in"), canvas_, &MapCanvas::zoomIn);
  zoomIn->setShortcut(QKeySequence::ZoomIn);
  QAction* zoomOut = view->addAction(tr("Zoom &out"), canvas_, &MapCanvas::zoomOut);
  zoomOut->setShortcut(QKeySequence::ZoomOut);
  QAction* zoomAll = view->addAction(tr("Zoom to &all layers"), canvas_, &MapCanvas::zoomToAll);
  zoomAll->setShortcut(QKeySequence(tr("Ctrl+0")));
  QAction* zoomLayer = view->addAction(tr("Zoom to &layer"), this, [this] {
    if (layerPanel_->currentLayerId()) canvas_->zoomToLayer(layerPanel_->currentLayerId());
  });
  zoomLayer->setShortcut(QKeySequence(tr("Ctrl+L")));
  view->addSeparator();
  view->addAction(tr("Map &CRS…"), this, &MainWindow::chooseMapCrs);
  view->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
  viewMenu_ = view;

  QMenu* layer = menuBar()->addMenu(tr("&Layer"));
  layer->addAction(tr("&Zoom to layer"), this, [this] {
    if (layerPanel_->currentLayerId()) canvas_->zoomToLayer(layerPanel_->currentLayerId());
  });
  layer->addAction(tr("&Remove layer"), this, [this] {
    if (layerPanel_->currentLayerId()) removeLayer(layerPanel_->currentLayerId());
  });
  layer->addSeparator();
  QAction* overviews = layer->addAction(tr("Build &overviews"), this, [this] {
    if (layerPanel_->currentLayerId()) buildOverviews(layerPanel_->currentLayerId());
  });
  overviews->setToolTip(
      tr("Write reduced-resolution copies beside the raster (<file>.ovr) so zoomed-out "
         "views read a fraction of the pixels"));

  QMenu* aoi = menuBar()->addMenu(tr("&AOI"));
  auto* tools = new QActionGroup(this);
  panAction_ = aoi->addAction(tr("&Pan"), this, [this] { canvas_->setTool(MapCanvas::Tool::Pan); });
  panAction_->setShortcut(QKeySequence(tr("H")));
  drawRectAction_ = aoi->addAction(tr("Draw &rectangle"), this,
                                   [this] { canvas_->setTool(MapCanvas::Tool::DrawRectangle); });
  drawRectAction_->setShortcut(QKeySequence(tr("R")));
  drawPolygonAction_ =
      aoi->addAction(tr("Draw &polygon"), this, [this] { canvas_->setTool(MapCanvas::Tool::DrawPolygon); });
  drawPolygonAction_->setShortcut(QKeySequence(tr("P")));
  for (QAction* a : {panAction_, drawRectAction_, drawPolygonAction_}) {
    a->setCheckable(true);
    tools->addAction(a);
  }
  panAction_->setChecked(true);
  aoi->addSeparator();
  aoi->addAction(tr("&Load from file…"), this, &MainWindow::chooseAoiFile);
  aoi->addAction(tr("&Clear"), aoiPanel_, &AoiPanel::clearAoi);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Emitrace"), this, &MainWindow::showAbout);
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList entries = recent_->entries();
  for (const QString& entry : entries) {
    const QStringList files = RecentFiles::split(entry);
    QString label = QFileInfo(files.value(0)).fileName();
    if (files.size() > 1) label = tr("%1 + %n more", "", static_cast<int>(files.size() - 1)).arg(label);
    QAction* a = recentMenu_->addAction(label, this, [this, files] { openPaths(files); });
    a->setToolTip(files.join(QStringLiteral("\n")));
  }
  if (!entries.isEmpty()) {
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear list"), recent_, &RecentFiles::clear);
  }
  recentMenu_->setEnabled(!entries.isEmpty());
}

// ------------------------------------------------------------ opening

void MainWindow::reportError(const QString& title, const QString& message, bool quiet) {
  lastError_ = message;
  statusBar()->showMessage(title, 10000);
  if (!quiet && !quiet_) QMessageBox::warning(this, title, message);
}

void MainWindow::defineMapCrs(const std::string& wkt) {
  mapCrsWkt_ = wkt;
  toLonLat_.reset();
  mapUnits_ = {};
  if (!wkt.empty()) {
    try {
      mapUnits_ = render::mapUnitsOf(wkt);
    } catch (const Error&) {
      mapUnits_ = {};  // no scale for this CRS
    }
    try {
      toLonLat_ = std::make_unique<render::CrsTransform>(wkt, render::wgs84Wkt());
    } catch (const Error&) {
      toLonLat_.reset();  // no lon/lat display for this CRS
    }
  }
  crs_->setText(mapCrsDefined_ ? QString::fromStdString(raster::crsDisplayName(wkt)) : QString());
  updateScale();
}

bool MainWindow::openRaster(const QString& path, bool quiet) { return openRasterGroup({path}, quiet); }

bool MainWindow::openRasterGroup(const QStringList& files, bool quiet) {
  if (files.isEmpty()) return false;
  try {
    render::DisplaySource source =
        render::prepareDisplaySource(toStd(files), mapCrsDefined_ ? mapCrsWkt_ : "");
    if (mapCrsDefined_ && mapCrsWkt_.empty() && !source.nativeGrid.crsWkt.empty()) {
      throw InputError("the map shows an ungeoreferenced raster in pixel coordinates, so '" +
                       files.front().toStdString() +
                       "' cannot be placed on it; remove the ungeoreferenced layer first");
    }
    const render::BandCombination combination = render::autoPreset(source.info);
    const std::string crs = source.displayGrid.crsWkt;
    auto layer = std::make_shared<RasterLayer>(layers_->nextLayerId(), std::move(source), combination);
    if (!mapCrsDefined_) {
      mapCrsDefined_ = true;
      defineMapCrs(crs);
    }
    layers_->addLayer(layer);
    if (layers_->count() == 1) canvas_->zoomToLayer(layer->id());
    if (recordRecent_) recent_->add(files);
    const raster::GridSpec& grid = layer->source().nativeGrid;
    if (!layer->hasOverviews() && std::max(grid.width, grid.height) > 4096) {
      statusBar()->showMessage(tr("%1 has no overviews, so zoomed-out views read the whole scene; "
                                  "Layer ▸ Build overviews makes them fast.")
                                   .arg(layer->name()),
                               15000);
    } else {
      statusBar()->showMessage(tr("Opened %1 as %2").arg(layer->name(), presetDisplayName(combination)),
                               8000);
    }
    lastError_.clear();
    return true;
  } catch (const Error& e) {
    reportError(tr("Cannot open raster"), QString::fromStdString(e.what()), quiet);
    return false;
  }
}

bool MainWindow::openVector(const QString& path, bool quiet) {
  try {
    const std::string p = path.toStdString();
    int added = 0;
    for (const std::string& name : render::vectorLayerNames(p)) {
      render::VectorOverlay overlay = render::loadVectorOverlay(p, name, mapCrsDefined_ ? mapCrsWkt_ : "");
      if (mapCrsDefined_ && mapCrsWkt_.empty() && !overlay.sourceCrsWkt.empty()) {
        throw InputError("the map shows an ungeoreferenced raster in pixel coordinates, so '" + p +
                         "' cannot be placed on it; remove the ungeoreferenced layer first");
      }
      if (!mapCrsDefined_) {
        mapCrsDefined_ = true;
        defineMapCrs(overlay.sourceCrsWkt);
      }
      const int id = layers_->nextLayerId();
      auto layer = std::make_shared<VectorLayer>(id, std::move(overlay), render::defaultVectorStyle(id));
      if (layer->overlay().features.empty()) {
        statusBar()->showMessage(
            tr("Layer %1 of %2 has no drawable features").arg(QString::fromStdString(name), path), 8000);
      }
      layers_->addLayer(layer);
      if (layers_->count() == 1) canvas_->zoomToLayer(id);
      ++added;
    }
    if (recordRecent_) recent_->add({path});
    statusBar()->showMessage(tr("Opened %n vector layer(s) from %1", "", added).arg(path), 8000);
    lastError_.clear();
    return added > 0;
  } catch (const Error& e) {
    reportError(tr("Cannot open vector file"), QString::fromStdString(e.what()), quiet);
    return false;
  }
}

int MainWindow::openPaths(const QStringList& paths, bool quiet) {
  QStringList rasters;
  int added = 0;
  for (const QString& path : paths) {
    const render::DatasetKinds kinds = render::probeDataset(path.toStdString());
    if (kinds.vector && !kinds.raster) {
      const int before = layers_->count();
      openVector(path, quiet);
      added += layers_->count() - before;
    } else {
      rasters << path;  // unreadable files too: opening them reports why
    }
  }
  for (const auto& group : render::groupBandFiles(toStd(rasters))) {
    QStringList files;
    for (const auto& f : group) files << QString::fromStdString(f);
    if (openRasterGroup(files, quiet)) ++added;
  }
  return added;
}

void MainWindow::chooseFiles() {
  const QStringList paths =
      QFileDialog::getOpenFileNames(this, tr("Open rasters and vector files"), QString(),
                                    tr("Rasters and vectors (*.tif *.tiff *.jp2 *.hdr *.img *.nc *.h5 *.vrt "
                                       "*.gpkg *.geojson *.json *.shp *.kml "
                                       "*.csv);;Rasters (*.tif *.tiff *.jp2 *.hdr *.img *.nc *.h5 "
                                       "*.vrt);;Vectors (*.gpkg *.geojson *.json *.shp "
                                       "*.kml *.csv);;All files (*)"));
  if (!paths.isEmpty()) openPaths(paths);
}

void MainWindow::removeLayer(int layerId) { layers_->removeLayer(layerId); }

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) {
    for (const QUrl& url : event->mimeData()->urls()) {
      if (url.isLocalFile()) {
        event->acceptProposedAction();
        return;
      }
    }
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) paths << url.toLocalFile();
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  openPaths(paths);
}

// ------------------------------------------------------------ overviews

bool MainWindow::buildOverviews(int layerId, bool quiet) {
  auto layer = std::dynamic_pointer_cast<RasterLayer>(layers_->layerById(layerId));
  if (!layer) {
    reportError(tr("Cannot build overviews"), tr("Select a raster layer first."), quiet);
    return false;
  }
  std::vector<render::BuildOverviewsOptions> jobs;
  try {
    for (const std::string& file : layer->source().files) {
      if (render::hasOverviews(file)) continue;
      render::BuildOverviewsOptions o;
      o.input = file;
      o.validate();
      jobs.push_back(o);
    }
  } catch (const Error& e) {
    reportError(tr("Cannot build overviews"), QString::fromStdString(e.what()), quiet);
    return false;
  }
  if (jobs.empty()) {
    statusBar()->showMessage(tr("%1 already has overviews.").arg(layer->name()), 8000);
    return false;
  }
  const bool started = runner_->start(
      tr("Building overviews"),
      [jobs](Progress& progress) {
        for (size_t i = 0; i < jobs.size(); ++i) {
          SubProgress step = progress.sub(double(i) / jobs.size(), double(i + 1) / jobs.size());
          render::buildOverviews(jobs[i], step);
        }
      },
      [this, layerId] {
        reopenRasterLayer(layerId, mapCrsWkt_);
        statusBar()->showMessage(tr("Overviews built; zoomed-out views now read them."), 10000);
      });
  if (!started)
    reportError(tr("Busy"), tr("Another task is running; wait for it or cancel it first."), quiet);
  return started;
}

void MainWindow::reopenRasterLayer(int layerId, const std::string& mapCrsWkt) {
  auto old = std::dynamic_pointer_cast<RasterLayer>(layers_->layerById(layerId));
  if (!old) return;  // removed while the task ran
  render::DisplaySource source = render::prepareDisplaySource(old->source().files, mapCrsWkt);
  auto next = std::make_shared<RasterLayer>(layerId, std::move(source), old->combination());
  next->setName(old->name());
  next->setVisible(old->visible());
  next->setOpacity(old->opacity());
  layers_->replaceLayer(next);
  if (layerPanel_->currentLayerId() == layerId) stylePanel_->setLayer(layerId);
}

// ------------------------------------------------------------ map CRS

bool MainWindow::setMapCrs(const QString& definition, bool quiet) {
  try {
    const std::string wkt = render::crsWktFrom(definition.toStdString());
    std::vector<std::shared_ptr<MapLayer>> replaced;
    for (const auto& layer : layers_->drawOrder()) {
      std::shared_ptr<MapLayer> next;
      if (auto r = std::dynamic_pointer_cast<RasterLayer>(layer)) {
        render::DisplaySource source = render::prepareDisplaySource(r->source().files, wkt);
        next = std::make_shared<RasterLayer>(r->id(), std::move(source), r->combination());
      } else if (auto v = std::dynamic_pointer_cast<VectorLayer>(layer)) {
        next = std::make_shared<VectorLayer>(
            v->id(), render::loadVectorOverlay(v->overlay().path, v->overlay().layerName, wkt), v->style());
      }
      next->setName(layer->name());
      next->setVisible(layer->visible());
      next->setOpacity(layer->opacity());
      replaced.push_back(next);
    }
    // All layers could be prepared: switch.
    std::string aoi = aoiPanel_->aoi();
    if (!aoi.empty() && mapCrsDefined_) aoi = render::transformGeometryWkt(aoi, mapCrsWkt_, wkt);
    const raster::Bounds oldView = canvas_->viewport().extent();
    const std::string oldCrs = mapCrsWkt_;
    mapCrsDefined_ = true;
    defineMapCrs(wkt);
    for (const auto& layer : replaced) layers_->replaceLayer(layer);
    if (!oldCrs.empty()) {
      canvas_->zoomToBounds(render::CrsTransform(oldCrs, wkt).apply(oldView));
    } else {
      canvas_->zoomToAll();
    }
    aoiPanel_->setAoi(aoi, tr("Area of interest"));
    stylePanel_->setLayer(layerPanel_->currentLayerId());
    return true;
  } catch (const Error& e) {
    reportError(tr("Cannot change the map CRS"), QString::fromStdString(e.what()), quiet);
    return false;
  }
}

void MainWindow::chooseMapCrs() {
  bool ok = false;
  const QString def =
      QInputDialog::getText(this, tr("Map CRS"),
                            tr("Coordinate reference system of the map (EPSG:4326, EPSG:32633, "
                               "a WKT or PROJ string):"),
                            QLineEdit::Normal, QStringLiteral("EPSG:4326"), &ok);
  if (ok && !def.trimmed().isEmpty()) setMapCrs(def.trimmed());
}

// ------------------------------------------------------------ AOI and tiles

bool MainWindow::setAoiFromSpec(const QString& spec, bool quiet) {
  try {
    const std::string s = spec.trimmed().toStdString();
    const QString filePart = spec.section(QStringLiteral("|layername="), 0, 0);
    if (QFileInfo::exists(filePart)) {
      aoiPanel_->setAoi(render::aoiWktFromVectorFile(s, mapCrsWkt_),
                        tr("From %1").arg(QFileInfo(filePart).fileName()));
      return true;
    }
    if (s.empty() || s == "whole") {
      aoiPanel_->clearAoi();
      return true;
    }
    auto layer = std::dynamic_pointer_cast<RasterLayer>(layers_->layerById(aoiPanel_->referenceLayerId()));
    if (!layer) throw InputError("open a raster before giving an area of interest as coordinates");
    const raster::GridSpec& grid = layer->source().nativeGrid;
    const raster::Aoi aoi = raster::Aoi::parse(s, grid);
    std::string wkt = aoi.wkt();
    if (!mapCrsWkt_.empty() && !grid.crsWkt.empty())
      wkt = render::transformGeometryWkt(wkt, grid.crsWkt, mapCrsWkt_);
    aoiPanel_->setAoi(wkt, tr("Given as %1").arg(spec.left(60)));
    return true;
  } catch (const Error& e) {
    reportError(tr("Cannot use this area of interest"), QString::fromStdString(e.what()), quiet);
    return false;
  }
}

void MainWindow::chooseAoiFile() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Area of interest from a vector file"), QString(),
                                   tr("Vectors (*.gpkg *.geojson *.json *.shp *.kml);;All files (*)"));
  if (!path.isEmpty()) setAoiFromSpec(path);
}

bool MainWindow::exportTileGrid(const QString& output, bool quiet) {
  auto preview = aoiPanel_->preview();
  auto layer = std::dynamic_pointer_cast<RasterLayer>(layers_->layerById(aoiPanel_->referenceLayerId()));
  if (!preview || !layer) {
    reportError(tr("No tile grid to export"),
                aoiPanel_->previewError().isEmpty() ? tr("Open a raster and choose the tile grid first.")
                                                    : aoiPanel_->previewError(),
                quiet);
    return false;
  }
  raster::ExportTileGridOptions options;
  options.input = layer->source().gridPath;
  options.aoi = preview->aoiSpec;
  options.output = output.toStdString();
  try {
    options.tiling = aoiPanel_->tilingOptions();
    options.validate();  // before anything starts, so the dialog can say what is wrong
  } catch (const Error& e) {
    reportError(tr("Cannot export the tile grid"), QString::fromStdString(e.what()), quiet);
    return false;
  }
  auto result = std::make_shared<raster::ExportTileGridResult>();
  const bool started = runner_->start(
      tr("Exporting tile grid"),
      [options, result](Progress& progress) { *result = raster::exportTileGrid(options, progress); },
      [this, result] {
        statusBar()->showMessage(tr("Wrote %n tile(s) to %1", "", static_cast<int>(result->tileCount))
                                     .arg(QString::fromStdString(result->output)),
                                 15000);
      });
  if (!started)
    reportError(tr("Busy"), tr("Another task is running; wait for it or cancel it first."), quiet);
  return started;
}

void MainWindow::chooseTileGridExport() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export tile grid"), QStringLiteral("tiles.gpkg"),
      tr("GeoPackage (*.gpkg);;GeoJSON (*.geojson);;CSV (*.csv);;KML (*.kml);;Shapefile (*.shp)"));
  if (!path.isEmpty()) exportTileGrid(path);
}

void MainWindow::onTaskFinished(int outcome, const QString& message) {
  const QString title = runner_->title();
  switch (static_cast<TaskRunner::Outcome>(outcome)) {
    case TaskRunner::Outcome::Succeeded:
      break;
    case TaskRunner::Outcome::Canceled:
      statusBar()->showMessage(tr("%1: cancelled; nothing was written.").arg(title), 10000);
      break;
    case TaskRunner::Outcome::Failed:
      reportError(tr("%1 failed").arg(title), message, false);
      break;
  }
}

// ------------------------------------------------------------ status bar

void MainWindow::onCursorMoved(double x, double y) {
  if (!mapCrsDefined_ || layers_->count() == 0) return;
  const bool geographic = mapUnits_.geographic;
  if (mapCrsWkt_.empty()) {
    coords_->setText(tr("col %1, row %2").arg(formatNumber(x, 1), formatNumber(-y, 1)));
  } else if (geographic) {
    coords_->setText(tr("x %1, y %2").arg(formatNumber(x, 6), formatNumber(y, 6)));
  } else {
    coords_->setText(tr("E %1, N %2").arg(formatNumber(x, 1), formatNumber(y, 1)));
  }
  double lon = x, lat = y;
  if (toLonLat_ && toLonLat_->apply(lon, lat)) {
    lonLat_->setText(formatLonLat(lon, lat));
  } else {
    lonLat_->clear();
  }
}

void MainWindow::updateScale() {
  if (!scale_) return;
  const render::Viewport& v = canvas_->viewport();
  double lon = v.centreX(), lat = v.centreY();
  if (toLonLat_) toLonLat_->apply(lon, lat);
  const double denominator = render::scaleDenominator(v.unitsPerPixel(), mapUnits_, lat, logicalDpiX());
  scale_->setText(denominator > 0 ? tr("1:%1").arg(QLocale().toString(std::round(denominator), 'f', 0))
                                  : QString());
}

QString MainWindow::coordinateText() const { return coords_->text(); }
QString MainWindow::lonLatText() const { return lonLat_->text(); }
QString MainWindow::scaleText() const { return scale_->text(); }

// ------------------------------------------------------------ misc

bool MainWindow::waitForMap(int timeoutMs) { return canvas_->waitForRendering(timeoutMs); }

void MainWindow::saveMapImage() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save map image"), QStringLiteral("map.png"),
                                                    tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  canvas_->waitForRendering(30000);
  if (!canvas_->renderToImage().save(path)) {
    reportError(tr("Cannot save the map image"), tr("Could not write %1.").arg(path), false);
  } else {
    statusBar()->showMessage(tr("Saved %1").arg(path), 8000);
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (runner_->isRunning()) {
    if (!quiet_ && QMessageBox::question(
                       this, tr("Quit while a task runs?"),
                       tr("%1 is still running. Cancel it and quit? Nothing it has written so far is kept.")
                           .arg(runner_->title())) != QMessageBox::Yes) {
      event->ignore();
      return;
    }
    runner_->cancel();
    runner_->waitForFinished(60000);
  }
  event->accept();
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Emitrace"),
                     tr("<b>Emitrace %1</b><br>Finding greenhouse-gas emitting infrastructure in "
                        "satellite imagery.")
                         .arg(QString::fromLatin1(kVersion)));
}

}  // namespace emitrace::analyst
