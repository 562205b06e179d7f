#pragma once
// Area of interest: where on a grid to work. Users give it as
//   "whole" (or nothing)                 the whole raster
//   "minx,miny,maxx,maxy[,CRS]"          a box, in the grid's CRS unless a
//                                        CRS ("EPSG:4326") is appended
//   "POLYGON((...))" / "MULTIPOLYGON"    WKT in the grid's CRS
//   "EPSG:4326;POLYGON((...))"           WKT in a stated CRS (also "SRID=4326;...")
//   a vector file path                   union of its polygons (any OGR format;
//                                        "file.gpkg|layername=x" picks a layer)
// and it is always transformed into the grid's CRS and clipped to the grid.
#include <memory>
#include <string>

#include "core/raster/grid.h"

class OGRGeometry;

namespace emitrace::raster {

class Aoi {
 public:
  // The whole grid.
  Aoi();
  ~Aoi();
  Aoi(const Aoi& other);
  Aoi& operator=(const Aoi& other);
  Aoi(Aoi&&) noexcept;
  Aoi& operator=(Aoi&&) noexcept;

  bool isWhole() const;
  // In the grid's CRS. For the whole grid: the grid's bounds.
  Bounds bounds() const;
  // Polygon area in the grid's CRS units (squared).
  double area() const;
  // WKT of the AOI polygon(s) in the grid's CRS.
  std::string wkt() const;
  // What the user gave, for messages and provenance.
  const std::string& description() const;

  // True if the polygon (WKT, grid CRS) shares area with the AOI (touching
  // along an edge or at a corner does not count). Uses a prepared geometry so
  // millions of tile tests stay fast.
  bool intersects(const std::string& polygonWkt) const;
  bool intersects(const Bounds& box) const;

  // Parses `spec` (see above) against `grid`. Throws InputError for a spec it
  // cannot read, a CRS it cannot transform, a zero-area AOI, or an AOI that
  // does not overlap the grid.
  static Aoi parse(const std::string& spec, const GridSpec& grid);

 private:
  bool meetsInterior(const OGRGeometry& polygon) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emitrace::raster
