#pragma once
// A raster grid (CRS + geotransform + size) and pixel windows on it.
#include <array>
#include <string>

namespace emitrace::raster {

struct RasterInfo;

// Axis-aligned bounds in a CRS's units.
struct Bounds {
  double minX = 0, minY = 0, maxX = 0, maxY = 0;
  double width() const { return maxX - minX; }
  double height() const { return maxY - minY; }
  bool empty() const { return !(maxX > minX && maxY > minY); }
};

// A pixel window: column x, row y, width, height. May reach beyond the grid
// (a padded edge tile); readers fill the outside as invalid.
struct Window {
  int x = 0, y = 0, width = 0, height = 0;
  long long pixelCount() const { return static_cast<long long>(width) * height; }
  bool operator==(const Window& o) const {
    return x == o.x && y == o.y && width == o.width && height == o.height;
  }
};

struct GridSpec {
  std::string crsWkt;                              // "" for an ungeoreferenced grid
  std::array<double, 6> geoTransform{0, 1, 0, 0, 0, -1};
  int width = 0;
  int height = 0;

  double pixelWidth() const { return geoTransform[1]; }
  double pixelHeight() const { return -geoTransform[5]; }  // positive for north-up
  bool northUp() const { return geoTransform[2] == 0.0 && geoTransform[4] == 0.0; }

  // Georeferenced coordinates of a pixel corner (col, row may be fractional).
  std::array<double, 2> toGeo(double col, double row) const;
  // Inverse of toGeo; throws InputError for a degenerate geotransform.
  std::array<double, 2> toPixel(double x, double y) const;
  // Bounds of the whole grid / of a window (all four corners, so rotated
  // grids are covered).
  Bounds bounds() const;
  Bounds bounds(const Window& w) const;
  // The window clipped to the grid (may be empty).
  Window clip(const Window& w) const;
  Window full() const { return {0, 0, width, height}; }
  // Corner coordinates of a window as a closed WKT POLYGON.
  std::string footprintWkt(const Window& w) const;
  bool sameAs(const GridSpec& other, double tolerance = 1e-9) const;
};

// A short human-readable name for a CRS ("WGS 84 / UTM zone 33N (EPSG:32633)"),
// "none" for an empty WKT.
std::string crsDisplayName(const std::string& wkt);

// The grid of an existing raster. Throws InputError if it has no geotransform.
GridSpec gridOf(const RasterInfo& info);
GridSpec gridOfRaster(const std::string& path);

// A north-up grid covering `extent` in `crsDefinition` (any user CRS string)
// at the given resolution; the extent is snapped outward to whole multiples of
// the resolution so that grids built for neighbouring areas line up.
GridSpec makeGrid(const std::string& crsDefinition, double resolutionX, double resolutionY,
                  const Bounds& extent);

}  // namespace emitrace::raster
