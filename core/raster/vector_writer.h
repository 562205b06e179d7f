#pragma once
// Features written through OGR: GeoPackage by default, or any OGR format
// chosen by extension (.geojson, .csv, .kml, .shp). Written in transactions
// under a ".partial" name and renamed by finish(); destroyed unfinished, it
// deletes what it wrote.
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace emitrace::raster {

enum class FieldType { Integer, Integer64, Real, String };

struct FieldDef {
  std::string name;
  FieldType type = FieldType::String;
};

// One attribute value; monostate writes NULL.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;

enum class GeometryKind { Polygon, MultiPolygon, Point };

struct VectorLayerSpec {
  std::string name;
  GeometryKind geometry = GeometryKind::Polygon;
  std::string crsWkt;           // "" = no CRS
  std::vector<FieldDef> fields;
};

class VectorWriter {
 public:
  // Creates `path` with one layer per spec. `format`: OGR driver short name,
  // or "" to choose from the extension (GeoPackage when unknown).
  VectorWriter(const std::string& path, const std::vector<VectorLayerSpec>& layers,
               const std::string& format = "");
  ~VectorWriter();
  VectorWriter(const VectorWriter&) = delete;
  VectorWriter& operator=(const VectorWriter&) = delete;

  // Adds a feature to layer `layer` (index into the specs) with geometry as
  // WKT in the layer's CRS and one value per field. Returns the feature id.
  std::int64_t add(int layer, const std::string& wkt, const std::vector<FieldValue>& values);
  std::int64_t featureCount(int layer) const;

  // Commits, closes and moves the file to its final name.
  void finish();
  const std::string& path() const;

  // OGR driver for an output path's extension ("GPKG", "GeoJSON", "CSV", ...).
  static std::string driverForPath(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emitrace::raster
