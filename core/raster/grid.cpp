#include "core/raster/grid.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/raster/raster_info.h"

namespace emitrace::raster {

std::array<double, 2> GridSpec::toGeo(double col, double row) const {
  const auto& g = geoTransform;
  return {g[0] + col * g[1] + row * g[2], g[3] + col * g[4] + row * g[5]};
}

std::array<double, 2> GridSpec::toPixel(double x, double y) const {
  const auto& g = geoTransform;
  const double det = g[1] * g[5] - g[2] * g[4];
  if (det == 0.0) throw InputError("the raster's geotransform is degenerate (zero pixel size)");
  const double dx = x - g[0];
  const double dy = y - g[3];
  return {(dx * g[5] - dy * g[2]) / det, (dy * g[1] - dx * g[4]) / det};
}

Bounds GridSpec::bounds(const Window& w) const {
  Bounds b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (auto [c, r] : {std::array<double, 2>{double(w.x), double(w.y)},
                      {double(w.x + w.width), double(w.y)},
                      {double(w.x), double(w.y + w.height)},
                      {double(w.x + w.width), double(w.y + w.height)}}) {
    auto p = toGeo(c, r);
    b.minX = std::min(b.minX, p[0]);
    b.maxX = std::max(b.maxX, p[0]);
    b.minY = std::min(b.minY, p[1]);
    b.maxY = std::max(b.maxY, p[1]);
  }
  return b;
}

Bounds GridSpec::bounds() const { return bounds(full()); }

Window GridSpec::clip(const Window& w) const {
  int x0 = std::max(w.x, 0), y0 = std::max(w.y, 0);
  int x1 = std::min(w.x + w.width, width), y1 = std::min(w.y + w.height, height);
  if (x1 <= x0 || y1 <= y0) return {x0, y0, 0, 0};
  return {x0, y0, x1 - x0, y1 - y0};
}

std::string GridSpec::footprintWkt(const Window& w) const {
  std::ostringstream out;
  out.precision(15);
  out << "POLYGON((";
  const std::array<std::array<double, 2>, 5> corners{{{double(w.x), double(w.y)},
                                                      {double(w.x + w.width), double(w.y)},
                                                      {double(w.x + w.width), double(w.y + w.height)},
                                                      {double(w.x), double(w.y + w.height)},
                                                      {double(w.x), double(w.y)}}};
  for (size_t i = 0; i < corners.size(); ++i) {
    auto p = toGeo(corners[i][0], corners[i][1]);
    out << (i ? "," : "") << p[0] << " " << p[1];
  }
  out << "))";
  return out.str();
}

bool GridSpec::sameAs(const GridSpec& o, double tolerance) const {
  if (width != o.width || height != o.height) return false;
  const double pixel = std::max(std::abs(geoTransform[1]), std::abs(geoTransform[5]));
  for (int i = 0; i < 6; ++i) {
    if (std::abs(geoTransform[i] - o.geoTransform[i]) > tolerance * std::max(pixel, 1.0)) return false;
  }
  if (crsWkt == o.crsWkt) return true;
  if (crsWkt.empty() || o.crsWkt.empty()) return false;
  OGRSpatialReference a, b;
  a.importFromWkt(crsWkt.c_str());
  b.importFromWkt(o.crsWkt.c_str());
  return a.IsSame(&b) != 0;
}

GridSpec gridOf(const RasterInfo& info) {
  if (!info.hasGeoTransform) {
    throw InputError("'" + info.path +
                     "' has no georeferencing (geotransform); it cannot be placed on a map grid");
  }
  GridSpec g;
  g.crsWkt = info.crsWkt;
  g.geoTransform = info.geoTransform;
  g.width = info.width;
  g.height = info.height;
  return g;
}

GridSpec gridOfRaster(const std::string& path) { return gridOf(describeRaster(path)); }

GridSpec makeGrid(const std::string& crsDefinition, double resolutionX, double resolutionY,
                  const Bounds& extent) {
  if (!(resolutionX > 0) || !(resolutionY > 0)) {
    throw InputError("grid resolution must be positive (got " + std::to_string(resolutionX) +
                     " x " + std::to_string(resolutionY) + ")");
  }
  if (extent.empty()) throw InputError("grid extent is empty");
  OGRSpatialReference srs = spatialReferenceFrom(crsDefinition);
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  srs.exportToWkt(&wkt, options);
  GridSpec g;
  g.crsWkt = wkt ? wkt : "";
  CPLFree(wkt);
  const double minX = std::floor(extent.minX / resolutionX) * resolutionX;
  const double maxX = std::ceil(extent.maxX / resolutionX) * resolutionX;
  const double minY = std::floor(extent.minY / resolutionY) * resolutionY;
  const double maxY = std::ceil(extent.maxY / resolutionY) * resolutionY;
  g.width = static_cast<int>(std::llround((maxX - minX) / resolutionX));
  g.height = static_cast<int>(std::llround((maxY - minY) / resolutionY));
  g.geoTransform = {minX, resolutionX, 0.0, maxY, 0.0, -resolutionY};
  return g;
}

}  // namespace emitrace::raster
