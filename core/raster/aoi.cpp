#include "core/raster/aoi.h"

#include <ogr_api.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"

namespace emitrace::raster {

struct Aoi::Impl {
  std::unique_ptr<OGRGeometry> geometry;  // null: whole grid
  Bounds gridBounds;
  std::string description = "whole raster";
  OGRPreparedGeometryH prepared = nullptr;

  ~Impl() { if (prepared) OGRDestroyPreparedGeometry(prepared); }
  void prepare() {
    if (prepared) OGRDestroyPreparedGeometry(prepared);
    prepared = geometry ? OGRCreatePreparedGeometry(OGRGeometry::ToHandle(geometry.get())) : nullptr;
  }
};

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

std::unique_ptr<OGRGeometry> boxPolygon(const Bounds& b) {
  auto ring = std::make_unique<OGRLinearRing>();
  ring->addPoint(b.minX, b.minY);
  ring->addPoint(b.maxX, b.minY);
  ring->addPoint(b.maxX, b.maxY);
  ring->addPoint(b.minX, b.maxY);
  ring->addPoint(b.minX, b.minY);
  auto poly = std::make_unique<OGRPolygon>();
  poly->addRingDirectly(ring.release());
  return poly;
}

std::unique_ptr<OGRGeometry> geometryFromWkt(const std::string& wkt, const std::string& spec) {
  OGRGeometry* g = nullptr;
  GdalErrorCapture errors;
  if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE || !g) {
    throw InputError("cannot read the AOI WKT '" + spec + "'" + errors.suffix());
  }
  return std::unique_ptr<OGRGeometry>(g);
}

// Area of the surface parts of a geometry; points and lines (what an
// intersection of touching polygons yields) have none.
double surfaceArea(const OGRGeometry* g) {
  if (!g) return 0.0;
  if (const auto* s = dynamic_cast<const OGRSurface*>(g)) return s->get_Area();
  if (const auto* c = dynamic_cast<const OGRGeometryCollection*>(g)) {
    double total = 0.0;
    for (const OGRGeometry* part : c) total += surfaceArea(part);
    return total;
  }
  return 0.0;
}

bool isPolygonal(const OGRGeometry* g) {
  auto t = wkbFlatten(g->getGeometryType());
  return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface;
}

// Reads and unions the polygons of a vector file; sets srs from the layer.
std::unique_ptr<OGRGeometry> geometryFromVector(const std::string& spec, OGRSpatialReference& srs,
                                                bool& hasSrs) {
  std::string path = spec;
  std::string layerName;
  if (auto bar = spec.find("|layername="); bar != std::string::npos) {
    path = spec.substr(0, bar);
    layerName = spec.substr(bar + 11);
  }
  GDALDatasetUniquePtr ds = openVector(path);
  OGRLayer* layer = layerName.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layerName.c_str());
  if (!layer) throw InputError("layer '" + layerName + "' not found in '" + path + "'");
  if (const OGRSpatialReference* s = layer->GetSpatialRef()) {
    srs = *s;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    hasSrs = true;
  }
  auto collection = std::make_unique<OGRMultiPolygon>();
  for (auto& feature : layer) {
    const OGRGeometry* g = feature->GetGeometryRef();
    if (!g || g->IsEmpty() || !isPolygonal(g)) continue;
    std::unique_ptr<OGRGeometry> linear(g->getLinearGeometry());
    if (auto* mp = dynamic_cast<OGRMultiPolygon*>(linear.get())) {
      for (auto* part : mp) collection->addGeometry(part);
    } else if (auto* p = dynamic_cast<OGRPolygon*>(linear.get())) {
      collection->addGeometry(p);
    }
  }
  if (collection->IsEmpty()) {
    throw InputError("'" + spec + "' has no polygon features to use as an area of interest");
  }
  std::unique_ptr<OGRGeometry> merged(collection->UnionCascaded());
  if (!merged) throw InputError("cannot merge the polygons of '" + spec + "' into one AOI");
  return merged;
}

}  // namespace

Aoi::Aoi() : impl_(std::make_unique<Impl>()) {}
Aoi::~Aoi() = default;
Aoi::Aoi(Aoi&&) noexcept = default;
Aoi& Aoi::operator=(Aoi&&) noexcept = default;

