#include "core/inventory/detection_row.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace emitrace::inventory {
namespace {

void setReal(OGRFeature& f, const char* field, double v) {
  const int idx = f.GetFieldIndex(field);
  if (std::isnan(v)) f.SetFieldNull(idx);
  else f.SetField(idx, v);
}

double getReal(OGRFeature& f, const char* field) {
  const int idx = f.GetFieldIndex(field);
  if (idx < 0 || !f.IsFieldSetAndNotNull(idx)) return std::numeric_limits<double>::quiet_NaN();
  return f.GetFieldAsDouble(idx);
}

bool isNull(OGRFeature& f, const char* field) {
  const int idx = f.GetFieldIndex(field);
  return idx < 0 || !f.IsFieldSetAndNotNull(idx);
}

nlohmann::json parseJson(OGRFeature& f, const char* field) {
  if (isNull(f, field)) return nullptr;
  const char* text = f.GetFieldAsString(field);
  if (!text || !*text) return nullptr;
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::vector<std::string> stringList(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& s : j) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace

void writeDetectionFields(OGRFeature& f, const Detection& d, FacilityType type,
                          const std::string& scanId, const std::string& key,
                          const std::string& createdAt) {
  f.SetField("detection_key", key.c_str());
  f.SetField("scan_id", scanId.c_str());
  f.SetField("run_id", d.runId.c_str());
  f.SetField("tile_id", static_cast<GIntBig>(d.tileId));
  f.SetField("item_index", d.itemIndex);
  f.SetField("model_kind", toString(d.modelKind).c_str());
  f.SetField("model_class", d.modelClass.c_str());
  f.SetField("facility_type", toString(type).c_str());
  f.SetField("effective_type", toString(type).c_str());
  f.SetField("ipcc_code", info(type).ipccCode);
  setReal(f, "probability", d.probability);
  f.SetField("class_probabilities", nlohmann::json(d.classProbabilities).dump().c_str());
  if (d.fusionPath) f.SetField("fusion_path", *d.fusionPath);
  else f.SetFieldNull(f.GetFieldIndex("fusion_path"));
  nlohmann::json weights = nlohmann::json::array();
  for (const auto& w : d.mafmWeights) weights.push_back({{"rgb", w.rgb}, {"ir", w.ir}, {"sar", w.sar}});
  f.SetField("mafm_weights", weights.dump().c_str());
  if (d.plume) {
    setReal(f, "max_enhancement_ppm_m", d.plume->maxEnhancementPpmM);
    setReal(f, "mean_enhancement_ppm_m", d.plume->meanEnhancementPpmM);
    setReal(f, "ime_kg", d.plume->imeKg);
    setReal(f, "plume_area_m2", d.plume->areaM2);
    f.SetField("plume_pixels", static_cast<GIntBig>(d.plume->pixelCount));
  }
  f.SetField("scene_ids", nlohmann::json(d.sceneIds).dump().c_str());
  f.SetField("acquisition_dates", nlohmann::json(d.acquisitionDates).dump().c_str());
  f.SetField("extras", d.extrasJson.empty() ? "{}" : d.extrasJson.c_str());
  f.SetField("review_status", toString(ReviewStatus::Pending).c_str());
  f.SetField("created_at", createdAt.c_str());
}

StoredDetection readDetectionRow(OGRFeature& f) {
  StoredDetection s;
  s.id = f.GetFieldAsInteger64("det_id");
  s.key = f.GetFieldAsString("detection_key");
  s.scanId = f.GetFieldAsString("scan_id");
  Detection& d = s.detection;
  d.runId = f.GetFieldAsString("run_id");
  d.tileId = f.GetFieldAsInteger64("tile_id");
  d.itemIndex = f.GetFieldAsInteger("item_index");
  d.modelKind = parseModelKind(f.GetFieldAsString("model_kind"));
  d.modelClass = f.GetFieldAsString("model_class");
  s.predictedType = parseFacilityType(f.GetFieldAsString("facility_type"));
  d.facilityType = s.predictedType;
  d.probability = getReal(f, "probability");
  const auto probs = parseJson(f, "class_probabilities");
  if (probs.is_object()) {
    for (auto it = probs.begin(); it != probs.end(); ++it) {
      if (it->is_number()) d.classProbabilities[it.key()] = it->get<double>();
    }
  }
  if (!isNull(f, "fusion_path")) d.fusionPath = f.GetFieldAsInteger("fusion_path");
  const auto weights = parseJson(f, "mafm_weights");
  if (weights.is_array()) {
    for (const auto& w : weights) {
      d.mafmWeights.push_back({w.value("rgb", 0.0), w.value("ir", 0.0), w.value("sar", 0.0)});
    }
  }
  if (!isNull(f, "max_enhancement_ppm_m") || !isNull(f, "ime_kg") || !isNull(f, "plume_pixels") ||
      !isNull(f, "plume_area_m2") || !isNull(f, "mean_enhancement_ppm_m")) {
    PlumeStats p;
    p.maxEnhancementPpmM = getReal(f, "max_enhancement_ppm_m");
    p.meanEnhancementPpmM = getReal(f, "mean_enhancement_ppm_m");
    p.imeKg = getReal(f, "ime_kg");
    p.areaM2 = getReal(f, "plume_area_m2");
    p.pixelCount = isNull(f, "plume_pixels") ? 0 : f.GetFieldAsInteger64("plume_pixels");
    d.plume = p;
  }
  d.sceneIds = stringList(parseJson(f, "scene_ids"));
  d.acquisitionDates = stringList(parseJson(f, "acquisition_dates"));
  const auto extras = parseJson(f, "extras");
  d.extrasJson = extras.is_object() && !extras.empty() ? extras.dump() : "";
  if (const OGRGeometry* g = f.GetGeometryRef()) {
    char* wkt = nullptr;
    g->exportToWkt(&wkt, wkbVariantIso);
    d.geometryWkt = wkt ? wkt : "";
    CPLFree(wkt);
  }
  d.crs = "EPSG:4326";
  s.sourceCrs = f.GetFieldAsString("source_crs");
  s.status = parseReviewStatus(f.GetFieldAsString("review_status"));
  if (!isNull(f, "reviewed_type") && *f.GetFieldAsString("reviewed_type")) {
    s.reviewedType = parseFacilityType(f.GetFieldAsString("reviewed_type"));
  }
  s.effectiveType = parseFacilityType(f.GetFieldAsString("effective_type"));
  s.ipccCode = f.GetFieldAsString("ipcc_code");
  s.reviewNote = f.GetFieldAsString("review_note");
  s.reviewer = f.GetFieldAsString("reviewer");
  s.reviewedAt = f.GetFieldAsString("reviewed_at");
  if (!isNull(f, "facility_id")) s.facilityId = f.GetFieldAsInteger64("facility_id");
  s.createdAt = f.GetFieldAsString("created_at");
  return s;
}

}  // namespace emitrace::inventory
