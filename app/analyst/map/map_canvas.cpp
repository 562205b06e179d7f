#include "app/analyst/map/map_canvas.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QThread>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <ctime>

#include "app/analyst/map/tile_loader.h"
#include "core/error.h"
#include "core/render/aoi_geometry.h"

namespace emitrace::analyst {

size_t qHash(const TileCacheKey& k, size_t seed) {
  return ::qHash(k.layerId, seed) ^ ::qHash(k.generation, seed) ^ ::qHash(k.level, seed) ^
         ::qHash(k.tx, seed) * 31u ^ ::qHash(k.ty, seed) * 1000003u;
}

namespace {

constexpr int kCacheBudgetKiB = 256 * 1024;  // ~1000 tiles of 256 x 256 x 4 bytes
constexpr int kTileCostKiB = render::kTileSizePx * render::kTileSizePx * 4 / 1024;
constexpr int kFallbackCoarser = 12;  // levels up (3 octaves) searched for a stand-in tile
constexpr int kFallbackFiner = 4;

// CPU time of the calling thread in ms (0 where unsupported).
double threadCpuMs() {
#if defined(CLOCK_THREAD_CPUTIME_ID)
  timespec t{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0) return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
#endif
  return 0;
}

QColor qcolor(const render::Rgba& c) { return QColor(c.r, c.g, c.b, c.a); }

bool overlaps(const raster::Bounds& a, const raster::Bounds& b) {
  return a.minX <= b.maxX && a.maxX >= b.minX && a.minY <= b.maxY && a.maxY >= b.minY;
}

TileCacheKey cacheKey(const RasterRenderState& s, const render::TileKey& k) {
  return {s.layerId, s.generation, k.level, k.tx, k.ty};
}

}  // namespace

MapCanvas::MapCanvas(LayerModel* layers, QWidget* parent, int renderThreads)
    : QWidget(parent), layers_(layers), cache_(kCacheBudgetKiB) {
  const int threads = renderThreads > 0 ? renderThreads : std::clamp(QThread::idealThreadCount(), 1, 4);
  loader_ = std::make_unique<TileLoader>(threads);
  connect(loader_.get(), &TileLoader::tileReady, this, &MapCanvas::onTileReady, Qt::QueuedConnection);
  connect(loader_.get(), &TileLoader::tileFailed, this, &MapCanvas::onTileFailed, Qt::QueuedConnection);
  connect(layers_, &LayerModel::mapContentChanged, this, &MapCanvas::contentChanged);
  requestTimer_.setSingleShot(true);
  requestTimer_.setInterval(0);
  connect(&requestTimer_, &QTimer::timeout, this, &MapCanvas::requestMissingTiles);
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setMinimumSize(200, 150);
  view_.setSize(width(), height());
  updateCursorShape();
}

MapCanvas::~MapCanvas() {
  // Stop the workers before anything they report to goes away.
  loader_.reset();
}

// ------------------------------------------------------------ navigation

void MapCanvas::setView(double centreX, double centreY, int level) {
  view_.setCentre(centreX, centreY);
  view_.setLevel(level);
  viewInitialised_ = true;
  viewMoved();
}

void MapCanvas::zoomIn() { zoomBy(4, QPointF(width() / 2.0, height() / 2.0)); }
void MapCanvas::zoomOut() { zoomBy(-4, QPointF(width() / 2.0, height() / 2.0)); }

void MapCanvas::zoomBy(int steps, QPointF anchor) {
  if (steps == 0) return;
  view_.zoomAbout(anchor.x(), anchor.y(), steps);
  viewMoved();
}

void MapCanvas::panBy(double dxPx, double dyPx) {
  view_.panPixels(dxPx, dyPx);
  viewMoved();
}

void MapCanvas::zoomToBounds(const raster::Bounds& bounds) {
  if (!(bounds.width() >= 0 && bounds.height() >= 0) || !std::isfinite(bounds.minX)) return;
  raster::Bounds b = bounds;
  if (b.width() == 0 && b.height() == 0) {  // a single point: show some surroundings
    const double pad = view_.unitsPerPixel() * 50;
    b = {b.minX - pad, b.minY - pad, b.maxX + pad, b.maxY + pad};
  }
  view_.fitBounds(b, 0.03);
  viewInitialised_ = true;
  viewMoved();
}

void MapCanvas::zoomToLayer(int layerId) {
  if (auto l = layers_->layerById(layerId)) zoomToBounds(l->bounds());
}

void MapCanvas::zoomToAll() {
  raster::Bounds all{INFINITY, INFINITY, -INFINITY, -INFINITY};
  bool any = false;
  for (const auto& l : layers_->drawOrder()) {
    const raster::Bounds b = l->bounds();
    if (!(b.width() >= 0) || !std::isfinite(b.minX)) continue;
    all = {std::min(all.minX, b.minX), std::min(all.minY, b.minY), std::max(all.maxX, b.maxX),
           std::max(all.maxY, b.maxY)};
    any = true;
  }
  if (any) zoomToBounds(all);
}

void MapCanvas::viewMoved() {
  update();
  scheduleRequests();
  Q_EMIT viewChanged();
}

// ------------------------------------------------------------ tiles

void MapCanvas::contentChanged() {
  if (!viewInitialised_ && layers_->count() > 0) zoomToAll();
  std::set<std::string> live;
  for (const auto& r : layers_->rasterLayers()) live.insert(rendererKey(r->source()));
  loader_->retainSources(std::move(live));
  update();
  scheduleRequests();
}

void MapCanvas::scheduleRequests() {
  requestScheduled_ = true;
  requestTimer_.start();
}

void MapCanvas::requestMissingTiles() {
  requestScheduled_ = false;
  const std::vector<render::TileKey> keys = render::tilesCovering(view_);
  std::vector<TileRequest> requests;
  missing_.clear();
  // Centre tiles of every layer first, then outwards (keys are sorted by
  // distance from the centre).
  const auto rasters = layers_->rasterLayers();
  for (const render::TileKey& k : keys) {
    for (const auto& layer : rasters) {
      if (!layer->visible() || layer->opacity() <= 0) continue;
      const auto state = layer->renderState();
      const TileCacheKey ck = cacheKey(*state, k);
      if (cache_.contains(ck) || failed_.contains(ck)) continue;
      // Tiles that do not meet the layer are empty: skip the round trip.
      if (!overlaps(render::tileBounds(k), layer->bounds())) continue;
      missing_.insert(ck);
      requests.push_back({state, k});
    }
  }
  // Then, at the back of the queue, a ring of one tile around the view, so
  // that short pans find their tiles already rendered.
  render::Viewport ring = view_;
  ring.setSize(view_.widthPx() + 2 * render::kTileSizePx, view_.heightPx() + 2 * render::kTileSizePx);
  for (const render::TileKey& k : render::tilesCovering(ring)) {
    for (const auto& layer : rasters) {
      if (!layer->visible() || layer->opacity() <= 0) continue;
      const auto state = layer->renderState();
      const TileCacheKey ck = cacheKey(*state, k);
      if (missing_.contains(ck) || cache_.contains(ck) || failed_.contains(ck)) continue;
      if (!overlaps(render::tileBounds(k), layer->bounds())) continue;
      requests.push_back({state, k});
    }
  }
  loader_->request(std::move(requests));
  Q_EMIT renderProgress(missing_.size());
  if (missing_.isEmpty()) Q_EMIT renderingIdle();
}

void MapCanvas::onTileReady(int layerId, quint64 generation, int level, qint64 tx, qint64 ty,
                            const QImage& image) {
  const TileCacheKey key{layerId, generation, level, tx, ty};
  auto layer = std::dynamic_pointer_cast<RasterLayer>(layers_->layerById(layerId));
  if (!layer || layer->renderState()->generation != generation) return;  // stale
  cache_.insert(key, new QImage(image), kTileCostKiB);
  // Prefetched tiles around the view need no repaint.
  const raster::Bounds view = view_.extent();
  if (level == view_.level() && overlaps(render::tileBounds({level, tx, ty}), view)) update();
  tileSettled(key);
}

void MapCanvas::onTileFailed(int layerId, quint64 generation, int level, qint64 tx, qint64 ty,
                             const QString& message) {
  const TileCacheKey key{layerId, generation, level, tx, ty};
  failed_.insert(key);  // not retried until the layer changes
  Q_EMIT renderError(message);
  tileSettled(key);
}

void MapCanvas::tileSettled(const TileCacheKey& key) {
  if (missing_.remove(key)) {
    Q_EMIT renderProgress(missing_.size());
    if (missing_.isEmpty() && !requestScheduled_) Q_EMIT renderingIdle();
  }
}

bool MapCanvas::isRenderingIdle() const { return !requestScheduled_ && missing_.isEmpty(); }

bool MapCanvas::waitForRendering(int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!isRenderingIdle() && timer.elapsed() < timeoutMs) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!isRenderingIdle()) QThread::msleep(2);
  }
  QCoreApplication::processEvents();
  return isRenderingIdle();
}