Aoi::Aoi(const Aoi& other) : impl_(std::make_unique<Impl>()) { *this = other; }

Aoi& Aoi::operator=(const Aoi& other) {
  if (this == &other) return *this;
  if (!impl_) impl_ = std::make_unique<Impl>();
  impl_->geometry.reset(other.impl_->geometry ? other.impl_->geometry->clone() : nullptr);
  impl_->gridBounds = other.impl_->gridBounds;
  impl_->description = other.impl_->description;
  impl_->prepare();
  return *this;
}

bool Aoi::isWhole() const { return !impl_->geometry; }

Bounds Aoi::bounds() const {
  if (!impl_->geometry) return impl_->gridBounds;
  OGREnvelope e;
  impl_->geometry->getEnvelope(&e);
  return {e.MinX, e.MinY, e.MaxX, e.MaxY};
}

double Aoi::area() const {
  if (!impl_->geometry) return impl_->gridBounds.width() * impl_->gridBounds.height();
  return surfaceArea(impl_->geometry.get());
}

std::string Aoi::wkt() const {
  std::unique_ptr<OGRGeometry> whole;
  const OGRGeometry* g = impl_->geometry.get();
  if (!g) {
    whole = boxPolygon(impl_->gridBounds);
    g = whole.get();
  }
  return g->exportToWkt();
}

const std::string& Aoi::description() const { return impl_->description; }

bool Aoi::intersects(const Bounds& box) const {
  if (!impl_->geometry) {
    const Bounds& g = impl_->gridBounds;
    return box.minX < g.maxX && box.maxX > g.minX && box.minY < g.maxY && box.maxY > g.minY;
  }
  return meetsInterior(*boxPolygon(box));
}

bool Aoi::meetsInterior(const OGRGeometry& polygon) const {
  OGRGeometryH h = OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&polygon));
  if (!OGRPreparedGeometryIntersects(impl_->prepared, h)) return false;
  if (OGRPreparedGeometryContains(impl_->prepared, h)) return true;
  // Boundary case only: a polygon that merely touches the AOI (a shared edge
  // or corner) does not count.
  std::unique_ptr<OGRGeometry> common(impl_->geometry->Intersection(&polygon));
  return surfaceArea(common.get()) > 0.0;
}

bool Aoi::intersects(const std::string& polygonWkt) const {
  auto g = geometryFromWkt(polygonWkt, polygonWkt);
  if (!impl_->geometry) {
    auto box = boxPolygon(impl_->gridBounds);
    std::unique_ptr<OGRGeometry> common(box->Intersection(g.get()));
    return surfaceArea(common.get()) > 0.0;
  }
  return meetsInterior(*g);
}

