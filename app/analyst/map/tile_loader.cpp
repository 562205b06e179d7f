#include "app/analyst/map/tile_loader.h"

#include <cstdint>
#include <map>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "core/error.h"

namespace emitrace::analyst {

std::string rendererKey(const render::DisplaySource& source) {
  return source.gdalName + "@" + std::to_string(reinterpret_cast<std::uintptr_t>(source.keepAlive.get()));
}

namespace {

bool sameTile(const TileRequest& a, const TileRequest& b) {
  return a.key == b.key && a.state->layerId == b.state->layerId && a.state->generation == b.state->generation;
}

}  // namespace

TileLoader::TileLoader(int threadCount, QObject* parent) : QObject(parent) {
  for (int i = 0; i < std::max(1, threadCount); ++i) threads_.emplace_back([this] { work(); });
}

TileLoader::~TileLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void TileLoader::request(std::vector<TileRequest> requests) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
    for (auto& r : requests) {
      bool busy = false;
      for (const auto& running : running_) busy = busy || sameTile(running, r);
      if (!busy) queue_.push_back(std::move(r));
    }
  }
  wake_.notify_all();
}

int TileLoader::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(queue_.size() + running_.size());
}

void TileLoader::retainSources(std::set<std::string> liveKeys) {
  std::lock_guard<std::mutex> lock(mutex_);
  liveSources_ = std::move(liveKeys);
  restrictSources_ = true;
  ++sourcesEpoch_;
}

void TileLoader::work() {
#ifdef __linux__
  // Below the UI thread: on a busy machine the event loop keeps answering
  // the mouse while tiles render. (QThread priorities are ignored by Linux's
  // default scheduler; a per-thread nice value is not.)
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
#endif
  struct Cached {
    std::unique_ptr<render::RasterRenderer> renderer;
    std::shared_ptr<void> keepAlive;  // the source's in-memory VRTs
  };
  std::map<std::string, Cached> renderers;  // this thread's datasets
  quint64 seenEpoch = 0;
  for (;;) {
    TileRequest job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      running_.push_back(job);
      if (seenEpoch != sourcesEpoch_ && restrictSources_) {
        for (auto it = renderers.begin(); it != renderers.end();) {
          it = liveSources_.count(it->first) ? std::next(it) : renderers.erase(it);
        }
        seenEpoch = sourcesEpoch_;
      }
    }
    const RasterRenderState& s = *job.state;
    QImage image;
    QString error;
    try {
      Cached& cached = renderers[rendererKey(s.source)];
      if (!cached.renderer) {
        cached.renderer = std::make_unique<render::RasterRenderer>(s.source.gdalName);
        cached.keepAlive = s.source.keepAlive;
      }
      const raster::Bounds area = render::tileBounds(job.key);
      const render::ChannelData data =
          cached.renderer->readChannels(s.combination, area, render::kTileSizePx, render::kTileSizePx);
      const render::RgbaImage rgba = render::toRgba(data, s.combination, s.ranges);
      // Premultiplied ARGB is what QPainter blits fastest; convert here, off the UI thread.
      image = QImage(rgba.pixels.data(), rgba.width, rgba.height, rgba.width * 4, QImage::Format_RGBA8888)
                  .convertToFormat(QImage::Format_ARGB32_Premultiplied);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    if (error.isEmpty()) {
      Q_EMIT tileReady(s.layerId, s.generation, job.key.level, job.key.tx, job.key.ty, image);
    } else {
      Q_EMIT tileFailed(s.layerId, s.generation, job.key.level, job.key.tx, job.key.ty, error);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = running_.begin(); it != running_.end(); ++it) {
        if (sameTile(*it, job)) {
          running_.erase(it);
          break;
        }
      }
    }
  }
}

}  // namespace emitrace::analyst
