#include "core/render/tile_scheme.h"

#include <algorithm>
#include <cmath>

namespace emitrace::render {

Bounds tileBounds(const TileKey& key, int tileSizePx) {
  const double span = tileSizePx * levelResolution(key.level);
  return {key.tx * span, -(key.ty + 1) * span, (key.tx + 1) * span, -key.ty * span};
}

std::vector<TileKey> tilesCovering(const Viewport& view, int tileSizePx) {
  const double ox = view.originPixelX();
  const double oy = view.originPixelY();
  const auto first = [&](double o) { return static_cast<std::int64_t>(std::floor(o / tileSizePx)); };
  const auto last = [&](double o, int size) {
    return static_cast<std::int64_t>(std::ceil((o + size) / tileSizePx)) - 1;
  };
  const std::int64_t tx0 = first(ox), tx1 = last(ox, view.widthPx());
  const std::int64_t ty0 = first(oy), ty1 = last(oy, view.heightPx());
  std::vector<TileKey> keys;
  keys.reserve(static_cast<size_t>((tx1 - tx0 + 1) * (ty1 - ty0 + 1)));
  for (std::int64_t ty = ty0; ty <= ty1; ++ty)
    for (std::int64_t tx = tx0; tx <= tx1; ++tx) keys.push_back({view.level(), tx, ty});
  const double cx = ox + view.widthPx() / 2.0;
  const double cy = oy + view.heightPx() / 2.0;
  const auto distance = [&](const TileKey& k) {
    const double dx = (k.tx + 0.5) * tileSizePx - cx;
    const double dy = (k.ty + 0.5) * tileSizePx - cy;
    return dx * dx + dy * dy;
  };
  std::stable_sort(keys.begin(), keys.end(),
                   [&](const TileKey& a, const TileKey& b) { return distance(a) < distance(b); });
  return keys;
}

ScreenPos tileScreenPos(const TileKey& key, const Viewport& view, int tileSizePx) {
  // floor(n - o + 0.5) == n + floor(0.5 - o) for integer n: one shift for all.
  const auto shift = [](double origin) { return static_cast<std::int64_t>(std::floor(0.5 - origin)); };
  const double scale = levelResolution(key.level) / view.unitsPerPixel();
  if (key.level == view.level()) {
    return {key.tx * tileSizePx + shift(view.originPixelX()),
            key.ty * tileSizePx + shift(view.originPixelY())};
  }
  // A tile of another level (drawn scaled while the current level loads).
  return {static_cast<std::int64_t>(std::floor(key.tx * tileSizePx * scale - view.originPixelX() + 0.5)),
          static_cast<std::int64_t>(std::floor(key.ty * tileSizePx * scale - view.originPixelY() + 0.5))};
}

}  // namespace emitrace::render
