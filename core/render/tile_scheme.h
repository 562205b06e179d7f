#pragma once
// Screen tiles: the map at zoom level k is cut into square tiles of
// kTileSizePx screen pixels on a lattice anchored at the map origin, so the
// tile key (level, tx, ty) names the same piece of map whatever the view.
// A map view renders only the tiles that cover it, caches them by key, and
// reuses them while panning and when coming back to a level.
#include <cstdint>
#include <functional>
#include <vector>

#include "core/render/viewport.h"

namespace emitrace::render {

constexpr int kTileSizePx = 256;

struct TileKey {
  int level = 0;
  std::int64_t tx = 0;  // column: map x grows with tx
  std::int64_t ty = 0;  // row: map y decreases as ty grows (screen order)
  bool operator==(const TileKey& o) const { return level == o.level && tx == o.tx && ty == o.ty; }
  bool operator!=(const TileKey& o) const { return !(*this == o); }
};

// Map bounds a tile covers.
Bounds tileBounds(const TileKey& key, int tileSizePx = kTileSizePx);

// The tiles covering the view, nearest to the view's centre first (so the
// middle of the screen fills in first).
std::vector<TileKey> tilesCovering(const Viewport& view, int tileSizePx = kTileSizePx);

// Where a tile's top-left corner lands on screen, in whole pixels. Every tile
// of the view is shifted by the same rounding, so neighbours never leave a
// seam or overlap.
struct ScreenPos {
  std::int64_t x = 0;
  std::int64_t y = 0;
};
ScreenPos tileScreenPos(const TileKey& key, const Viewport& view, int tileSizePx = kTileSizePx);

struct TileKeyHash {
  std::size_t operator()(const TileKey& k) const {
    std::size_t h = std::hash<std::int64_t>()(k.tx);
    h = h * 1000003u ^ std::hash<std::int64_t>()(k.ty);
    return h * 1000003u ^ std::hash<int>()(k.level);
  }
};

}  // namespace emitrace::render
