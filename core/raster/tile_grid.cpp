#include "core/raster/tile_grid.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"

namespace emitrace::raster {
namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

double parseNumber(const std::string& text, const std::string& what) {
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw InputError("cannot read " + what + " '" + text + "'");
}

std::string formatNumber(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// Metres per unit of the grid's CRS; throws if the grid is not projected in
// a linear unit.
double metresPerUnit(const GridSpec& grid) {
  if (grid.crsWkt.empty()) {
    throw InputError("a patch or overlap in metres needs a georeferenced raster; this one has no "
                     "CRS, so give it in pixels (e.g. 72px)");
  }
  OGRSpatialReference srs;
  srs.importFromWkt(grid.crsWkt.c_str());
  if (!srs.IsProjected()) {
    throw InputError("a patch or overlap in metres needs a projected CRS, but the raster is in " +
                     crsDisplayName(grid.crsWkt) + "; give it in pixels or reproject the raster");
  }
  return srs.GetLinearUnits();
}

int toPixels(const Length& length, double pixelSize, double metresPerUnitValue, const std::string& what) {
  if (length.unit == Length::Unit::Pixels) return static_cast<int>(std::llround(length.value));
  const double px = length.value / (pixelSize * metresPerUnitValue);
  const long long rounded = std::llround(px);
  if (std::abs(px - rounded) > 1e-3 * std::max(1.0, px)) {
    std::ostringstream msg;
    msg << what << " of " << length.toString() << " is " << px << " pixels at "
        << pixelSize * metresPerUnitValue << " m per pixel, not a whole number; choose a "
        << "multiple of the pixel size or give it in pixels";
    throw InputError(msg.str());
  }
  return static_cast<int>(rounded);
}

// Tile origins along one axis of `size` pixels.
std::vector<int> origins(int size, int patch, int stride, EdgePolicy edge) {
  std::vector<int> out;
  if (size <= patch) {
    if (edge == EdgePolicy::Drop && size < patch) return out;
    out.push_back(0);
    return out;
  }
  for (int o = 0;; o += stride) {
    if (o + patch <= size) {
      out.push_back(o);
      if (o + patch == size) break;
      continue;
    }
    // This tile would pass the edge.
    if (edge == EdgePolicy::Pad) out.push_back(o);
    if (edge == EdgePolicy::Shift) out.push_back(size - patch);
    break;
  }
  return out;
}

}  // namespace

Length Length::parse(const std::string& raw) {
  const std::string text = trim(raw);
  if (endsWith(text, "px")) return {parseNumber(trim(text.substr(0, text.size() - 2)), "length"), Unit::Pixels};
  if (endsWith(text, "km")) return {1000.0 * parseNumber(trim(text.substr(0, text.size() - 2)), "length"), Unit::Metres};
  if (endsWith(text, "m")) return {parseNumber(trim(text.substr(0, text.size() - 1)), "length"), Unit::Metres};
  return {parseNumber(text, "length (e.g. 72px or 720m)"), Unit::Pixels};
}

std::string Length::toString() const {
  return formatNumber(value) + (unit == Unit::Pixels ? "px" : "m");
}

Overlap Overlap::parse(const std::string& raw) {
  const std::string text = trim(raw);
  Overlap o;
  if (text.empty()) return o;
  if (endsWith(text, "px") || endsWith(text, "m")) {
    o.isFraction = false;
    o.length = Length::parse(text);
    return o;
  }
  o.fraction = parseNumber(text, "overlap (a fraction like 0.25, or 16px, or 160m)");
  if (o.fraction < 0.0 || o.fraction >= 1.0) {
    throw InputError("overlap fraction must be in [0, 1), got " + text);
  }
  return o;
}

std::string Overlap::toString() const {
  return isFraction ? formatNumber(fraction) : length.toString();
}

EdgePolicy parseEdgePolicy(const std::string& text) {
  if (text == "shift") return EdgePolicy::Shift;
  if (text == "pad") return EdgePolicy::Pad;
  if (text == "drop") return EdgePolicy::Drop;
  throw InputError("unknown edge policy '" + text + "' (expected shift, pad or drop)");
}

std::string toString(EdgePolicy policy) {
  switch (policy) {
    case EdgePolicy::Shift: return "shift";
    case EdgePolicy::Pad: return "pad";
    case EdgePolicy::Drop: return "drop";
  }
  return "shift";
}

void TileGridOptions::validate() const {
  if (!(patch.value > 0)) throw InputError("patch size must be positive, got " + patch.toString());
  if (!overlap.isFraction) {
    if (overlap.length.value < 0) throw InputError("overlap must not be negative");
    if (overlap.length.unit == patch.unit && overlap.length.value >= patch.value) {
      throw InputError("overlap " + overlap.toString() + " must be smaller than the patch " +
                       patch.toString());
    }
  }
}

nlohmann::json TileGridOptions::toJson() const {
  return {{"patch", patch.toString()}, {"overlap", overlap.toString()}, {"edge", toString(edge)}};
}

TileGrid makeTileGrid(const GridSpec& grid, const Aoi& aoi, const TileGridOptions& options) {
  options.validate();
  if (grid.width <= 0 || grid.height <= 0) throw InputError("the raster grid is empty");
  const bool metric = options.patch.unit == Length::Unit::Metres ||
                      (!options.overlap.isFraction && options.overlap.length.unit == Length::Unit::Metres);
  const double mpu = metric ? metresPerUnit(grid) : 1.0;
  if (metric && !grid.northUp()) {
    throw InputError("patch sizes in metres need a north-up raster; give them in pixels");
  }

  TileGrid tg;
  tg.grid = grid;
  tg.edge = options.edge;
  tg.patchWidthPx = toPixels(options.patch, std::abs(grid.pixelWidth()), mpu, "patch width");
  tg.patchHeightPx = toPixels(options.patch, std::abs(grid.pixelHeight()), mpu, "patch height");
  if (tg.patchWidthPx < 1 || tg.patchHeightPx < 1) {
    throw InputError("patch " + options.patch.toString() + " is smaller than one pixel");
  }
  int overlapX = 0, overlapY = 0;
  if (options.overlap.isFraction) {
    overlapX = static_cast<int>(std::llround(options.overlap.fraction * tg.patchWidthPx));
    overlapY = static_cast<int>(std::llround(options.overlap.fraction * tg.patchHeightPx));
  } else {
    overlapX = toPixels(options.overlap.length, std::abs(grid.pixelWidth()), mpu, "overlap");
    overlapY = toPixels(options.overlap.length, std::abs(grid.pixelHeight()), mpu, "overlap");
  }
  tg.strideXPx = tg.patchWidthPx - overlapX;
  tg.strideYPx = tg.patchHeightPx - overlapY;
  if (tg.strideXPx < 1 || tg.strideYPx < 1) {
    throw InputError("overlap " + options.overlap.toString() + " leaves no stride between tiles of " +
                     options.patch.toString());
  }

  const auto xs = origins(grid.width, tg.patchWidthPx, tg.strideXPx, options.edge);
  const auto ys = origins(grid.height, tg.patchHeightPx, tg.strideYPx, options.edge);
  if (xs.empty() || ys.empty()) {
    std::ostringstream msg;
    msg << "the raster (" << grid.width << " x " << grid.height << " px) is smaller than one patch ("
        << tg.patchWidthPx << " x " << tg.patchHeightPx << " px) and the edge policy is 'drop'; "
        << "use --edge pad or a smaller patch";
    throw InputError(msg.str());
  }
  tg.latticeCols = static_cast<int>(xs.size());
  tg.latticeRows = static_cast<int>(ys.size());

  // Only rows/columns whose span meets the AOI's bounds need a polygon test.
  const Bounds ab = aoi.isWhole() ? grid.bounds() : aoi.bounds();
  for (int r = 0; r < tg.latticeRows; ++r) {
    for (int c = 0; c < tg.latticeCols; ++c) {
      Tile t;
      t.row = r;
      t.col = c;
      t.id = static_cast<std::int64_t>(r) * tg.latticeCols + c;
      t.window = {xs[c], ys[r], tg.patchWidthPx, tg.patchHeightPx};
      // Test only the part of a padded tile that lies on the raster.
      const Bounds tb = grid.bounds(grid.clip(t.window));
      if (tb.maxX <= ab.minX || tb.minX >= ab.maxX || tb.maxY <= ab.minY || tb.minY >= ab.maxY) continue;
      if (!aoi.isWhole()) {
        const bool hit = grid.northUp() ? aoi.intersects(tb) : aoi.intersects(grid.footprintWkt(grid.clip(t.window)));
        if (!hit) continue;
      }
      tg.tiles.push_back(t);
    }
  }
  if (tg.tiles.empty()) {
    throw InputError("no tile of the grid meets the area of interest '" + aoi.description() + "'");
  }
  return tg;
}

}  // namespace emitrace::raster
