#include "core/render/viewport.h"

#include <algorithm>
#include <cmath>

namespace emitrace::render {

namespace {
constexpr int kStepsPerOctave = 4;
}

double levelResolution(int level) { return std::exp2(-static_cast<double>(level) / kStepsPerOctave); }

int levelAtLeast(double unitsPerPixel) {
  if (!(unitsPerPixel > 0) || !std::isfinite(unitsPerPixel)) return 0;
  // resolution(k) >= upp  <=>  k <= -4 log2(upp); the tolerance keeps exact
  // powers of two on their own level despite rounding in log2.
  const double k = -kStepsPerOctave * std::log2(unitsPerPixel);
  return static_cast<int>(std::floor(k + 1e-9));
}

Viewport::Viewport(double centreX, double centreY, int level, int widthPx, int heightPx)
    : centreX_(centreX), centreY_(centreY) {
  setLevel(level);
  setSize(widthPx, heightPx);
}

Bounds Viewport::extent() const {
  const double upp = unitsPerPixel();
  const MapPoint tl = toMap(0, 0);
  return {tl.x, tl.y - heightPx_ * upp, tl.x + widthPx_ * upp, tl.y};
}

double Viewport::originPixelX() const { return centreX_ / unitsPerPixel() - widthPx_ / 2.0; }
double Viewport::originPixelY() const { return -centreY_ / unitsPerPixel() - heightPx_ / 2.0; }

MapPoint Viewport::toMap(double px, double py) const {
  const double upp = unitsPerPixel();
  return {centreX_ + (px - widthPx_ / 2.0) * upp, centreY_ - (py - heightPx_ / 2.0) * upp};
}

MapPoint Viewport::toScreen(double x, double y) const {
  const double upp = unitsPerPixel();
  return {(x - centreX_) / upp + widthPx_ / 2.0, (centreY_ - y) / upp + heightPx_ / 2.0};
}

void Viewport::setSize(int widthPx, int heightPx) {
  widthPx_ = std::max(1, widthPx);
  heightPx_ = std::max(1, heightPx);
}

void Viewport::setCentre(double x, double y) {
  centreX_ = x;
  centreY_ = y;
}

void Viewport::setLevel(int level) { level_ = std::clamp(level, kMinLevel, kMaxLevel); }

void Viewport::zoomAbout(double px, double py, int steps) {
  const MapPoint anchor = toMap(px, py);
  const double before = unitsPerPixel();
  setLevel(level_ + steps);
  const double ratio = unitsPerPixel() / before;
  centreX_ = anchor.x + (centreX_ - anchor.x) * ratio;
  centreY_ = anchor.y + (centreY_ - anchor.y) * ratio;
}

void Viewport::panPixels(double dxPx, double dyPx) {
  const double upp = unitsPerPixel();
  centreX_ -= dxPx * upp;
  centreY_ += dyPx * upp;
}

void Viewport::fitBounds(const Bounds& bounds, double marginFraction) {
  if (!(bounds.width() >= 0) || !(bounds.height() >= 0)) return;
  centreX_ = (bounds.minX + bounds.maxX) / 2;
  centreY_ = (bounds.minY + bounds.maxY) / 2;
  const double usable = std::max(0.1, 1.0 - 2.0 * marginFraction);
  const double needX = bounds.width() / (widthPx_ * usable);
  const double needY = bounds.height() / (heightPx_ * usable);
  const double need = std::max(needX, needY);
  if (need > 0) setLevel(levelAtLeast(need));
}

}  // namespace emitrace::render
