// Benchmark (not a test): how fast the analyst's map view pans and zooms on
// a large scene, and what the UI thread pays for it.
//
//   bench_map_view generate <path> [size]   a size x size (default 10000), 3-band
//                                           UInt16 tiled DEFLATE GeoTIFF (B04/B03/B02)
//   bench_map_view overviews <path>         external overviews 2..64 (average)
//   bench_map_view run <path>               measure (prints, never asserts)
//
// `run` measures, single-threaded in the core: one 256 px tile at several
// zooms; and end to end in the Qt window (offscreen, worker threads): the
// time from a zoom or pan until every visible tile is drawn, the UI
// thread's cost of one repaint from cached tiles, and the longest stall of
// the UI event loop while tiles render. bench/run_map_view_bench.sh runs it
// without and with overviews for the ratio.
#include <gdal_priv.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <QWheelEvent>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "app/analyst/main_window.h"
#include "app/analyst/map/layer_model.h"
#include "app/analyst/map/map_canvas.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"
#include "core/raster/raster_writer.h"
#include "core/render/band_presets.h"
#include "core/render/display_source.h"
#include "core/render/raster_renderer.h"
#include "core/render/tile_scheme.h"

using namespace emitrace;

namespace {

double ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Stats {
  std::vector<double> v;
  void add(double x) { v.push_back(x); }
  double median() const {
    auto s = v;
    std::sort(s.begin(), s.end());
    return s.empty() ? 0 : s[s.size() / 2];
  }
  double max() const { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
  double mean() const { return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }
};

int generate(const std::string& path, int size) {
  const raster::GridSpec grid =
      raster::makeGrid("EPSG:32633", 10, 10, {500000, 5000000 - size * 10.0, 500000 + size * 10.0, 5000000});
  raster::RasterWriterOptions o;
  o.type = raster::PixelType::UInt16;
  o.bandNames = {"B04", "B03", "B02"};
  o.blockSize = 512;
  raster::RasterWriter w(path, grid, 3, o);
  const int rows = 512;
  std::vector<float> buf(static_cast<size_t>(size) * rows * 3);
  for (int y = 0; y < size; y += rows) {
    const int h = std::min(rows, size - y);
    for (int b = 0; b < 3; ++b)
      for (int r = 0; r < h; ++r)
        for (int c = 0; c < size; ++c) {
          const double fy = (y + r) * 0.002, fx = c * 0.002;
          // Fields, roads and noise: something with structure at every zoom.
          const double v = 1200 + 600 * std::sin(fx * (b + 1)) * std::cos(fy * 1.3) +
                           300 * (((c / 37) + (y + r) / 53) % 3) + ((c * 7919 + (y + r) * 104729 + b) % 97);
          buf[(static_cast<size_t>(b) * h + r) * size + c] = static_cast<float>(v);
        }
    w.writeAll({0, y, size, h}, buf.data());
  }
  w.finish();
  std::printf("generated %s (%d x %d, 3 bands UInt16)\n", path.c_str(), size, size);
  return 0;
}

int overviews(const std::string& path) {
  raster::ensureGdal();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds) return 1;
  int factors[] = {2, 4, 8, 16, 32, 64};
  CPLSetConfigOption("COMPRESS_OVERVIEW", "DEFLATE");
  const auto t0 = std::chrono::steady_clock::now();
  if (ds->BuildOverviews("AVERAGE", 6, factors, 0, nullptr, nullptr, nullptr, nullptr) != CE_None) return 1;
  std::printf("built overviews 2..64 in %.1f s\n", ms(std::chrono::steady_clock::now() - t0) / 1000);
  return 0;
}

// Single-threaded core cost of one tile at a few zooms.
void coreTiles(const std::string& path) {
  const render::DisplaySource source = render::prepareDisplaySource({path}, "");
  render::RasterRenderer r(source.gdalName);
  const render::BandCombination c = render::autoPreset(source.info);
  const auto t0 = std::chrono::steady_clock::now();
  const auto sample = r.sample(c, 512);
  const auto ranges = render::computeStretch(sample, c.stretch);
  std::printf("core: stretch sample 512 px: %.1f ms (level %d)\n", ms(std::chrono::steady_clock::now() - t0),
              r.lastLevel());
  const raster::Bounds b = source.displayGrid.bounds();
  const double fullUpp = std::max(b.width() / 1400, b.height() / 900);
  for (double zoom : {1.0, 4.0, 16.0, fullUpp / 10}) {
    const double upp = fullUpp / zoom;
    const int level = render::levelAtLeast(upp);
    render::Viewport v((b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2, level, 1400, 900);
    Stats t;
    for (const render::TileKey& k : render::tilesCovering(v)) {
      const auto s = std::chrono::steady_clock::now();
      const auto d = r.readChannels(c, render::tileBounds(k), render::kTileSizePx, render::kTileSizePx);
      const auto img = render::toRgba(d, c, ranges);
      t.add(ms(std::chrono::steady_clock::now() - s));
    }
    std::printf(
        "core: %.2f m/px (level %d, reads overview %d): %zu tiles, per tile median %.2f ms, max %.2f ms\n",
        v.unitsPerPixel(), level, r.lastLevel(), t.v.size(), t.median(), t.max());
  }
}

// Max gap between ticks of a 2 ms timer: how long the UI thread was busy.
class StallMeter : public QObject {
 public:
  StallMeter() {
    timer_.setInterval(2);
    connect(&timer_, &QTimer::timeout, this, [this] {
      const qint64 now = clock_.nsecsElapsed();
      if (last_ > 0) worst_ = std::max(worst_, (now - last_) / 1e6);
      last_ = now;
    });
  }
  void start() {
    worst_ = 0;
    last_ = 0;
    clock_.start();
    timer_.start();
  }
  double stop() {
    timer_.stop();
    return worst_;
  }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0;
  double worst_ = 0;
};

int run(const std::string& path) {
  coreTiles(path);
  analyst::MainWindow w;
  w.setQuiet(true);
  w.setRecordRecentFiles(false);
  w.resize(1600, 1000);
  w.show();
  QApplication::processEvents();
  analyst::MapCanvas* c = w.canvas();
  StallMeter stall;

  // The noise floor: event-loop gaps with nothing to do (on a shared
  // machine, other processes' load shows up here).
  stall.start();
  {
    QElapsedTimer idle;
    idle.start();
    while (idle.elapsed() < 1000) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  }
  std::printf("app: idle event loop, longest gap between 2 ms timer ticks: %.1f ms\n", stall.stop());

  auto t0 = std::chrono::steady_clock::now();
  if (!w.openRaster(QString::fromStdString(path), true)) {
    std::fprintf(stderr, "%s\n", qPrintable(w.lastError()));
    return 1;
  }
  std::printf("app: open (display source + stretch sample): %.1f ms; view %d x %d px\n",
              ms(std::chrono::steady_clock::now() - t0), c->width(), c->height());
  // After a zoom or pan: the first repaint (what the user sees at once:
  // cached or stand-in tiles), then the time until every tile is sharp.
  Stats firstPaint, paintCost, paintCpu;
  const auto settle = [&](const char* what) {
    stall.start();
    c->resetPaintStats();
    const auto s = std::chrono::steady_clock::now();
    while (c->paintCount() == 0 && ms(std::chrono::steady_clock::now() - s) < 10000)
      QApplication::processEvents(QEventLoop::AllEvents, 5);
    firstPaint.add(ms(std::chrono::steady_clock::now() - s));
    c->waitForRendering(120000);
    const double t = ms(std::chrono::steady_clock::now() - s);
    paintCost.add(c->maxPaintMs());
    paintCpu.add(c->maxPaintCpuMs());
    return std::pair<double, double>{t, stall.stop()};
  };
  auto [first, firstStall] = settle("first");
  std::printf("app: first full view (cold): %.1f ms to all tiles, UI stall max %.1f ms\n", first, firstStall);

  Stats zoomIn, zoomInStall;
  const QPointF centre(c->width() / 2.0, c->height() / 2.0);
  // Wheel notches towards 1:1 (each notch 2^(1/4)).
  for (int i = 0; i < 24 && c->viewport().unitsPerPixel() > 10.0; ++i) {
    c->zoomBy(1, centre + QPointF(37, -23));
    auto [t, s] = settle("zoom");
    zoomIn.add(t);
    zoomInStall.add(s);
  }
  std::printf(
      "app: %zu wheel zoom-ins to %.2f m/px (cold tiles): per step median %.1f ms, max %.1f ms; "
      "UI stall max %.1f ms\n",
      zoomIn.v.size(), c->viewport().unitsPerPixel(), zoomIn.median(), zoomIn.max(), zoomInStall.max());

  Stats pan, panStall;
  for (int i = 0; i < 40; ++i) {
    c->panBy(i % 2 ? 60 : 80, i % 3 ? -40 : 30);
    auto [t, s] = settle("pan");
    pan.add(t);
    panStall.add(s);
  }
  std::printf(
      "app: 40 drag steps of ~70 px at %.2f m/px: per step median %.1f ms, max %.1f ms; UI stall max %.1f "
      "ms\n",
      c->viewport().unitsPerPixel(), pan.median(), pan.max(), panStall.max());

  std::printf(
      "app: over all zoom/pan steps so far: first repaint after median %.1f ms, max %.1f ms; "
      "longest single paint %.1f ms wall, %.1f ms UI-thread CPU\n",
      firstPaint.median(), firstPaint.max(), paintCost.max(), paintCpu.max());
  Stats paint;
  for (int i = 0; i < 30; ++i) {
    const auto s = std::chrono::steady_clock::now();
    const QImage img = c->renderToImage();
    paint.add(ms(std::chrono::steady_clock::now() - s));
  }
  std::printf("app: one repaint from cached tiles (UI thread): median %.2f ms, max %.2f ms\n", paint.median(),
              paint.max());

  Stats out, outStall;
  for (int i = 0; i < 12; ++i) {
    c->zoomBy(-2, centre);
    auto [t, s] = settle("zoom out");
    out.add(t);
    outStall.add(s);
  }
  std::printf("app: 12 zoom-outs by 2 notches: per step median %.1f ms, max %.1f ms; UI stall max %.1f ms\n",
              out.median(), out.max(), outStall.max());
  c->zoomToAll();
  auto [back, backStall] = settle("back");
  std::printf("app: back to the full view (tiles cached): %.1f ms\n", back);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s generate <path> [size] | overviews <path> | run <path>\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1], path = argv[2];
  if (mode == "generate") return generate(path, argc > 3 ? std::atoi(argv[3]) : 10000);
  if (mode == "overviews") return overviews(path);
  if (mode == "run") {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    return run(path);
  }
  std::fprintf(stderr, "unknown mode '%s'\n", mode.c_str());
  return 2;
}
