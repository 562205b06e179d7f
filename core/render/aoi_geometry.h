#pragma once
// Areas of interest drawn or loaded on the map, as WKT polygons in the map
// CRS, and their hand-over to the core's Aoi (which works in a raster's
// grid CRS).
#include <string>
#include <vector>

#include "core/render/viewport.h"

namespace emitrace::render {

// A closed POLYGON from the corners of a dragged rectangle (any two opposite
// corners). Throws InputError for a zero-area rectangle.
std::string rectanglePolygonWkt(const MapPoint& a, const MapPoint& b);

// A closed POLYGON from clicked vertices (not repeating the first). Throws
// InputError for fewer than three distinct vertices, zero area, or a
// boundary that crosses itself.
std::string polygonWkt(const std::vector<MapPoint>& vertices);

// The union of the polygons of a vector file ("file.gpkg|layername=x" picks a
// layer) in `mapCrsWkt` ("" = the file's own coordinates). Throws InputError
// if there are no polygons.
std::string aoiWktFromVectorFile(const std::string& spec, const std::string& mapCrsWkt);

// Rings of a (multi)polygon WKT for drawing: every exterior and interior
// ring. Throws InputError for unreadable WKT.
std::vector<std::vector<MapPoint>> polygonRings(const std::string& wkt);

// Area of a (multi)polygon WKT in squared CRS units.
double polygonArea(const std::string& wkt);

}  // namespace emitrace::render
