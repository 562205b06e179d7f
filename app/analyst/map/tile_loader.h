#pragma once
// Renders map tiles on worker threads so the UI thread only ever draws
// finished images.
//
// The map view asks for the tiles it is missing, nearest to the centre first;
// each request() replaces the queue, so tiles of a view the user has already
// panned or zoomed away from are never rendered. Each worker keeps its own
// RasterRenderer (its own GDAL dataset) per layer source, because GDAL
// datasets must not be shared between threads.
#include <QImage>
#include <QObject>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "app/analyst/map/map_layer.h"
#include "core/render/tile_scheme.h"

namespace emitrace::analyst {

// Identifies one prepared source: the same file prepared again (after its
// overviews were built, or for another map CRS) gets a new key, so workers
// reopen it instead of reusing a dataset opened before the change.
std::string rendererKey(const render::DisplaySource& source);

struct TileRequest {
  std::shared_ptr<const RasterRenderState> state;
  render::TileKey key;
};

class TileLoader : public QObject {
  Q_OBJECT
 public:
  explicit TileLoader(int threadCount, QObject* parent = nullptr);
  ~TileLoader() override;

  // Replaces the queue. Tiles being rendered right now are not restarted.
  void request(std::vector<TileRequest> requests);
  // Queued + running.
  int pending() const;
  // Drops per-thread renderers of sources whose rendererKey() is not in
  // `liveKeys` (a removed layer's datasets are closed by the workers).
  void retainSources(std::set<std::string> liveKeys);

 Q_SIGNALS:
  // Emitted from a worker thread; connect with a queued connection.
  void tileReady(int layerId, quint64 generation, int level, qint64 tx, qint64 ty, QImage image);
  void tileFailed(int layerId, quint64 generation, int level, qint64 tx, qint64 ty, QString message);

 private:
  void work();
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<TileRequest> queue_;
  std::vector<TileRequest> running_;
  std::set<std::string> liveSources_;
  bool restrictSources_ = false;
  quint64 sourcesEpoch_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace emitrace::analyst
