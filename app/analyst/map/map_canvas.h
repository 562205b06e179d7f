#pragma once
// The map view: raster layers as tiles rendered on worker threads, vector
// overlays, the area of interest and the tile-grid preview, with mouse and
// keyboard navigation and AOI drawing tools.
//
// Why a plain QWidget and not QGraphicsView: the picture is a stack of
// screen-aligned tiles that are re-rendered per zoom level plus a few
// overlays, not a scene of long-lived items. QGraphicsView would keep
// map coordinates (UTM northings of ~10^6-10^7 m, or degrees) in its
// scene transform and BSP index, adding float precision issues and an extra
// invalidation layer, while we would still need our own tile scheduling.
// With our own widget, all view arithmetic lives in the tested core
// (render::Viewport, render::tilesCovering) and paintEvent only blits
// finished images.
#include <QCache>
#include <QHash>
#include <QImage>
#include <QSet>
#include <QTimer>
#include <QWidget>
#include <memory>
#include <string>
#include <vector>

#include "app/analyst/map/layer_model.h"
#include "core/render/tile_grid_preview.h"
#include "core/render/tile_scheme.h"
#include "core/render/viewport.h"

namespace emitrace::analyst {

class TileLoader;

struct TileCacheKey {
  int layerId = 0;
  quint64 generation = 0;
  int level = 0;
  qint64 tx = 0;
  qint64 ty = 0;
  bool operator==(const TileCacheKey& o) const {
    return layerId == o.layerId && generation == o.generation && level == o.level && tx == o.tx && ty == o.ty;
  }
};
size_t qHash(const TileCacheKey& k, size_t seed = 0);

class MapCanvas : public QWidget {
  Q_OBJECT
 public:
  enum class Tool { Pan, DrawRectangle, DrawPolygon };

  // renderThreads: worker threads rendering tiles (0 = as many as cores, at most 4).
  explicit MapCanvas(LayerModel* layers, QWidget* parent = nullptr, int renderThreads = 0);
  ~MapCanvas() override;

  const render::Viewport& viewport() const { return view_; }
  // Centre and level of `view`; the size stays the widget's.
  void setView(double centreX, double centreY, int level);
  void zoomIn();
  void zoomOut();
  // Zooms by `steps` levels (4 = 2x) keeping the map point under `anchor`.
  void zoomBy(int steps, QPointF anchor);
  void panBy(double dxPx, double dyPx);
  void zoomToBounds(const raster::Bounds& bounds);
  void zoomToLayer(int layerId);
  void zoomToAll();

  void setTool(Tool tool);
  Tool tool() const { return tool_; }
  // The AOI polygon (WKT in the map CRS); "" clears it.
  void setAoi(const std::string& wkt);
  const std::string& aoi() const { return aoiWkt_; }
  void setTilePreview(std::shared_ptr<const render::TileGridPreview> preview);
  // Vertices of a polygon being drawn (map CRS).
  const std::vector<render::MapPoint>& sketch() const { return sketch_; }

  // True once every tile of the current view is rendered (or failed).
  bool isRenderingIdle() const;
  // Processes events until rendering is idle or timeoutMs passed.
  bool waitForRendering(int timeoutMs = 30000);
  int missingTileCount() const { return missing_.size(); }
  int cachedTileCount() const { return cache_.size(); }
  // Renders the visible map into an image (what "Save map image" writes).
  QImage renderToImage();
  // UI-thread cost of painting, for benchmarks: paints since the last reset
  // and the longest one.
  void resetPaintStats();
  int paintCount() const { return paintCount_; }
  double maxPaintMs() const { return maxPaintMs_; }
  // The same in CPU time of the UI thread (wall time also counts waiting for
  // a core on a busy machine); 0 where the platform cannot tell.
  double maxPaintCpuMs() const { return maxPaintCpuMs_; }

 Q_SIGNALS:
  void viewChanged();
  void cursorMoved(double x, double y);
  void cursorLeft();
  void aoiDrawn(const QString& wkt);
  void aoiDrawingFailed(const QString& message);
  void toolChanged(emitrace::analyst::MapCanvas::Tool tool);
  void renderingIdle();
  void renderProgress(int missingTiles);
  void renderError(const QString& message);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  void viewMoved();
  void scheduleRequests();
  void requestMissingTiles();
  void onTileReady(int layerId, quint64 generation, int level, qint64 tx, qint64 ty, const QImage& image);
  void onTileFailed(int layerId, quint64 generation, int level, qint64 tx, qint64 ty, const QString& message);
  void tileSettled(const TileCacheKey& key);
  void contentChanged();
  void finishPolygon();
  void cancelSketch();
  void updateCursorShape();

  void drawRasterLayer(QPainter& painter, const RasterLayer& layer);
  bool drawFallback(QPainter& painter, const RasterRenderState& state, const render::TileKey& key);
  void drawVectorLayer(QPainter& painter, const VectorLayer& layer);
  void drawAoi(QPainter& painter);
  void drawTilePreview(QPainter& painter);
  void drawSketch(QPainter& painter);
  QPointF toScreen(double x, double y) const;
  QPointF toScreen(const render::MapPoint& p) const { return toScreen(p.x, p.y); }
  QRectF screenRect(const raster::Bounds& b) const;

  LayerModel* layers_;
  std::unique_ptr<TileLoader> loader_;
  render::Viewport view_;
  bool viewInitialised_ = false;
  QCache<TileCacheKey, QImage> cache_;
  QSet<TileCacheKey> failed_;
  QSet<TileCacheKey> missing_;
  QTimer requestTimer_;
  bool requestScheduled_ = false;

  Tool tool_ = Tool::Pan;
  bool dragging_ = false;
  QPointF lastMouse_;
  QPointF pressPos_;
  double wheelRemainder_ = 0;
  render::MapPoint rectStart_, rectEnd_;
  bool drawingRect_ = false;
  std::vector<render::MapPoint> sketch_;
  render::MapPoint sketchCursor_;
  bool hasSketchCursor_ = false;

  std::string aoiWkt_;
  std::vector<std::vector<render::MapPoint>> aoiRings_;
  std::shared_ptr<const render::TileGridPreview> preview_;
  int paintCount_ = 0;
  double maxPaintMs_ = 0;
  double maxPaintCpuMs_ = 0;
};

}  // namespace emitrace::analyst