Aoi Aoi::parse(const std::string& rawSpec, const GridSpec& grid) {
  ensureGdal();
  Aoi aoi;
  aoi.impl_->gridBounds = grid.bounds();
  const std::string spec = trim(rawSpec);
  if (spec.empty() || spec == "whole") return aoi;

  std::unique_ptr<OGRGeometry> geometry;
  OGRSpatialReference srs;
  bool hasSrs = false;
  std::error_code ec;
  const std::string head = upper(spec.substr(0, std::min<size_t>(spec.size(), 16)));

  if (std::filesystem::exists(spec.substr(0, spec.find('|')), ec) || spec.rfind("/vsi", 0) == 0) {
    geometry = geometryFromVector(spec, srs, hasSrs);
  } else if (head.rfind("SRID=", 0) == 0 || (spec.find(';') != std::string::npos)) {
    const auto semi = spec.find(';');
    std::string crs = spec.substr(0, semi);
    if (upper(crs).rfind("SRID=", 0) == 0) crs = "EPSG:" + crs.substr(5);
    srs = spatialReferenceFrom(trim(crs));
    hasSrs = true;
    geometry = geometryFromWkt(trim(spec.substr(semi + 1)), spec);
  } else if (head.rfind("POLYGON", 0) == 0 || head.rfind("MULTIPOLYGON", 0) == 0) {
    geometry = geometryFromWkt(spec, spec);
  } else {
    // A box: four numbers and an optional CRS.
    std::vector<std::string> parts;
    std::stringstream in(spec);
    std::string part;
    while (std::getline(in, part, ',')) parts.push_back(trim(part));
    std::vector<double> numbers;
    bool ok = parts.size() == 4 || parts.size() == 5;
    for (size_t i = 0; ok && i < 4; ++i) {
      try {
        size_t used = 0;
        numbers.push_back(std::stod(parts[i], &used));
        ok = used == parts[i].size();
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok) {
      throw InputError("cannot read the area of interest '" + spec +
                       "': expected 'whole', a box 'minx,miny,maxx,maxy[,EPSG:code]', a WKT "
                       "polygon, or the path of an existing vector file");
    }
    if (parts.size() == 5) {
      srs = spatialReferenceFrom(parts[4]);
      hasSrs = true;
    }
    Bounds b{std::min(numbers[0], numbers[2]), std::min(numbers[1], numbers[3]),
             std::max(numbers[0], numbers[2]), std::max(numbers[1], numbers[3])};
    geometry = boxPolygon(b);
  }

  if (!isPolygonal(geometry.get())) {
    throw InputError("the area of interest '" + spec + "' is not a polygon");
  }

  if (hasSrs) {
    if (grid.crsWkt.empty()) {
      throw InputError("the raster has no CRS, so an area of interest given in " +
                       std::string(srs.GetName() ? srs.GetName() : "another CRS") +
                       " cannot be placed on it; give the AOI in pixel/map units of the raster");
    }
    OGRSpatialReference target;
    target.importFromWkt(grid.crsWkt.c_str());
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!srs.IsSame(&target)) {
      GdalErrorCapture errors;
      std::unique_ptr<OGRCoordinateTransformation> ct(
          OGRCreateCoordinateTransformation(&srs, &target));
      if (!ct) {
        throw InputError("cannot transform the area of interest from " +
                         std::string(srs.GetName() ? srs.GetName() : "its CRS") + " to the raster's " +
                         crsDisplayName(grid.crsWkt) + errors.suffix());
      }
      OGREnvelope e;
      geometry->getEnvelope(&e);
      const double step = std::max(e.MaxX - e.MinX, e.MaxY - e.MinY) / 64.0;
      if (step > 0) geometry->segmentize(step);  // keep edges straight in the new CRS
      if (geometry->transform(ct.get()) != OGRERR_NONE) {
        throw InputError("cannot transform the area of interest '" + spec + "' to the raster's " +
                         crsDisplayName(grid.crsWkt) + " (outside the projection's domain?)" +
                         errors.suffix());
      }
    }
  }

  GdalErrorCapture geometryErrors;  // GEOS validity chatter is not for the user
  if (!geometry->IsValid()) {
    std::unique_ptr<OGRGeometry> fixed(geometry->MakeValid());
    if (fixed) geometry = std::move(fixed);
  }
  const double area = surfaceArea(geometry.get());
  if (!(area > 0.0)) {
    throw InputError("the area of interest '" + spec + "' has zero area");
  }
  auto gridBox = boxPolygon(aoi.impl_->gridBounds);
  std::unique_ptr<OGRGeometry> clipped(geometry->Intersection(gridBox.get()));
  if (!clipped || clipped->IsEmpty() || surfaceArea(clipped.get()) <= 0.0) {
    OGREnvelope e;
    geometry->getEnvelope(&e);
    const Bounds& g = aoi.impl_->gridBounds;
    std::ostringstream msg;
    msg.precision(10);
    msg << "the area of interest '" << spec << "' does not overlap the raster (AOI bounds "
        << e.MinX << "," << e.MinY << "," << e.MaxX << "," << e.MaxY << "; raster bounds "
        << g.minX << "," << g.minY << "," << g.maxX << "," << g.maxY << " in "
        << crsDisplayName(grid.crsWkt) << ")";
    throw InputError(msg.str());
  }
  aoi.impl_->geometry = std::move(clipped);
  aoi.impl_->description = spec;
  aoi.impl_->prepare();
  return aoi;
}

}  // namespace emitrace::raster
