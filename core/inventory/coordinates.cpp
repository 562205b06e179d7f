#include "core/inventory/coordinates.h"

#include <ogr_spatialref.h>

#include <memory>

#include "core/error.h"
#include "core/raster/gdal_util.h"

namespace emitrace::inventory {
namespace {

std::array<double, 2> transform(double x, double y, const std::string& from, const std::string& to) {
  const OGRSpatialReference source = raster::spatialReferenceFrom(from);
  const OGRSpatialReference target = raster::spatialReferenceFrom(to);
  raster::GdalErrorCapture errors;
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&source, &target));
  if (!ct || !ct->Transform(1, &x, &y)) {
    throw InputError("cannot transform the point (" + std::to_string(x) + ", " + std::to_string(y) +
                     ") from " + from.substr(0, 60) + " to " + to.substr(0, 60) + errors.suffix());
  }
  return {x, y};
}

}  // namespace

std::array<double, 2> fromLonLat(double lon, double lat, const std::string& crs) {
  return transform(lon, lat, "EPSG:4326", crs);
}

std::array<double, 2> toLonLat(double x, double y, const std::string& crs) {
  return transform(x, y, crs, "EPSG:4326");
}

}  // namespace emitrace::inventory
