#pragma once
// What part of the map a view shows, and how it moves.
//
// A view is a centre in map coordinates, a zoom level and a size in screen
// pixels. Zoom levels are discrete: level k shows 2^(-k/4) map units per
// screen pixel, so one mouse-wheel notch is a factor 2^(1/4) ≈ 1.19 and
// every four notches double the scale. Discrete levels are what makes
// rendered tiles reusable: a tile rendered at level k is valid whenever the
// view is at level k again, wherever it has been panned to (see
// tile_scheme.h).
//
// Screen y grows downwards, map y grows upwards (north-up).
#include "core/raster/grid.h"

namespace emitrace::render {

using raster::Bounds;

// Map units per screen pixel at a zoom level.
double levelResolution(int level);
// The level whose resolution is the finest that is still >= unitsPerPixel
// (i.e. shows at least that much of the map per pixel).
int levelAtLeast(double unitsPerPixel);

struct MapPoint {
  double x = 0;
  double y = 0;
};

class Viewport {
 public:
  Viewport() = default;
  Viewport(double centreX, double centreY, int level, int widthPx, int heightPx);

  double centreX() const { return centreX_; }
  double centreY() const { return centreY_; }
  int level() const { return level_; }
  int widthPx() const { return widthPx_; }
  int heightPx() const { return heightPx_; }
  double unitsPerPixel() const { return levelResolution(level_); }

  // The map area on screen.
  Bounds extent() const;
  // Screen pixel (fractional, origin at the top-left corner of the widget)
  // to map coordinates and back.
  MapPoint toMap(double px, double py) const;
  MapPoint toScreen(double x, double y) const;
  // Map coordinate of the widget's left/top edge in whole screen pixels of
  // the current level; tiles are positioned relative to it (tile_scheme.h).
  double originPixelX() const;
  double originPixelY() const;

  void setSize(int widthPx, int heightPx);
  void setCentre(double x, double y);
  // Levels are clamped to [kMinLevel, kMaxLevel].
  void setLevel(int level);
  // Changes the level by `steps` keeping the map point under the screen
  // pixel (px, py) where it is (zoom about the cursor).
  void zoomAbout(double px, double py, int steps);
  // Moves the view so that the map content moves by (dxPx, dyPx) on screen
  // (a drag to the right moves the content right, i.e. the centre west).
  void panPixels(double dxPx, double dyPx);
  // Centres on `bounds` at the finest level that shows all of it with
  // `marginFraction` of the view left free around it.
  void fitBounds(const Bounds& bounds, double marginFraction = 0.05);

  static constexpr int kMinLevel = -160;  // 2^40 units per pixel
  static constexpr int kMaxLevel = 160;   // 2^-40 units per pixel

 private:
  double centreX_ = 0;
  double centreY_ = 0;
  int level_ = 0;
  int widthPx_ = 1;
  int heightPx_ = 1;
};

}  // namespace emitrace::render
