#pragma once
// Geometry for the inventory, internal to core/inventory.
//
// Stored geometry is EPSG:4326. Adjacency (do two patches touch or overlap?)
// is topological and decided on longitude/latitude directly. Anything in
// metres (areas, centroids, distances to plumes and reference points) is
// computed in a local Lambert azimuthal equal-area frame centred on the
// object, on the authalic sphere (R = 6371007.2 m): equal-area, so areas and
// area-weighted centroids are exact on that sphere (within ~0.3% of the WGS84
// ellipsoid), and distances over a few kilometres are within 1e-6 relative.
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace emitrace::inventory::geo {

struct XY {
  double x = 0;
  double y = 0;
};
using Ring = std::vector<XY>;  // closed or open; the closing edge is implied
struct Polygon {
  std::vector<Ring> rings;  // [0] exterior, then holes
};
using Shape = std::vector<Polygon>;  // a (multi)polygon

struct Box {
  double minX = 0, minY = 0, maxX = 0, maxY = 0;
  bool intersects(const Box& o) const {
    return !(o.minX > maxX || o.maxX < minX || o.minY > maxY || o.maxY < minY);
  }
  Box expanded(double dx, double dy) const { return {minX - dx, minY - dy, maxX + dx, maxY + dy}; }
  XY centre() const { return {(minX + maxX) / 2, (minY + maxY) / 2}; }
};

// Shapes from OGR geometry (x = longitude, y = latitude for EPSG:4326).
// Points and lines are ignored; collections are flattened.
Shape shapeOf(const OGRGeometry& geometry);
Box boxOf(const Shape& shape);

// Topology on the plane of the coordinates (closed sets: touching counts).
bool intersects(const Shape& a, const Shape& b);
bool contains(const Shape& shape, XY p);  // inside or on the boundary
double distance(const Shape& shape, XY p);   // 0 inside
double distance(const Shape& a, const Shape& b);  // 0 when they intersect

// Area (|exterior| - |holes|) and area-weighted centroid in the shape's units.
double area(const Shape& shape);
XY centroid(const Shape& shape);

// A local Lambert azimuthal equal-area frame (metres) on the authalic sphere.
class LocalFrame {
 public:
  LocalFrame(double lon0, double lat0);
  XY forward(double lon, double lat) const;
  XY inverse(double x, double y) const;  // returns {lon, lat}
  Shape project(const Shape& lonLat) const;

 private:
  double lon0_, sinLat0_, cosLat0_;
};

// Degrees of latitude / longitude spanning `metres` at a latitude (longitude
// widened by 1/cos(lat), capped near the poles).
double metresToDegreesLat(double metres);
double metresToDegreesLon(double metres, double lat);

// Two lon/lat shapes are adjacent if they intersect or come within
// `toleranceMetres` of each other.
bool adjacent(const Shape& a, const Box& boxA, const Shape& b, const Box& boxB,
              double toleranceMetres);

// A uniform grid over lon/lat boxes for candidate searches.
class GridIndex {
 public:
  explicit GridIndex(double cellDegrees);
  void insert(int item, const Box& box);
  // Items whose cells meet `box` (each once, ascending; may include items
  // whose boxes do not meet it: check the boxes).
  void query(const Box& box, std::vector<int>& out) const;

 private:
  std::int64_t cellKey(std::int64_t ix, std::int64_t iy) const { return (ix << 32) ^ (iy & 0xffffffff); }
  double cell_;
  std::unordered_map<std::int64_t, std::vector<int>> cells_;
};

// Transforms WKT polygons from any CRS to EPSG:4326 (lon/lat), caching one
// transformation per source CRS definition.
class Wgs84Transformer {
 public:
  Wgs84Transformer();
  ~Wgs84Transformer();
  // Throws InputError for a bad CRS or WKT or a failed transformation.
  std::unique_ptr<OGRGeometry> toWgs84(const std::string& wkt, const std::string& crs);
  const OGRSpatialReference& wgs84() const { return *wgs84_; }

 private:
  std::unique_ptr<OGRSpatialReference> wgs84_;
  std::map<std::string, std::unique_ptr<OGRCoordinateTransformation>> cache_;
};

}  // namespace emitrace::inventory::geo
