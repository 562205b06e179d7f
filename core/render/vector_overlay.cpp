#include "core/render/vector_overlay.h"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/render/coordinates.h"

namespace emitrace::render {

namespace {

void addRing(const OGRSimpleCurve& curve, std::vector<std::vector<MapPoint>>& parts) {
  std::vector<MapPoint> pts;
  pts.reserve(curve.getNumPoints());
  for (int i = 0; i < curve.getNumPoints(); ++i) pts.push_back({curve.getX(i), curve.getY(i)});
  parts.push_back(std::move(pts));
}

// Flattens a (linear) geometry into the feature's parts; returns false for
// a geometry type the overlay does not draw.
bool collect(const OGRGeometry& g, OverlayFeature& f) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint: {
      const auto& p = *g.toPoint();
      f.kind = OverlayGeometry::Point;
      if (f.parts.empty()) f.parts.emplace_back();
      f.parts.front().push_back({p.getX(), p.getY()});
      return true;
    }
    case wkbLineString:
      f.kind = OverlayGeometry::Line;
      addRing(*g.toLineString(), f.parts);
      return true;
    case wkbPolygon: {
      f.kind = OverlayGeometry::Polygon;
      for (const OGRLinearRing* ring : *g.toPolygon()) addRing(*ring, f.parts);
      return true;
    }
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      bool any = false;
      for (const OGRGeometry* part : *g.toGeometryCollection()) any = collect(*part, f) || any;
      return any;
    }
    default:
      return false;
  }
}

Bounds boundsOf(const std::vector<std::vector<MapPoint>>& parts) {
  Bounds b{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (const auto& part : parts)
    for (const MapPoint& p : part) {
      b.minX = std::min(b.minX, p.x);
      b.maxX = std::max(b.maxX, p.x);
      b.minY = std::min(b.minY, p.y);
      b.maxY = std::max(b.maxY, p.y);
    }
  return b;
}

std::string wktOf(const OGRSpatialReference* srs) {
  if (!srs) return {};
  char* wkt = nullptr;
  srs->exportToWkt(&wkt);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

}  // namespace

OverlayGeometry VectorOverlay::dominantKind() const {
  int counts[3] = {0, 0, 0};
  for (const auto& f : features) ++counts[static_cast<int>(f.kind)];
  return static_cast<OverlayGeometry>(std::max_element(counts, counts + 3) - counts);
}

std::vector<std::string> vectorLayerNames(const std::string& path) {
  GDALDatasetUniquePtr ds = raster::openVector(path);
  std::vector<std::string> names;
  for (OGRLayer* layer : ds->GetLayers()) names.push_back(layer->GetName());
  return names;
}

VectorOverlay loadVectorOverlay(const std::string& path, const std::string& layerName,
                                const std::string& mapCrsWkt) {
  GDALDatasetUniquePtr ds = raster::openVector(path);
  OGRLayer* layer = layerName.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layerName.c_str());
  if (!layer) throw InputError("layer '" + layerName + "' not found in '" + path + "'");
  VectorOverlay overlay;
  overlay.path = path;
  overlay.layerName = layer->GetName();
  overlay.sourceCrsWkt = wktOf(layer->GetSpatialRef());

  std::unique_ptr<OGRCoordinateTransformation> ct;
  if (!mapCrsWkt.empty() && !overlay.sourceCrsWkt.empty() && !sameCrs(overlay.sourceCrsWkt, mapCrsWkt)) {
    OGRSpatialReference from, to;
    from.importFromWkt(overlay.sourceCrsWkt.c_str());
    to.importFromWkt(mapCrsWkt.c_str());
    from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    to.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    raster::GdalErrorCapture errors;
    ct.reset(OGRCreateCoordinateTransformation(&from, &to));
    if (!ct) {
      throw InputError("cannot reproject '" + path + "' from " +
                       raster::crsDisplayName(overlay.sourceCrsWkt) + " to the map's " +
                       raster::crsDisplayName(mapCrsWkt) + errors.suffix());
    }
  }
  // A file without a CRS is taken to be in the map's CRS (as QGIS does).

  raster::GdalErrorCapture quiet;  // per-feature transformation failures are counted, not fatal
  Bounds all{INFINITY, INFINITY, -INFINITY, -INFINITY};
  layer->ResetReading();
  for (auto& feature : *layer) {
    const OGRGeometry* g = feature->GetGeometryRef();
    if (!g || g->IsEmpty()) {
      ++overlay.skippedFeatures;
      continue;
    }
    std::unique_ptr<OGRGeometry> linear(g->hasCurveGeometry() ? g->getLinearGeometry() : g->clone());
    if (ct && linear->transform(ct.get()) != OGRERR_NONE) {
      ++overlay.skippedFeatures;
      continue;
    }
    OverlayFeature f;
    f.fid = feature->GetFID();
    if (!collect(*linear, f) || f.parts.empty()) {
      ++overlay.skippedFeatures;
      continue;
    }
    f.bounds = boundsOf(f.parts);
    all.minX = std::min(all.minX, f.bounds.minX);
    all.minY = std::min(all.minY, f.bounds.minY);
    all.maxX = std::max(all.maxX, f.bounds.maxX);
    all.maxY = std::max(all.maxY, f.bounds.maxY);
    overlay.features.push_back(std::move(f));
  }
  if (!overlay.features.empty()) overlay.bounds = all;
  return overlay;
}

VectorStyle defaultVectorStyle(int index) {
  // Saturated hues that stand out on satellite imagery.
  static const Rgba kPalette[] = {{255, 0, 255, 255}, {0, 255, 255, 255}, {255, 255, 0, 255},
                                  {255, 128, 0, 255}, {0, 255, 64, 255},  {255, 64, 64, 255}};
  VectorStyle s;
  const Rgba c = kPalette[static_cast<size_t>(std::abs(index)) % (sizeof kPalette / sizeof kPalette[0])];
  s.stroke = c;
  s.fill = {c.r, c.g, c.b, 40};
  return s;
}

}  // namespace emitrace::render
