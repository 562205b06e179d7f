#include "core/inventory/geo.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/raster/gdal_util.h"

namespace emitrace::inventory::geo {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;
constexpr double kAuthalicRadius = 6371007.181;  // m, WGS84 authalic sphere
constexpr double kMetresPerDegree = kAuthalicRadius * kDeg;

Ring ringOf(const OGRLinearRing& r) {
  Ring ring;
  const int n = r.getNumPoints();
  ring.reserve(n);
  for (int i = 0; i < n; ++i) ring.push_back({r.getX(i), r.getY(i)});
  // Drop the closing point: edges wrap around implicitly.
  if (ring.size() > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y) {
    ring.pop_back();
  }
  return ring;
}

void collect(const OGRGeometry& g, Shape& out) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon: {
      const auto& poly = *g.toPolygon();
      if (poly.IsEmpty()) return;
      Polygon p;
      p.rings.push_back(ringOf(*poly.getExteriorRing()));
      for (int i = 0; i < poly.getNumInteriorRings(); ++i) {
        p.rings.push_back(ringOf(*poly.getInteriorRing(i)));
      }
      out.push_back(std::move(p));
      return;
    }
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      const auto& c = *g.toGeometryCollection();
      for (int i = 0; i < c.getNumGeometries(); ++i) collect(*c.getGeometryRef(i), out);
      return;
    }
    default: return;
  }
}

double cross(XY o, XY a, XY b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

int orientation(XY o, XY a, XY b) {
  const double c = cross(o, a, b);
  return c > 0 ? 1 : (c < 0 ? -1 : 0);
}

bool onSegment(XY p, XY a, XY b) {
  return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
         p.y <= std::max(a.y, b.y);
}

bool segmentsIntersect(XY a, XY b, XY c, XY d) {
  const int o1 = orientation(a, b, c), o2 = orientation(a, b, d);
  const int o3 = orientation(c, d, a), o4 = orientation(c, d, b);
  if (o1 != o2 && o3 != o4) return true;
  if (o1 == 0 && onSegment(c, a, b)) return true;
  if (o2 == 0 && onSegment(d, a, b)) return true;
  if (o3 == 0 && onSegment(a, c, d)) return true;
  if (o4 == 0 && onSegment(b, c, d)) return true;
  return false;
}

double pointSegmentDistance(XY p, XY a, XY b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double qx = a.x + t * dx - p.x, qy = a.y + t * dy - p.y;
  return std::sqrt(qx * qx + qy * qy);
}

template <typename F>
void forEachEdge(const Shape& s, F&& f) {
  for (const auto& poly : s) {
    for (const auto& ring : poly.rings) {
      const size_t n = ring.size();
      for (size_t i = 0; i < n; ++i) f(ring[i], ring[(i + 1) % n]);
    }
  }
}

// Even-odd crossing test over every ring (holes included).
bool insideEvenOdd(const Polygon& poly, XY p) {
  bool inside = false;
  for (const auto& ring : poly.rings) {
    const size_t n = ring.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
      const XY a = ring[i], b = ring[j];
      if ((a.y > p.y) != (b.y > p.y)) {
        const double x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
        if (p.x < x) inside = !inside;
      }
    }
  }
  return inside;
}

double signedArea(const Ring& r) {
  double a = 0;
  const size_t n = r.size();
  for (size_t i = 0; i < n; ++i) {
    const XY p = r[i], q = r[(i + 1) % n];
    a += p.x * q.y - q.x * p.y;
  }
  return a / 2;
}

// Centroid of a ring times its signed area, relative to an origin (keeps
// the sums well conditioned far from 0,0).
XY weightedCentroid(const Ring& r, XY origin, double& signedA) {
  double a = 0, cx = 0, cy = 0;
  const size_t n = r.size();
  for (size_t i = 0; i < n; ++i) {
    const double px = r[i].x - origin.x, py = r[i].y - origin.y;
    const double qx = r[(i + 1) % n].x - origin.x, qy = r[(i + 1) % n].y - origin.y;
    const double c = px * qy - qx * py;
    a += c;
    cx += (px + qx) * c;
    cy += (py + qy) * c;
  }
  signedA = a / 2;
  return {cx / 6, cy / 6};  // = centroid * signedA
}

}  // namespace

Shape shapeOf(const OGRGeometry& geometry) {
  Shape s;
  collect(geometry, s);
  return s;
}