QImage MapCanvas::renderToImage() {
  QImage image(size(), QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  render(&image);
  return image;
}

// ------------------------------------------------------------ painting

QPointF MapCanvas::toScreen(double x, double y) const {
  const render::MapPoint p = view_.toScreen(x, y);
  return {p.x, p.y};
}

QRectF MapCanvas::screenRect(const raster::Bounds& b) const {
  return QRectF(toScreen(b.minX, b.maxY), toScreen(b.maxX, b.minY));
}

void MapCanvas::resetPaintStats() {
  paintCount_ = 0;
  maxPaintMs_ = 0;
  maxPaintCpuMs_ = 0;
}

void MapCanvas::paintEvent(QPaintEvent*) {
  QElapsedTimer timer;
  timer.start();
  const double cpuStart = threadCpuMs();
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Base).darker(115));
  for (const auto& layer : layers_->drawOrder()) {
    if (!layer->visible() || layer->opacity() <= 0) continue;
    if (auto r = std::dynamic_pointer_cast<RasterLayer>(layer)) drawRasterLayer(painter, *r);
    if (auto v = std::dynamic_pointer_cast<VectorLayer>(layer)) drawVectorLayer(painter, *v);
  }
  drawTilePreview(painter);
  drawAoi(painter);
  drawSketch(painter);
  if (layers_->count() == 0) {
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                     tr("Drop rasters or vector files here, or use File ▸ Open."));
  }
  ++paintCount_;
  maxPaintMs_ = std::max(maxPaintMs_, timer.nsecsElapsed() / 1e6);
  maxPaintCpuMs_ = std::max(maxPaintCpuMs_, threadCpuMs() - cpuStart);
}

