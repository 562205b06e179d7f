#include "core/raster/vector_writer.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/error.h"
#include "core/partial_output.h"
#include "core/raster/gdal_util.h"

namespace emitrace::raster {
namespace {

// Features per transaction: large enough that SQLite commits stay cheap.
constexpr std::int64_t kFeaturesPerTransaction = 20000;

OGRFieldType ogrType(FieldType t) {
  switch (t) {
    case FieldType::Integer: return OFTInteger;
    case FieldType::Integer64: return OFTInteger64;
    case FieldType::Real: return OFTReal;
    case FieldType::String: return OFTString;
  }
  return OFTString;
}

OGRwkbGeometryType ogrGeometry(GeometryKind k) {
  switch (k) {
    case GeometryKind::Polygon: return wkbPolygon;
    case GeometryKind::MultiPolygon: return wkbMultiPolygon;
    case GeometryKind::Point: return wkbPoint;
  }
  return wkbPolygon;
}

}  // namespace

struct VectorWriter::Impl {
  std::unique_ptr<PartialOutput> output;
  GDALDatasetUniquePtr ds;
  std::vector<OGRLayer*> layers;
  // Per layer, the OGR field index of each declared field: some drivers add
  // fields of their own (CSV's WKT, KML's Name/Description).
  std::vector<std::vector<int>> fieldIndex;
  std::vector<std::int64_t> counts;
  std::int64_t sinceCommit = 0;
  bool inTransaction = false;
  bool finished = false;
  std::string driver;

  void begin() {
    if (!inTransaction && ds->StartTransaction() == OGRERR_NONE) inTransaction = true;
  }
  void commit() {
    if (!inTransaction) return;
    GdalErrorCapture errors;
    inTransaction = false;
    if (ds->CommitTransaction() != OGRERR_NONE) {
      throw IoError("cannot write '" + output->finalPath() + "' (disk full?)" + errors.suffix());
    }
  }
};

std::string VectorWriter::driverForPath(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".geojson" || ext == ".json") return "GeoJSON";
  if (ext == ".csv") return "CSV";
  if (ext == ".kml") return "KML";
  if (ext == ".shp") return "ESRI Shapefile";
  if (ext == ".fgb") return "FlatGeobuf";
  return "GPKG";
}

VectorWriter::VectorWriter(const std::string& path, const std::vector<VectorLayerSpec>& layers,
                           const std::string& format)
    : impl_(std::make_unique<Impl>()) {
  ensureGdal();
  if (layers.empty()) throw InputError("no layers to write to '" + path + "'");
  impl_->driver = format.empty() ? driverForPath(path) : format;
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(impl_->driver.c_str());
  if (!driver) throw InputError("unknown vector format '" + impl_->driver + "'");
  if (layers.size() > 1 && impl_->driver != "GPKG") {
    throw InputError("'" + path + "': only GeoPackage holds several layers in one file");
  }
  impl_->output = std::make_unique<PartialOutput>(path);
  GdalErrorCapture errors;
  impl_->ds.reset(driver->Create(impl_->output->path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!impl_->ds) throw IoError("cannot create '" + path + "'" + errors.suffix());

  for (const auto& spec : layers) {
    OGRSpatialReference srs;
    const bool hasSrs = !spec.crsWkt.empty() && srs.importFromWkt(spec.crsWkt.c_str()) == OGRERR_NONE;
    if (hasSrs) srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::vector<std::string> lco;
    if (impl_->driver == "CSV") lco = {"GEOMETRY=AS_WKT"};
    if (impl_->driver == "GPKG") lco = {"SPATIAL_INDEX=YES"};
    auto lcoList = toCsl(lco);
    OGRLayer* layer = impl_->ds->CreateLayer(spec.name.c_str(), hasSrs ? &srs : nullptr,
                                             ogrGeometry(spec.geometry), lcoList.get());
    if (!layer) throw IoError("cannot create layer '" + spec.name + "' in '" + path + "'" + errors.suffix());
    std::vector<int> indices;
    for (const auto& f : spec.fields) {
      OGRFieldDefn defn(f.name.c_str(), ogrType(f.type));
      if (layer->CreateField(&defn) != OGRERR_NONE) {
        throw IoError("cannot create field '" + f.name + "' in '" + path + "'" + errors.suffix());
      }
      indices.push_back(layer->GetLayerDefn()->GetFieldIndex(f.name.c_str()));
    }
    impl_->layers.push_back(layer);
    impl_->fieldIndex.push_back(std::move(indices));
    impl_->counts.push_back(0);
  }
}

VectorWriter::~VectorWriter() {
  GdalErrorCapture errors;  // an abandoned file's errors are moot
  if (impl_->ds && impl_->inTransaction) impl_->ds->RollbackTransaction();
  impl_->ds.reset();
}

std::int64_t VectorWriter::add(int layerIndex, const std::string& wkt,
                               const std::vector<FieldValue>& values) {
  if (impl_->finished) throw Error("vector writer used after finish()");
  if (layerIndex < 0 || layerIndex >= static_cast<int>(impl_->layers.size())) {
    throw Error("layer index out of range");
  }
  OGRLayer* layer = impl_->layers[layerIndex];
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  const std::vector<int>& fieldIndex = impl_->fieldIndex[layerIndex];
  if (values.size() != fieldIndex.size()) {
    throw Error("feature for layer '" + std::string(layer->GetName()) + "' has " +
                std::to_string(values.size()) + " values for " +
                std::to_string(fieldIndex.size()) + " fields");
  }
  impl_->begin();
  OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(defn));
  if (!wkt.empty()) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkt(wkt.c_str(), layer->GetSpatialRef(), &g) != OGRERR_NONE) {
      throw Error("invalid geometry WKT for layer '" + std::string(layer->GetName()) + "'");
    }
    feature->SetGeometryDirectly(g);
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const int idx = fieldIndex[i];
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) feature->SetFieldNull(idx);
          else if constexpr (std::is_same_v<T, std::int64_t>) feature->SetField(idx, static_cast<GIntBig>(v));
          else if constexpr (std::is_same_v<T, double>) feature->SetField(idx, v);
          else feature->SetField(idx, v.c_str());
        },
        values[i]);
  }
  GdalErrorCapture errors;
  if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
    throw IoError("cannot write a feature to '" + impl_->output->finalPath() + "' (disk full?)" +
                  errors.suffix());
  }
  ++impl_->counts[layerIndex];
  if (++impl_->sinceCommit >= kFeaturesPerTransaction) {
    impl_->commit();
    impl_->sinceCommit = 0;
  }
  return feature->GetFID();
}

std::int64_t VectorWriter::featureCount(int layer) const { return impl_->counts.at(layer); }

const std::string& VectorWriter::path() const { return impl_->output->finalPath(); }

void VectorWriter::finish() {
  if (impl_->finished) return;
  impl_->commit();
  GdalErrorCapture errors;
  impl_->ds.reset();
  if (!errors.lastError().empty()) {
    throw IoError("cannot finish '" + impl_->output->finalPath() + "'" + errors.suffix());
  }
  impl_->output->commit();
  impl_->finished = true;
}

}  // namespace emitrace::raster
