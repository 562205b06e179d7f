#pragma once
// The tile grid a scan walks: fixed-size patches laid on a raster grid,
// restricted to an area of interest.
//
// Tiles sit on a lattice anchored at the raster's pixel (0, 0) with a fixed
// stride (patch - overlap), so a tile's id = row * latticeCols + col does not
// depend on the AOI: the same place gets the same id in every run, which is
// what lets detections from overlapping runs and from shards of one scan be
// merged. Tiles come in row-major order of their ids.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/raster/aoi.h"
#include "core/raster/grid.h"

namespace emitrace::raster {

// A length given in pixels or in metres ("72px", "720m", "72").
struct Length {
  enum class Unit { Pixels, Metres };
  double value = 0;
  Unit unit = Unit::Pixels;
  // "72px" / "72" -> pixels, "720m" -> metres. Throws InputError.
  static Length parse(const std::string& text);
  std::string toString() const;
};

// Overlap between neighbouring tiles: a fraction of the patch ("0.25") or a
// length ("16px", "160m").
struct Overlap {
  bool isFraction = true;
  double fraction = 0.0;
  Length length;
  static Overlap parse(const std::string& text);
  std::string toString() const;
};

// What to do where the lattice runs past the raster's right/bottom edge.
//   Shift: move the last tile inward so it ends at the edge (no padding; it
//          overlaps its neighbour more). Rasters smaller than one patch are
//          padded instead.
//   Pad:   keep the lattice; the last tile reaches past the edge and readers
//          fill the outside as invalid.
//   Drop:  leave out tiles that would reach past the edge.
enum class EdgePolicy { Shift, Pad, Drop };
EdgePolicy parseEdgePolicy(const std::string& text);
std::string toString(EdgePolicy policy);

struct TileGridOptions {
  Length patch{72, Length::Unit::Pixels};
  Overlap overlap;  // default: none
  EdgePolicy edge = EdgePolicy::Shift;

  // Throws InputError for a non-positive patch or an overlap >= the patch.
  void validate() const;
  nlohmann::json toJson() const;
};

struct Tile {
  std::int64_t id = 0;   // row * latticeCols + col
  int row = 0;           // lattice row / column
  int col = 0;
  Window window;         // pixel window on the grid (may pass the edge with Pad)
};

struct TileGrid {
  GridSpec grid;
  int patchWidthPx = 0;
  int patchHeightPx = 0;
  int strideXPx = 0;
  int strideYPx = 0;
  int latticeRows = 0;
  int latticeCols = 0;
  EdgePolicy edge = EdgePolicy::Shift;
  std::vector<Tile> tiles;  // in id order, only those meeting the AOI

  // Footprint of a tile as a WKT polygon in the grid's CRS.
  std::string footprintWkt(const Tile& t) const { return grid.footprintWkt(t.window); }
  Bounds bounds(const Tile& t) const { return grid.bounds(t.window); }
};

// Lays the tile grid over `aoi` on `grid`. Patch and overlap in metres need a
// projected grid with metre units. Throws InputError for bad options, a
// patch larger than the raster with EdgePolicy::Drop, or no tile meeting the
// AOI.
TileGrid makeTileGrid(const GridSpec& grid, const Aoi& aoi, const TileGridOptions& options);

}  // namespace emitrace::raster
