#include "core/inventory/inventory_export.h"

#include <gdal_utils.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/inventory/inventory_impl.h"
#include "core/inventory/layer_styles.h"
#include "core/partial_output.h"
#include "core/progress.h"
#include "core/raster/vector_writer.h"

namespace emitrace::inventory {
namespace {

const std::vector<std::string>& exportableLayers() {
  static const std::vector<std::string> kLayers{schema::kDetections,       schema::kFacilities,
                                                schema::kFacilityPoints,   schema::kReferenceMatches,
                                                schema::kReviewLog,        schema::kRuns,
                                                schema::kMetadata};
  return kLayers;
}

std::string quotedList(const std::vector<std::string>& items) {
  std::string s = "(";
  for (size_t i = 0; i < items.size(); ++i) s += (i ? "," : "") + sqlQuote(items[i]);
  return s + ")";
}

// The attribute filter of one layer ("" = all features).
std::string whereFor(const std::string& layer, const ExportOptions& o) {
  const bool isDetections = layer == schema::kDetections;
  const bool isFacilities = layer == schema::kFacilities || layer == schema::kFacilityPoints;
  if (!isDetections && !isFacilities) return {};
  std::vector<std::string> terms;
  if (!o.statuses.empty()) {
    std::vector<std::string> v;
    for (auto s : o.statuses) v.push_back(toString(s));
    terms.push_back("review_status IN " + quotedList(v));
  }
  if (!o.types.empty()) {
    std::vector<std::string> v;
    for (auto t : o.types) v.push_back(toString(t));
    terms.push_back(std::string(isDetections ? "effective_type" : "facility_type") + " IN " + quotedList(v));
  }
  if (o.minProbability) {
    terms.push_back(std::string(isDetections ? "probability" : "confidence") + " >= " +
                    sqlNumber(*o.minProbability));
  }
  std::string where;
  for (size_t i = 0; i < terms.size(); ++i) where += (i ? " AND " : "") + terms[i];
  return where;
}

struct TranslateOptionsDeleter {
  void operator()(GDALVectorTranslateOptions* o) const { GDALVectorTranslateOptionsFree(o); }
};

}  // namespace

std::string ExportOptions::resolvedFormat() const {
  return format.empty() ? raster::VectorWriter::driverForPath(output) : format;
}

std::vector<std::string> ExportOptions::resolvedLayers() const {
  if (!layers.empty()) return layers;
  if (resolvedFormat() == "GPKG") return exportableLayers();
  return {schema::kFacilities};
}

void ExportOptions::validate() const {
  if (output.empty()) throw InputError("no export path given");
  const std::string fmt = resolvedFormat();
  raster::ensureGdal();
  if (!GetGDALDriverManager()->GetDriverByName(fmt.c_str())) {
    throw InputError("unknown vector format '" + fmt + "' (use .gpkg, .geojson, .csv or .kml)");
  }
  const auto chosen = resolvedLayers();
  for (const auto& l : chosen) {
    if (std::find(exportableLayers().begin(), exportableLayers().end(), l) == exportableLayers().end()) {
      throw InputError("no inventory layer '" + l +
                       "' (detections, facilities, facility_points, reference_matches, review_log, "
                       "runs, emitrace_metadata)");
    }
    if (fmt == "KML" && schema::layerSpec(l).geometry == wkbNone) {
      throw InputError("KML holds only map layers; '" + l + "' is a table (export it as CSV)");
    }
  }
  if (chosen.size() > 1 && fmt != "GPKG") {
    throw InputError(fmt + " holds one layer; choose one with --layer (or export to .gpkg)");
  }
  if (minProbability && !(*minProbability >= 0 && *minProbability <= 1)) {
    throw InputError("minimum probability must be in [0, 1]");
  }
  checkWritableLocation(output);
}

nlohmann::json ExportOptions::toJson() const {
  std::vector<std::string> s, t;
  for (auto x : statuses) s.push_back(toString(x));
  for (auto x : types) t.push_back(toString(x));
  nlohmann::json j{{"output", output}, {"format", resolvedFormat()}, {"layers", resolvedLayers()},
                   {"statuses", s},    {"types", t}};
  j["min_probability"] = minProbability ? nlohmann::json(*minProbability) : nlohmann::json();
  return j;
}

ExportResult exportInventory(const Inventory& inventory, const ExportOptions& options, Progress& progress) {
  options.validate();
  GDALDataset& source = *inventory.impl().ds;
  const std::string fmt = options.resolvedFormat();
  const std::vector<std::string> layers = options.resolvedLayers();
  PartialOutput output(options.output, options.overwrite);
  ExportResult result;
  result.output = options.output;
  result.format = fmt;

  // One read snapshot for every layer (nothing is written to the source).
  const bool snapshot = !inventory.impl().inWrite && source.StartTransaction() == OGRERR_NONE;
  struct EndSnapshot {
    GDALDataset& ds;
    bool active;
    ~EndSnapshot() {
      if (active) {
        raster::GdalErrorCapture errors;
        ds.RollbackTransaction();
      }
    }
  } endSnapshot{source, snapshot};

  GDALDatasetUniquePtr destination;
  for (size_t i = 0; i < layers.size(); ++i) {
    const std::string& layer = layers[i];
    progress.report(double(i) / layers.size(), "exporting " + layer);
    progress.throwIfCanceled();
    std::vector<std::string> args{"-f", fmt};
    if (fmt == "GPKG") args.insert(args.end(), {"-preserve_fid", "-dsco", "ADD_GPKG_OGR_CONTENTS=NO"});
    if (fmt == "CSV") args.insert(args.end(), {"-lco", "GEOMETRY=AS_WKT"});
    if (fmt == "KML") {
      const char* nameField = layer == schema::kDetections ? "detection_key"
                              : layer == schema::kReferenceMatches ? "reference_name"
                                                                   : "facility_key";
      args.insert(args.end(), {"-dsco", std::string("NameField=") + nameField});
    }
    const std::string where = whereFor(layer, options);
    if (!where.empty()) args.insert(args.end(), {"-where", where});
    args.push_back(layer);
    auto argv = raster::toCsl(args);
    std::unique_ptr<GDALVectorTranslateOptions, TranslateOptionsDeleter> translate(
        GDALVectorTranslateOptionsNew(argv.get(), nullptr));
    if (!translate) throw Error("bad export options for layer '" + layer + "'");
    auto sub = progress.sub(double(i) / layers.size(), double(i + 1) / layers.size());
    GDALVectorTranslateOptionsSetProgress(translate.get(), raster::gdalProgressAdapter, &sub);
    GDALDatasetH sources[] = {GDALDataset::ToHandle(&source)};
    raster::GdalErrorCapture errors;
    int usageError = FALSE;
    GDALDatasetH out =
        GDALVectorTranslate(destination ? nullptr : output.path().c_str(),
                            destination ? GDALDataset::ToHandle(destination.get()) : nullptr, 1, sources,
                            translate.get(), &usageError);
    if (!out) {
      progress.throwIfCanceled();
      throw IoError("cannot export layer '" + layer + "' to '" + options.output + "'" + errors.suffix());
    }
    if (!destination) destination.reset(GDALDataset::FromHandle(out));
    OGRLayer* written = destination->GetLayerByName(layer.c_str());
    if (!written && destination->GetLayerCount() == 1) written = destination->GetLayer(0);
    result.layers.emplace_back(layer, written ? written->GetFeatureCount() : 0);
  }
  if (fmt == "GPKG") writeDefaultStyles(*destination);
  {
    raster::GdalErrorCapture errors;
    destination.reset();
    if (!errors.lastError().empty()) {
      throw IoError("cannot finish '" + options.output + "'" + errors.suffix());
    }
  }
  progress.throwIfCanceled();
  output.commit();
  progress.report(1.0, "exported");
  return result;
}

}  // namespace emitrace::inventory
