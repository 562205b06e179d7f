#pragma once
// Coordinate reference systems for display: comparing CRSs, transforming
// points and geometries between the map CRS and a layer's CRS, lon/lat for
// the status bar, and the map scale.
#include <memory>
#include <string>
#include <vector>

#include "core/render/viewport.h"

namespace emitrace::render {

// True if both WKTs describe the same CRS (axis-order conventions aside).
// Two empty strings are the same; empty and non-empty are not.
bool sameCrs(const std::string& wktA, const std::string& wktB);
bool isGeographic(const std::string& wkt);
// WKT of WGS 84 (EPSG:4326).
std::string wgs84Wkt();
// WKT of any user CRS definition ("EPSG:32633", WKT, PROJ).
std::string crsWktFrom(const std::string& definition);

// Transforms points from one CRS to another (lon/lat order for geographic
// CRSs). Construction throws InputError if either CRS is empty or PROJ has
// no transformation between them. Not thread-safe: one per thread.
class CrsTransform {
 public:
  CrsTransform(const std::string& fromWkt, const std::string& toWkt);
  ~CrsTransform();
  CrsTransform(CrsTransform&&) noexcept;
  CrsTransform& operator=(CrsTransform&&) noexcept;

  // False (points unchanged) where the transformation is undefined.
  bool apply(double& x, double& y) const;
  // Transforms in place; returns how many points failed (left unchanged).
  int apply(std::vector<MapPoint>& points) const;
  // Bounds of `b` after transformation, from points along its edges.
  Bounds apply(const Bounds& b, int samplesPerEdge = 21) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A WKT geometry in `fromWkt` re-expressed in `toWkt` (unchanged if the
// CRSs are the same). Throws InputError for unreadable WKT or a failed
// transformation.
std::string transformGeometryWkt(const std::string& geometryWkt, const std::string& fromWkt,
                                 const std::string& toWkt);

// What one map unit is on the ground, read once per map CRS so the status
// bar does not parse WKT on every mouse move.
struct MapUnits {
  bool known = false;        // false for pixel coordinates (no CRS) or an unknown unit
  bool geographic = false;   // degrees: metres per unit depend on latitude
  double metresPerUnit = 0;  // projected CRSs
};
MapUnits mapUnitsOf(const std::string& crsWkt);

// The map scale denominator (1 : N) for a view showing unitsPerPixel on a
// screen of `dpi`. Geographic CRSs are converted at the given latitude.
// Returns 0 for a CRS without a known unit (pixel coordinates).
double scaleDenominator(double unitsPerPixel, const MapUnits& units, double latitudeDeg, double dpi = 96);
double scaleDenominator(double unitsPerPixel, const std::string& crsWkt, double latitudeDeg, double dpi = 96);

}  // namespace emitrace::render
