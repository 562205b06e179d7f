#include "core/render/coordinates.h"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <cmath>

#include "core/error.h"
#include "core/raster/gdal_util.h"

namespace emitrace::render {

namespace {

OGRSpatialReference fromWkt(const std::string& wkt) {
  raster::ensureGdal();
  OGRSpatialReference srs;
  raster::GdalErrorCapture errors;
  if (srs.importFromWkt(wkt.c_str()) != OGRERR_NONE) {
    throw InputError("cannot read the coordinate reference system '" + wkt.substr(0, 80) + "'" +
                     errors.suffix());
  }
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

}  // namespace

bool sameCrs(const std::string& wktA, const std::string& wktB) {
  if (wktA.empty() || wktB.empty()) return wktA.empty() && wktB.empty();
  if (wktA == wktB) return true;
  const OGRSpatialReference a = fromWkt(wktA), b = fromWkt(wktB);
  const char* const options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", nullptr};
  return a.IsSame(&b, options) != 0;
}

bool isGeographic(const std::string& wkt) { return !wkt.empty() && fromWkt(wkt).IsGeographic(); }

std::string crsWktFrom(const std::string& definition) {
  OGRSpatialReference srs = raster::spatialReferenceFrom(definition);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

std::string wgs84Wkt() {
  static const std::string wkt = crsWktFrom("EPSG:4326");
  return wkt;
}

struct CrsTransform::Impl {
  OGRSpatialReference from, to;
  std::unique_ptr<OGRCoordinateTransformation> ct;
};

CrsTransform::CrsTransform(const std::string& fromWktText, const std::string& toWktText)
    : impl_(std::make_unique<Impl>()) {
  if (fromWktText.empty() || toWktText.empty()) {
    throw InputError("cannot transform coordinates: a layer has no coordinate reference system");
  }
  impl_->from = fromWkt(fromWktText);
  impl_->to = fromWkt(toWktText);
  raster::GdalErrorCapture errors;
  impl_->ct.reset(OGRCreateCoordinateTransformation(&impl_->from, &impl_->to));
  if (!impl_->ct) {
    throw InputError("no coordinate transformation from " + raster::crsDisplayName(fromWktText) + " to " +
                     raster::crsDisplayName(toWktText) + errors.suffix());
  }
}

CrsTransform::~CrsTransform() = default;
CrsTransform::CrsTransform(CrsTransform&&) noexcept = default;
CrsTransform& CrsTransform::operator=(CrsTransform&&) noexcept = default;

bool CrsTransform::apply(double& x, double& y) const {
  double tx = x, ty = y;
  raster::GdalErrorCapture quiet;  // out-of-domain points are expected near poles and edges
  if (!impl_->ct->Transform(1, &tx, &ty) || !std::isfinite(tx) || !std::isfinite(ty)) return false;
  x = tx;
  y = ty;
  return true;
}

int CrsTransform::apply(std::vector<MapPoint>& points) const {
  if (points.empty()) return 0;
  std::vector<double> xs(points.size()), ys(points.size());
  std::vector<int> ok(points.size(), 0);
  for (size_t i = 0; i < points.size(); ++i) {
    xs[i] = points[i].x;
    ys[i] = points[i].y;
  }
  raster::GdalErrorCapture quiet;
  impl_->ct->Transform(static_cast<int>(points.size()), xs.data(), ys.data(), nullptr, ok.data());
  int failed = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    if (ok[i] && std::isfinite(xs[i]) && std::isfinite(ys[i])) {
      points[i] = {xs[i], ys[i]};
    } else {
      ++failed;
    }
  }
  return failed;
}

Bounds CrsTransform::apply(const Bounds& b, int samplesPerEdge) const {
  std::vector<MapPoint> pts;
  for (int i = 0; i < samplesPerEdge; ++i) {
    const double t = static_cast<double>(i) / (samplesPerEdge - 1);
    pts.push_back({b.minX + t * b.width(), b.minY});
    pts.push_back({b.minX + t * b.width(), b.maxY});
    pts.push_back({b.minX, b.minY + t * b.height()});
    pts.push_back({b.maxX, b.minY + t * b.height()});
  }
  std::vector<MapPoint> moved = pts;
  apply(moved);
  Bounds out{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < moved.size(); ++i) {
    if (moved[i].x == pts[i].x && moved[i].y == pts[i].y) continue;  // failed point
    out.minX = std::min(out.minX, moved[i].x);
    out.maxX = std::max(out.maxX, moved[i].x);
    out.minY = std::min(out.minY, moved[i].y);
    out.maxY = std::max(out.maxY, moved[i].y);
  }
  return out;
}

std::string transformGeometryWkt(const std::string& geometryWkt, const std::string& fromWktText,
                                 const std::string& toWktText) {
  if (sameCrs(fromWktText, toWktText)) return geometryWkt;
  raster::ensureGdal();
  OGRGeometry* g = nullptr;
  raster::GdalErrorCapture errors;
  if (OGRGeometryFactory::createFromWkt(geometryWkt.c_str(), nullptr, &g) != OGRERR_NONE || !g) {
    throw InputError("cannot read the geometry WKT '" + geometryWkt.substr(0, 80) + "'" + errors.suffix());
  }
  std::unique_ptr<OGRGeometry> geometry(g);
  if (fromWktText.empty() || toWktText.empty()) {
    throw InputError("cannot transform a geometry: a layer has no coordinate reference system");
  }
  OGRSpatialReference from = fromWkt(fromWktText), to = fromWkt(toWktText);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&from, &to));
  if (!ct || geometry->transform(ct.get()) != OGRERR_NONE) {
    throw InputError("cannot transform a geometry from " + raster::crsDisplayName(fromWktText) + " to " +
                     raster::crsDisplayName(toWktText) + errors.suffix());
  }
  return geometry->exportToWkt();
}

MapUnits mapUnitsOf(const std::string& crsWkt) {
  MapUnits units;
  if (crsWkt.empty()) return units;
  const OGRSpatialReference srs = fromWkt(crsWkt);
  if (srs.IsGeographic()) {
    units.known = true;
    units.geographic = true;
    return units;
  }
  units.metresPerUnit = srs.GetLinearUnits(nullptr);
  units.known = units.metresPerUnit > 0;
  return units;
}

double scaleDenominator(double unitsPerPixel, const MapUnits& units, double latitudeDeg, double dpi) {
  if (!units.known || !(unitsPerPixel > 0) || !(dpi > 0)) return 0;
  double metresPerUnit = units.metresPerUnit;
  if (units.geographic) {
    // Metres per degree of longitude at this latitude on the WGS 84 sphere
    // approximation; good to a percent for a status-bar scale.
    const double kMetresPerDegree = 111319.49;
    metresPerUnit = kMetresPerDegree * std::cos(latitudeDeg * M_PI / 180.0);
  }
  if (!(metresPerUnit > 0)) return 0;
  const double metresPerScreenPixel = unitsPerPixel * metresPerUnit;
  const double screenMetresPerPixel = 0.0254 / dpi;
  return metresPerScreenPixel / screenMetresPerPixel;
}

double scaleDenominator(double unitsPerPixel, const std::string& crsWkt, double latitudeDeg, double dpi) {
  return scaleDenominator(unitsPerPixel, mapUnitsOf(crsWkt), latitudeDeg, dpi);
}

}  // namespace emitrace::render
