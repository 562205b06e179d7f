// Reading reference points (EPA GHGRP, Carbon Mapper, ...) for validation.
#include <ogr_spatialref.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "core/inventory/validation.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"

namespace emitrace::inventory {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Index of the field named `wanted` (case-insensitive), or of the first of
// `candidates` present when `wanted` is empty; -1 if none. A named field
// that does not exist is an InputError.
int findField(OGRFeatureDefn& defn, const std::string& wanted,
              const std::vector<const char*>& candidates, const char* role, const std::string& path) {
  auto indexOf = [&](const std::string& name) {
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
      if (lower(defn.GetFieldDefn(i)->GetNameRef()) == lower(name)) return i;
    }
    return -1;
  };
  if (!wanted.empty()) {
    const int i = indexOf(wanted);
    if (i < 0) {
      std::string names;
      for (int k = 0; k < defn.GetFieldCount(); ++k) {
        names += std::string(k ? ", " : "") + defn.GetFieldDefn(k)->GetNameRef();
      }
      throw InputError(std::string("reference '") + path + "' has no " + role + " field '" + wanted +
                       "' (fields: " + names + ")");
    }
    return i;
  }
  for (const char* c : candidates) {
    const int i = indexOf(c);
    if (i >= 0) return i;
  }
  return -1;
}

bool parseCoordinate(OGRFeature& f, int field, double& out) {
  if (field < 0 || !f.IsFieldSetAndNotNull(field)) return false;
  const char* text = f.GetFieldAsString(field);
  if (!text || !*text) return false;
  char* end = nullptr;
  out = std::strtod(text, &end);
  while (end && std::isspace(static_cast<unsigned char>(*end))) ++end;
  return end && *end == '\0' && std::isfinite(out);
}

}  // namespace

std::vector<ReferencePoint> readReferencePoints(const ValidationOptions& options, Progress& progress,
                                                std::int64_t* rowsOut, std::int64_t* skippedOut) {
  GDALDatasetUniquePtr ds = raster::openVector(options.reference);
  OGRLayer* layer = options.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(options.layer.c_str());
  if (!layer) {
    throw InputError("reference '" + options.reference + "' has no layer '" + options.layer + "'");
  }
  OGRFeatureDefn& defn = *layer->GetLayerDefn();
  const std::string& path = options.reference;
  const int lonField = findField(defn, options.lonField, {"longitude", "lon", "long", "lng", "x"}, "longitude", path);
  const int latField = findField(defn, options.latField, {"latitude", "lat", "y"}, "latitude", path);
  const int classField = findField(defn, options.classField,
                                   {"classes", "class", "sector", "ipcc_sector", "type", "category",
                                    "source_type", "facility_type"},
                                   "class", path);
  const int idField = findField(defn, options.idField,
                                {"id", "ghgrp_facility_id", "source_id", "facility_id", "source_name"}, "id", path);
  const int nameField = findField(defn, options.nameField, {"name", "facility_name", "source_name"}, "name", path);
  const bool hasGeometry = layer->GetGeomType() != wkbNone;
  if (!hasGeometry && (lonField < 0 || latField < 0)) {
    throw InputError("reference '" + path +
                     "' has no geometry and no longitude/latitude columns; name them with "
                     "--lon-field/--lat-field");
  }
  if (classField < 0) {
    progress.warn("reference '" + path + "' has no class/sector field: every point counts as 'Other'");
  }

  // Geometry in another CRS is transformed to lon/lat; CSV coordinates are
  // taken as WGS84 longitude/latitude.
  std::unique_ptr<OGRCoordinateTransformation> toWgs84;
  if (hasGeometry && layer->GetSpatialRef()) {
    OGRSpatialReference source(*layer->GetSpatialRef());
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84 = raster::spatialReferenceFrom("EPSG:4326");
    if (!source.IsSame(&wgs84)) toWgs84.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
  }

  std::vector<ReferencePoint> points;
  std::int64_t rows = 0, skipped = 0, unknownClass = 0;
  layer->ResetReading();
  for (auto& f : *layer) {
    if (++rows % 4096 == 0) progress.throwIfCanceled();
    double lon = 0, lat = 0;
    bool located = false;
    if (const OGRGeometry* g = f->GetGeometryRef(); g && !g->IsEmpty()) {
      OGRPoint p;
      if (wkbFlatten(g->getGeometryType()) == wkbPoint) p = *g->toPoint();
      else g->Centroid(&p);
      double x = p.getX(), y = p.getY();
      located = !toWgs84 || toWgs84->Transform(1, &x, &y);
      lon = x;
      lat = y;
    } else {
      located = parseCoordinate(*f, lonField, lon) && parseCoordinate(*f, latField, lat);
    }
    if (!located || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      ++skipped;
      continue;
    }
    ReferencePoint r;
    r.lon = lon;
    r.lat = lat;
    r.id = idField >= 0 ? f->GetFieldAsString(idField) : std::to_string(rows);
    r.name = nameField >= 0 ? f->GetFieldAsString(nameField) : "";
    r.label = classField >= 0 ? f->GetFieldAsString(classField) : "";
    r.sector = sectorGroupForReferenceLabel(r.label);
    if (r.sector == SectorGroup::Other && !r.label.empty()) ++unknownClass;
    points.push_back(std::move(r));
  }
  if (skipped > 0) {
    progress.warn(std::to_string(skipped) + " of " + std::to_string(rows) + " rows of '" + path +
                  "' have no usable location and were skipped");
  }
  if (unknownClass > 0) {
    progress.warn(std::to_string(unknownClass) + " reference points have a class that maps to no "
                  "IPCC sector Emitrace knows; they count as 'Other'");
  }
  if (rowsOut) *rowsOut = rows;
  if (skippedOut) *skippedOut = skipped;
  return points;
}

}  // namespace emitrace::inventory