void MapCanvas::drawRasterLayer(QPainter& painter, const RasterLayer& layer) {
  const auto state = layer.renderState();
  // A translucent layer is composed at full opacity first so stand-in tiles
  // that overlap do not show through each other, then blended once.
  QImage offscreen;
  QPainter layerPainter;
  QPainter* p = &painter;
  if (layer.opacity() < 1.0) {
    offscreen = QImage(size(), QImage::Format_ARGB32_Premultiplied);
    offscreen.fill(Qt::transparent);
    layerPainter.begin(&offscreen);
    p = &layerPainter;
  }
  for (const render::TileKey& k : render::tilesCovering(view_)) {
    if (!overlaps(render::tileBounds(k), layer.bounds())) continue;
    if (const QImage* img = cache_.object(cacheKey(*state, k))) {
      const render::ScreenPos pos = render::tileScreenPos(k, view_);
      p->drawImage(QPoint(static_cast<int>(pos.x), static_cast<int>(pos.y)), *img);
    } else {
      drawFallback(*p, *state, k);
    }
  }
  if (p != &painter) {
    layerPainter.end();
    painter.save();
    painter.setOpacity(layer.opacity());
    painter.drawImage(0, 0, offscreen);
    painter.restore();
  }
}

bool MapCanvas::drawFallback(QPainter& painter, const RasterRenderState& state, const render::TileKey& key) {
  const raster::Bounds b = render::tileBounds(key);
  const render::ScreenPos pos = render::tileScreenPos(key, view_);
  const QRect target(static_cast<int>(pos.x), static_cast<int>(pos.y), render::kTileSizePx,
                     render::kTileSizePx);
  const auto tryLevel = [&](int level) {
    const double span = render::kTileSizePx * render::levelResolution(level);
    const double eps = span * 1e-9;
    const auto tx0 = static_cast<qint64>(std::floor(b.minX / span));
    const auto tx1 = static_cast<qint64>(std::floor((b.maxX - eps) / span));
    const auto ty0 = static_cast<qint64>(std::floor(-b.maxY / span));
    const auto ty1 = static_cast<qint64>(std::floor((-b.minY - eps) / span));
    if ((tx1 - tx0 + 1) * (ty1 - ty0 + 1) > 16) return false;
    std::vector<std::pair<render::TileKey, const QImage*>> parts;
    for (qint64 ty = ty0; ty <= ty1; ++ty)
      for (qint64 tx = tx0; tx <= tx1; ++tx) {
        const render::TileKey k{level, tx, ty};
        const QImage* img = cache_.object(cacheKey(state, k));
        if (!img) return false;
        parts.push_back({k, img});
      }
    painter.save();
    painter.setClipRect(target);
    for (const auto& [k, img] : parts) painter.drawImage(screenRect(render::tileBounds(k)), *img);
    painter.restore();
    return true;
  };
  for (int d = 1; d <= kFallbackCoarser; ++d)
    if (tryLevel(key.level - d)) return true;
  for (int d = 1; d <= kFallbackFiner; ++d)
    if (tryLevel(key.level + d)) return true;
  return false;
}