Box boxOf(const Shape& shape) {
  Box b{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (const auto& poly : shape) {
    for (const auto& ring : poly.rings) {
      for (const auto& p : ring) {
        b.minX = std::min(b.minX, p.x);
        b.minY = std::min(b.minY, p.y);
        b.maxX = std::max(b.maxX, p.x);
        b.maxY = std::max(b.maxY, p.y);
      }
    }
  }
  return b;
}

bool contains(const Shape& shape, XY p) {
  for (const auto& poly : shape) {
    if (insideEvenOdd(poly, p)) return true;
  }
  bool onBoundary = false;
  forEachEdge(shape, [&](XY a, XY b) {
    if (!onBoundary && orientation(a, b, p) == 0 && onSegment(p, a, b)) onBoundary = true;
  });
  return onBoundary;
}

bool intersects(const Shape& a, const Shape& b) {
  if (a.empty() || b.empty()) return false;
  if (!boxOf(a).intersects(boxOf(b))) return false;
  bool hit = false;
  forEachEdge(a, [&](XY p, XY q) {
    if (hit) return;
    forEachEdge(b, [&](XY r, XY s) {
      if (!hit && segmentsIntersect(p, q, r, s)) hit = true;
    });
  });
  if (hit) return true;
  // No edges cross: either disjoint or one lies inside the other.
  for (const auto& poly : a) {
    if (!poly.rings.empty() && !poly.rings[0].empty() && contains(b, poly.rings[0][0])) return true;
  }
  for (const auto& poly : b) {
    if (!poly.rings.empty() && !poly.rings[0].empty() && contains(a, poly.rings[0][0])) return true;
  }
  return false;
}

double distance(const Shape& shape, XY p) {
  if (contains(shape, p)) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  forEachEdge(shape, [&](XY a, XY b) { best = std::min(best, pointSegmentDistance(p, a, b)); });
  return best;
}

double distance(const Shape& a, const Shape& b) {
  if (intersects(a, b)) return 0.0;
  double best = std::numeric_limits<double>::infinity();
  // Disjoint: the closest pair involves a vertex of one and an edge of the other.
  forEachEdge(a, [&](XY p, XY q) {
    forEachEdge(b, [&](XY r, XY s) {
      best = std::min({best, pointSegmentDistance(p, r, s), pointSegmentDistance(q, r, s),
                       pointSegmentDistance(r, p, q), pointSegmentDistance(s, p, q)});
    });
  });
  return best;
}

double area(const Shape& shape) {
  double total = 0;
  for (const auto& poly : shape) {
    for (size_t i = 0; i < poly.rings.size(); ++i) {
      const double a = std::abs(signedArea(poly.rings[i]));
      total += i == 0 ? a : -a;
    }
  }
  return total;
}

XY centroid(const Shape& shape) {
  const Box box = boxOf(shape);
  const XY origin = box.centre();
  double sumA = 0, sumX = 0, sumY = 0;
  for (const auto& poly : shape) {
    for (size_t i = 0; i < poly.rings.size(); ++i) {
      double signedA = 0;
      const XY w = weightedCentroid(poly.rings[i], origin, signedA);
      if (signedA == 0) continue;
      // Exterior rings add their area, holes subtract theirs, whatever the
      // ring orientation: flip the weighted sums to match |area| * sign.
      const double sign = (i == 0 ? 1.0 : -1.0) * (signedA > 0 ? 1.0 : -1.0);
      sumA += sign * signedA;
      sumX += sign * w.x;
      sumY += sign * w.y;
    }
  }
  if (sumA == 0) return origin;
  return {origin.x + sumX / sumA, origin.y + sumY / sumA};
}

LocalFrame::LocalFrame(double lon0, double lat0)
    : lon0_(lon0), sinLat0_(std::sin(lat0 * kDeg)), cosLat0_(std::cos(lat0 * kDeg)) {}

XY LocalFrame::forward(double lon, double lat) const {
  const double phi = lat * kDeg, dl = (lon - lon0_) * kDeg;
  const double sinPhi = std::sin(phi), cosPhi = std::cos(phi), cosDl = std::cos(dl);
  const double denom = 1 + sinLat0_ * sinPhi + cosLat0_ * cosPhi * cosDl;
  const double k = std::sqrt(2 / std::max(denom, 1e-15));
  return {kAuthalicRadius * k * cosPhi * std::sin(dl),
          kAuthalicRadius * k * (cosLat0_ * sinPhi - sinLat0_ * cosPhi * cosDl)};
}

XY LocalFrame::inverse(double x, double y) const {
  const double rho = std::hypot(x, y);
  if (rho < 1e-9) return {lon0_, std::asin(sinLat0_) / kDeg};
  const double c = 2 * std::asin(std::min(1.0, rho / (2 * kAuthalicRadius)));
  const double sinC = std::sin(c), cosC = std::cos(c);
  const double phi = std::asin(std::clamp(cosC * sinLat0_ + y * sinC * cosLat0_ / rho, -1.0, 1.0));
  const double dl = std::atan2(x * sinC, rho * cosLat0_ * cosC - y * sinLat0_ * sinC);
  return {lon0_ + dl / kDeg, phi / kDeg};
}

Shape LocalFrame::project(const Shape& lonLat) const {
  Shape out = lonLat;
  for (auto& poly : out) {
    for (auto& ring : poly.rings) {
      for (auto& p : ring) p = forward(p.x, p.y);
    }
  }
  return out;
}

double metresToDegreesLat(double metres) { return metres / kMetresPerDegree; }

double metresToDegreesLon(double metres, double lat) {
  const double c = std::max(std::cos(std::min(std::abs(lat), 89.0) * kDeg), 0.01);
  return metres / (kMetresPerDegree * c);
}

bool adjacent(const Shape& a, const Box& boxA, const Shape& b, const Box& boxB,
              double toleranceMetres) {
  const double lat = std::max(std::abs(boxA.minY), std::abs(boxA.maxY));
  // 1% margin: the search box must not miss a pair the metric test accepts.
  const double dLat = metresToDegreesLat(toleranceMetres) * 1.01;
  const double dLon = metresToDegreesLon(toleranceMetres, lat) * 1.01;
  if (!boxA.expanded(dLon, dLat).intersects(boxB)) return false;
  if (intersects(a, b)) return true;
  if (toleranceMetres <= 0) return false;
  const XY c = boxA.centre();
  const LocalFrame frame(c.x, c.y);
  return distance(frame.project(a), frame.project(b)) <= toleranceMetres;
}

GridIndex::GridIndex(double cellDegrees) : cell_(cellDegrees > 0 ? cellDegrees : 0.01) {}

void GridIndex::insert(int item, const Box& box) {
  const auto x0 = static_cast<std::int64_t>(std::floor(box.minX / cell_));
  const auto x1 = static_cast<std::int64_t>(std::floor(box.maxX / cell_));
  const auto y0 = static_cast<std::int64_t>(std::floor(box.minY / cell_));
  const auto y1 = static_cast<std::int64_t>(std::floor(box.maxY / cell_));
  for (auto ix = x0; ix <= x1; ++ix) {
    for (auto iy = y0; iy <= y1; ++iy) cells_[cellKey(ix, iy)].push_back(item);
  }
}

void GridIndex::query(const Box& box, std::vector<int>& out) const {
  out.clear();
  const auto x0 = static_cast<std::int64_t>(std::floor(box.minX / cell_));
  const auto x1 = static_cast<std::int64_t>(std::floor(box.maxX / cell_));
  const auto y0 = static_cast<std::int64_t>(std::floor(box.minY / cell_));
  const auto y1 = static_cast<std::int64_t>(std::floor(box.maxY / cell_));
  for (auto ix = x0; ix <= x1; ++ix) {
    for (auto iy = y0; iy <= y1; ++iy) {
      auto it = cells_.find(cellKey(ix, iy));
      if (it != cells_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

Wgs84Transformer::Wgs84Transformer()
    : wgs84_(std::make_unique<OGRSpatialReference>(raster::spatialReferenceFrom("EPSG:4326"))) {}

Wgs84Transformer::~Wgs84Transformer() = default;

std::unique_ptr<OGRGeometry> Wgs84Transformer::toWgs84(const std::string& wkt, const std::string& crs) {
  OGRGeometry* raw = nullptr;
  raster::GdalErrorCapture errors;
  if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &raw) != OGRERR_NONE || !raw) {
    throw InputError("geometry is not valid WKT: '" + wkt.substr(0, 80) + "'");
  }
  std::unique_ptr<OGRGeometry> g(raw);
  const bool isWgs84 = crs.empty() || crs == "EPSG:4326";
  if (!isWgs84) {
    auto it = cache_.find(crs);
    if (it == cache_.end()) {
      OGRSpatialReference source = raster::spatialReferenceFrom(crs);
      std::unique_ptr<OGRCoordinateTransformation> ct(
          OGRCreateCoordinateTransformation(&source, wgs84_.get()));
      if (!ct) {
        throw InputError("cannot transform from CRS '" + crs.substr(0, 80) + "' to EPSG:4326" +
                         errors.suffix());
      }
      it = cache_.emplace(crs, std::move(ct)).first;
    }
    if (g->transform(it->second.get()) != OGRERR_NONE) {
      throw InputError("cannot transform a geometry from '" + crs.substr(0, 80) +
                       "' to EPSG:4326 (outside the CRS's area?)" + errors.suffix());
    }
  }
  g->assignSpatialReference(wgs84_.get());
  return g;
}

}  // namespace emitrace::inventory::geo
