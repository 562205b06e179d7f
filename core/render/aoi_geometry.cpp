#include "core/render/aoi_geometry.h"

#include <ogrsf_frmts.h>

#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/render/coordinates.h"

namespace emitrace::render {

namespace {

std::unique_ptr<OGRGeometry> parseWkt(const std::string& wkt) {
  raster::ensureGdal();
  OGRGeometry* g = nullptr;
  raster::GdalErrorCapture errors;
  if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE || !g) {
    throw InputError("cannot read the polygon WKT '" + wkt.substr(0, 80) + "'" + errors.suffix());
  }
  return std::unique_ptr<OGRGeometry>(g);
}

double surfaceArea(const OGRGeometry& g) {
  if (const auto* s = dynamic_cast<const OGRSurface*>(&g)) return s->get_Area();
  if (const auto* c = dynamic_cast<const OGRGeometryCollection*>(&g)) {
    double total = 0;
    for (const OGRGeometry* part : c) total += surfaceArea(*part);
    return total;
  }
  return 0;
}

}  // namespace

std::string rectanglePolygonWkt(const MapPoint& a, const MapPoint& b) {
  const double x0 = std::min(a.x, b.x), x1 = std::max(a.x, b.x);
  const double y0 = std::min(a.y, b.y), y1 = std::max(a.y, b.y);
  if (!(x1 > x0 && y1 > y0)) throw InputError("the rectangle has no area; drag out two opposite corners");
  return polygonWkt({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
}

std::string polygonWkt(const std::vector<MapPoint>& vertices) {
  raster::ensureGdal();
  std::vector<MapPoint> v;
  for (const MapPoint& p : vertices) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
      throw InputError("a polygon vertex is not a finite coordinate");
    if (v.empty() || v.back().x != p.x || v.back().y != p.y) v.push_back(p);
  }
  if (v.size() > 1 && v.front().x == v.back().x && v.front().y == v.back().y) v.pop_back();
  if (v.size() < 3) {
    throw InputError("a polygon needs at least three distinct vertices (got " + std::to_string(v.size()) +
                     ")");
  }
  bool collinear = true;
  for (size_t i = 2; i < v.size() && collinear; ++i) {
    const double cross = (v[1].x - v[0].x) * (v[i].y - v[0].y) - (v[1].y - v[0].y) * (v[i].x - v[0].x);
    collinear = cross == 0;
  }
  if (collinear) throw InputError("the polygon has no area: its vertices lie on one line");
  auto ring = std::make_unique<OGRLinearRing>();
  for (const MapPoint& p : v) ring->addPoint(p.x, p.y);
  ring->closeRings();
  OGRPolygon polygon;
  polygon.addRingDirectly(ring.release());
  raster::GdalErrorCapture quiet;
  if (!polygon.IsValid()) {
    throw InputError("the polygon's boundary crosses itself; redraw it without crossing edges");
  }
  if (!(polygon.get_Area() > 0)) throw InputError("the polygon has no area");
  return polygon.exportToWkt();
}

std::string aoiWktFromVectorFile(const std::string& spec, const std::string& mapCrsWkt) {
  std::string path = spec, layerName;
  if (auto bar = spec.find("|layername="); bar != std::string::npos) {
    path = spec.substr(0, bar);
    layerName = spec.substr(bar + 11);
  }
  GDALDatasetUniquePtr ds = raster::openVector(path);
  OGRLayer* layer = layerName.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layerName.c_str());
  if (!layer) throw InputError("layer '" + layerName + "' not found in '" + path + "'");
  auto polygons = std::make_unique<OGRMultiPolygon>();
  for (auto& feature : *layer) {
    const OGRGeometry* g = feature->GetGeometryRef();
    if (!g || g->IsEmpty()) continue;
    std::unique_ptr<OGRGeometry> linear(g->hasCurveGeometry() ? g->getLinearGeometry() : g->clone());
    const auto type = wkbFlatten(linear->getGeometryType());
    if (type == wkbPolygon) {
      polygons->addGeometry(linear.get());
    } else if (type == wkbMultiPolygon) {
      for (const OGRPolygon* p : *linear->toMultiPolygon()) polygons->addGeometry(p);
    }
  }
  if (polygons->IsEmpty())
    throw InputError("'" + spec + "' has no polygon features to use as an area of interest");
  raster::GdalErrorCapture errors;
  std::unique_ptr<OGRGeometry> merged(polygons->UnionCascaded());
  if (!merged) throw InputError("cannot merge the polygons of '" + spec + "' into one AOI" + errors.suffix());
  std::string wkt = merged->exportToWkt();
  std::string layerCrs;
  if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
    char* text = nullptr;
    srs->exportToWkt(&text);
    layerCrs = text ? text : "";
    CPLFree(text);
  }
  if (!mapCrsWkt.empty() && !layerCrs.empty()) wkt = transformGeometryWkt(wkt, layerCrs, mapCrsWkt);
  return wkt;
}

std::vector<std::vector<MapPoint>> polygonRings(const std::string& wkt) {
  auto g = parseWkt(wkt);
  std::vector<std::vector<MapPoint>> rings;
  const auto addPolygon = [&](const OGRPolygon& p) {
    for (const OGRLinearRing* ring : p) {
      std::vector<MapPoint> pts;
      for (int i = 0; i < ring->getNumPoints(); ++i) pts.push_back({ring->getX(i), ring->getY(i)});
      rings.push_back(std::move(pts));
    }
  };
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon) {
    addPolygon(*g->toPolygon());
  } else if (type == wkbMultiPolygon) {
    for (const OGRPolygon* p : *g->toMultiPolygon()) addPolygon(*p);
  } else {
    throw InputError("expected a POLYGON or MULTIPOLYGON, got " + std::string(g->getGeometryName()));
  }
  return rings;
}

double polygonArea(const std::string& wkt) { return surfaceArea(*parseWkt(wkt)); }

}  // namespace emitrace::render
