#pragma once
// Vector files drawn over the map: GeoPackage, GeoJSON, Shapefile, KML, ...
// Features are read once through OGR, transformed into the map CRS and kept
// as plain coordinate lists, so the map view can cull and draw them without
// touching GDAL on the UI thread.
#include <cstdint>
#include <string>
#include <vector>

#include "core/render/colour_ramp.h"
#include "core/render/viewport.h"

namespace emitrace::render {

enum class OverlayGeometry { Point, Line, Polygon };

struct OverlayFeature {
  OverlayGeometry kind = OverlayGeometry::Polygon;
  // Polygon: all rings of all parts (exterior and holes; draw with an
  // odd-even fill). Line: one list per part. Point: one list with every point.
  std::vector<std::vector<MapPoint>> parts;
  Bounds bounds;
  std::int64_t fid = 0;
};

struct VectorOverlay {
  std::string path;
  std::string layerName;
  std::string sourceCrsWkt;  // the layer's own CRS ("" if it has none)
  std::vector<OverlayFeature> features;
  Bounds bounds;                     // map CRS; empty if no features
  std::int64_t skippedFeatures = 0;  // no geometry, or not transformable
  OverlayGeometry dominantKind() const;
};

// Layer names of a vector file (one entry for single-layer formats).
std::vector<std::string> vectorLayerNames(const std::string& path);

// Reads one layer ("" = the first) into `mapCrsWkt` ("" = keep the layer's
// coordinates). A layer without a CRS on a map with one is taken to be in the
// map CRS. Throws InputError/IoError for unreadable files, a missing layer,
// or a CRS that cannot be transformed.
VectorOverlay loadVectorOverlay(const std::string& path, const std::string& layerName,
                                const std::string& mapCrsWkt);

// How an overlay is drawn.
struct VectorStyle {
  Rgba stroke{255, 0, 255, 255};
  Rgba fill{255, 0, 255, 40};
  double strokeWidthPx = 1.5;
  double pointSizePx = 7;
};

// A distinct default style for the n-th overlay opened.
VectorStyle defaultVectorStyle(int index);

}  // namespace emitrace::render