void MapCanvas::drawVectorLayer(QPainter& painter, const VectorLayer& layer) {
  const render::VectorStyle& style = layer.style();
  const raster::Bounds view = view_.extent();
  const double pad = view_.unitsPerPixel() * style.pointSizePx;
  const raster::Bounds padded{view.minX - pad, view.minY - pad, view.maxX + pad, view.maxY + pad};
  painter.save();
  painter.setOpacity(layer.opacity());
  painter.setRenderHint(QPainter::Antialiasing);
  QPen pen(qcolor(style.stroke), style.strokeWidthPx);
  pen.setCosmetic(true);
  painter.setPen(pen);
  for (const render::OverlayFeature& f : layer.overlay().features) {
    if (!overlaps(f.bounds, padded)) continue;
    switch (f.kind) {
      case render::OverlayGeometry::Polygon: {
        QPainterPath path;
        path.setFillRule(Qt::OddEvenFill);
        for (const auto& ring : f.parts) {
          QPolygonF poly;
          poly.reserve(static_cast<int>(ring.size()));
          for (const auto& p : ring) poly << toScreen(p);
          path.addPolygon(poly);
          path.closeSubpath();
        }
        painter.setBrush(qcolor(style.fill));
        painter.drawPath(path);
        break;
      }
      case render::OverlayGeometry::Line:
        painter.setBrush(Qt::NoBrush);
        for (const auto& part : f.parts) {
          QPolygonF line;
          for (const auto& p : part) line << toScreen(p);
          painter.drawPolyline(line);
        }
        break;
      case render::OverlayGeometry::Point:
        painter.setBrush(qcolor(style.fill.a > 0
                                    ? render::Rgba{style.stroke.r, style.stroke.g, style.stroke.b, 160}
                                    : style.fill));
        for (const auto& part : f.parts)
          for (const auto& p : part) {
            const double r = style.pointSizePx / 2;
            painter.drawEllipse(toScreen(p), r, r);
          }
        break;
    }
  }
  painter.restore();
}

void MapCanvas::drawAoi(QPainter& painter) {
  if (aoiRings_.empty()) return;
  QPainterPath path;
  path.setFillRule(Qt::OddEvenFill);
  for (const auto& ring : aoiRings_) {
    QPolygonF poly;
    for (const auto& p : ring) poly << toScreen(p);
    path.addPolygon(poly);
    path.closeSubpath();
  }
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setBrush(QColor(255, 220, 0, 28));
  QPen halo(QColor(0, 0, 0, 160), 4);
  halo.setCosmetic(true);
  painter.setPen(halo);
  painter.drawPath(path);
  QPen pen(QColor(255, 220, 0), 2, Qt::DashLine);
  pen.setCosmetic(true);
  painter.setPen(pen);
  painter.setBrush(Qt::NoBrush);
  painter.drawPath(path);
  painter.restore();
}

