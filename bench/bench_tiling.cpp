// Benchmark (not a test): tile a generated square raster and read it window
// by window through the core, reporting throughput and peak resident memory.
//
//   bench_tiling generate <size> <path>   write a size x size UInt16 GeoTIFF
//   bench_tiling read <path> [patch_px]   tile grid + read every tile
//
// Run `read` in its own process per raster so that peak RSS belongs to the
// read alone; bench/run_tiling_bench.sh does both sizes and compares.
#include <gdal_priv.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid_stack.h"
#include "core/raster/raster_writer.h"
#include "core/raster/tile_grid.h"

using namespace emitrace::raster;

namespace {

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

int generate(int size, const std::string& path) {
  const GridSpec grid = makeGrid("EPSG:32633", 10, 10, {500000, 5000000 - size * 10.0, 500000 + size * 10.0, 5000000});
  RasterWriterOptions o;
  o.type = PixelType::UInt16;
  o.blockSize = 512;
  RasterWriter w(path, grid, 1, o);
  std::vector<float> rows(static_cast<size_t>(size) * 256);
  for (int y = 0; y < size; y += 256) {
    const int h = std::min(256, size - y);
    for (int r = 0; r < h; ++r)
      for (int c = 0; c < size; ++c)
        rows[static_cast<size_t>(r) * size + c] = static_cast<float>((c * 7 + (y + r) * 13) % 4096 + 1000 * std::sin(c * 0.01));
    w.write(1, {0, y, size, h}, rows.data());
  }
  w.finish();
  std::printf("generated %s (%d x %d)\n", path.c_str(), size, size);
  return 0;
}

int read(const std::string& path, int patch) {
  const auto t0 = std::chrono::steady_clock::now();
  const GridSpec grid = gridOfRaster(path);
  TileGridOptions o;
  o.patch = {double(patch), Length::Unit::Pixels};
  const TileGrid tg = makeTileGrid(grid, Aoi(), o);
  const auto t1 = std::chrono::steady_clock::now();
  GridStack stack(grid, {{path, 1, "b"}});
  std::vector<float> buf;
  double sum = 0;
  long long pixels = 0;
  for (const Tile& t : tg.tiles) {
    stack.read(t.window, buf);
    for (float v : buf) sum += v;
    pixels += t.window.pixelCount();
  }
  const auto t2 = std::chrono::steady_clock::now();
  const double gridSeconds = std::chrono::duration<double>(t1 - t0).count();
  const double readSeconds = std::chrono::duration<double>(t2 - t1).count();
  std::printf("raster %dx%d  tiles %zu (patch %d px)  grid %.3f s  read %.2f s  %.1f Mpx/s  %.0f tiles/s  "
              "peak RSS %.1f MiB  checksum %.6g\n",
              grid.width, grid.height, tg.tiles.size(), patch, gridSeconds, readSeconds, pixels / readSeconds / 1e6,
              tg.tiles.size() / readSeconds, peakRssMiB(), sum);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ensureGdal();
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "generate" && argc == 4) return generate(std::stoi(argv[2]), argv[3]);
    if (mode == "read" && argc >= 3) return read(argv[2], argc > 3 ? std::stoi(argv[3]) : 72);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_tiling: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: bench_tiling generate <size> <path> | read <path> [patch_px]\n");
  return 2;
}
