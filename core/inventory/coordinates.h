#pragma once
// Point coordinates between longitude/latitude (EPSG:4326) and another CRS,
// for front ends that place or locate things on a scan grid (the demo, the
// app's "zoom to facility") without including GDAL.
#include <array>
#include <string>

namespace emitrace::inventory {

// {x, y} in `crs` (any definition GDAL accepts) of a lon/lat point. Throws
// InputError for an unknown CRS or a point it cannot transform.
std::array<double, 2> fromLonLat(double lon, double lat, const std::string& crs);
// {lon, lat} of a point given in `crs`.
std::array<double, 2> toLonLat(double x, double y, const std::string& crs);

}  // namespace emitrace::inventory