void MapCanvas::drawTilePreview(QPainter& painter) {
  if (!preview_) return;
  painter.save();
  const QColor colour(0, 230, 255);
  const double tilePx =
      preview_->tiles.patchWidthPx * std::fabs(preview_->tiles.grid.pixelWidth()) / view_.unitsPerPixel();
  const bool tooSmall = preview_->footprintsOmitted || tilePx < 4;
  if (tooSmall) {
    // Individual tiles would smear into a solid block at this zoom: outline
    // their extent and say how many there are.
    QPen pen(colour, 1, Qt::DashLine);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    if (!preview_->footprintsOmitted) painter.drawRect(screenRect(preview_->bounds));
    const QString text = tr("%1 tiles — zoom in to see them")
                             .arg(QLocale().toString(static_cast<qlonglong>(preview_->count())));
    const QRect box = fontMetrics().boundingRect(text).adjusted(-6, -3, 6, 3);
    const QRect placed(QPoint(8, height() - box.height() - 8), box.size());
    painter.fillRect(placed, QColor(0, 0, 0, 150));
    painter.setPen(colour);
    painter.drawText(placed, Qt::AlignCenter, text);
  } else {
    const raster::Bounds view = view_.extent();
    QPen pen(colour, 1);
    pen.setCosmetic(true);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    QPolygonF quad(4);
    for (const auto& fp : preview_->footprints) {
      const raster::Bounds b{std::min(fp[0].x, fp[3].x), std::min(fp[2].y, fp[3].y),
                             std::max(fp[1].x, fp[2].x), std::max(fp[0].y, fp[1].y)};
      if (!overlaps(b, view)) continue;
      for (int i = 0; i < 4; ++i) quad[i] = toScreen(fp[i]);
      painter.drawPolygon(quad);
    }
  }
  painter.restore();
}

void MapCanvas::drawSketch(QPainter& painter) {
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  QPen pen(QColor(255, 60, 60), 2);
  pen.setCosmetic(true);
  painter.setPen(pen);
  painter.setBrush(QColor(255, 60, 60, 40));
  if (drawingRect_) painter.drawRect(QRectF(toScreen(rectStart_), toScreen(rectEnd_)).normalized());
  if (!sketch_.empty()) {
    QPolygonF poly;
    for (const auto& p : sketch_) poly << toScreen(p);
    if (hasSketchCursor_) poly << toScreen(sketchCursor_);
    painter.drawPolygon(poly);
    painter.setBrush(Qt::white);
    for (const auto& p : sketch_) painter.drawEllipse(toScreen(p), 3.5, 3.5);
  }
  painter.restore();
}

// ------------------------------------------------------------ overlays

void MapCanvas::setAoi(const std::string& wkt) {
  aoiWkt_ = wkt;
  aoiRings_ = wkt.empty() ? std::vector<std::vector<render::MapPoint>>{} : render::polygonRings(wkt);
  update();
}

void MapCanvas::setTilePreview(std::shared_ptr<const render::TileGridPreview> preview) {
  preview_ = std::move(preview);
  update();
}

// ------------------------------------------------------------ input

void MapCanvas::setTool(Tool tool) {
  if (tool == tool_) return;
  cancelSketch();
  tool_ = tool;
  updateCursorShape();
  Q_EMIT toolChanged(tool);
}

void MapCanvas::updateCursorShape() {
  setCursor(tool_ == Tool::Pan ? (dragging_ ? Qt::ClosedHandCursor : Qt::OpenHandCursor) : Qt::CrossCursor);
}

void MapCanvas::cancelSketch() {
  sketch_.clear();
  drawingRect_ = false;
  hasSketchCursor_ = false;
  update();
}

void MapCanvas::resizeEvent(QResizeEvent*) {
  view_.setSize(width(), height());
  if (!viewInitialised_ && layers_->count() > 0) zoomToAll();
  viewMoved();
}

void MapCanvas::wheelEvent(QWheelEvent* event) {
  // One notch (120) is one level; touchpads send fractions that add up.
  wheelRemainder_ += event->angleDelta().y() / 120.0;
  const int steps = static_cast<int>(wheelRemainder_);
  wheelRemainder_ -= steps;
  if (steps != 0) zoomBy(steps, event->position());
  event->accept();
}

void MapCanvas::mousePressEvent(QMouseEvent* event) {
  setFocus(Qt::MouseFocusReason);
  lastMouse_ = pressPos_ = event->position();
  const render::MapPoint at = view_.toMap(event->position().x(), event->position().y());
  if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && tool_ == Tool::Pan)) {
    dragging_ = true;
    updateCursorShape();
    return;
  }
  if (event->button() == Qt::LeftButton && tool_ == Tool::DrawRectangle) {
    drawingRect_ = true;
    rectStart_ = rectEnd_ = at;
    update();
    return;
  }
  if (event->button() == Qt::LeftButton && tool_ == Tool::DrawPolygon) {
    sketch_.push_back(at);
    update();
    return;
  }
  if (event->button() == Qt::RightButton && tool_ == Tool::DrawPolygon) finishPolygon();
}

void MapCanvas::mouseMoveEvent(QMouseEvent* event) {
  const QPointF pos = event->position();
  const render::MapPoint at = view_.toMap(pos.x(), pos.y());
  Q_EMIT cursorMoved(at.x, at.y);
  if (dragging_) {
    const QPointF d = pos - lastMouse_;
    lastMouse_ = pos;
    panBy(d.x(), d.y());
    return;
  }
  if (drawingRect_) {
    rectEnd_ = at;
    update();
  } else if (!sketch_.empty()) {
    sketchCursor_ = at;
    hasSketchCursor_ = true;
    update();
  }
}

void MapCanvas::mouseReleaseEvent(QMouseEvent* event) {
  if (dragging_ && (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton)) {
    dragging_ = false;
    updateCursorShape();
    return;
  }
  if (drawingRect_ && event->button() == Qt::LeftButton) {
    rectEnd_ = view_.toMap(event->position().x(), event->position().y());
    drawingRect_ = false;
    update();
    try {
      Q_EMIT aoiDrawn(QString::fromStdString(render::rectanglePolygonWkt(rectStart_, rectEnd_)));
    } catch (const Error& e) {
      Q_EMIT aoiDrawingFailed(QString::fromStdString(e.what()));
    }
  }
}

void MapCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
  if (tool_ == Tool::DrawPolygon && event->button() == Qt::LeftButton) {
    // The press before the double click already added this vertex.
    finishPolygon();
    return;
  }
  if (tool_ == Tool::Pan && event->button() == Qt::LeftButton) zoomBy(4, event->position());
}

void MapCanvas::finishPolygon() {
  std::vector<render::MapPoint> vertices = sketch_;
  cancelSketch();
  if (vertices.empty()) return;
  try {
    Q_EMIT aoiDrawn(QString::fromStdString(render::polygonWkt(vertices)));
  } catch (const Error& e) {
    Q_EMIT aoiDrawingFailed(QString::fromStdString(e.what()));
  }
}

void MapCanvas::keyPressEvent(QKeyEvent* event) {
  const double stepX = width() / 4.0, stepY = height() / 4.0;
  const bool fine = event->modifiers() & Qt::ShiftModifier;  // Shift: finer steps
  const double f = fine ? 0.2 : 1.0;
  switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      zoomBy(fine ? 1 : 4, QPointF(width() / 2.0, height() / 2.0));
      break;
    case Qt::Key_Minus:
      zoomBy(fine ? -1 : -4, QPointF(width() / 2.0, height() / 2.0));
      break;
    case Qt::Key_Left:
      panBy(stepX * f, 0);
      break;
    case Qt::Key_Right:
      panBy(-stepX * f, 0);
      break;
    case Qt::Key_Up:
      panBy(0, stepY * f);
      break;
    case Qt::Key_Down:
      panBy(0, -stepY * f);
      break;
    case Qt::Key_Home:
      zoomToAll();
      break;
    case Qt::Key_Escape:
      if (!sketch_.empty() || drawingRect_)
        cancelSketch();
      else
        setTool(Tool::Pan);
      break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
      if (tool_ == Tool::DrawPolygon) finishPolygon();
      break;
    case Qt::Key_Backspace:
      if (!sketch_.empty()) {
        sketch_.pop_back();
        update();
      }
      break;
    default:
      QWidget::keyPressEvent(event);
      return;
  }
  event->accept();
}

void MapCanvas::leaveEvent(QEvent*) {
  hasSketchCursor_ = false;
  Q_EMIT cursorLeft();
  update();
}

}  // namespace emitrace::analyst
