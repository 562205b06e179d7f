#include "core/inventory/detection.h"

#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/error.h"
#include "core/raster/gdal_util.h"

namespace emitrace::inventory {

std::string toString(ModelKind kind) {
  switch (kind) {
    case ModelKind::DmfNet: return "dmfnet";
    case ModelKind::FusionNet: return "fusionnet";
    case ModelKind::Flame: return "flame";
    case ModelKind::MatchedFilter: return "matched-filter";
  }
  return "dmfnet";
}

ModelKind parseModelKind(const std::string& text) {
  std::string s = text;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "dmfnet") return ModelKind::DmfNet;
  if (s == "fusionnet") return ModelKind::FusionNet;
  if (s == "flame") return ModelKind::Flame;
  if (s == "matched-filter" || s == "matched_filter" || s == "matchedfilter" || s == "mf") {
    return ModelKind::MatchedFilter;
  }
  throw InputError("unknown model kind '" + text +
                   "' (expected dmfnet, fusionnet, flame or matched-filter)");
}

FacilityType Detection::resolvedType() const {
  if (facilityType) return *facilityType;
  if (auto t = facilityTypeFromName(modelClass)) return *t;
  if (modelKind == ModelKind::Flame || modelKind == ModelKind::MatchedFilter) {
    return FacilityType::MethanePlume;
  }
  throw InputError("detection class '" + modelClass + "' of model " + toString(modelKind) +
                   " is not a known facility type; set Detection::facilityType (one of cafo, "
                   "landfill, coal_mine, gas_processing, refinery_terminal, wastewater, cement, "
                   "methane_plume, none)");
}

namespace {

void checkProbability(double p, const std::string& what) {
  if (!std::isfinite(p) || p < 0.0 || p > 1.0) {
    throw InputError(what + " must be a probability in [0, 1], got " + std::to_string(p));
  }
}

void checkNonNegative(double v, const std::string& what) {
  if (std::isnan(v)) return;  // unknown
  if (!std::isfinite(v) || v < 0.0) {
    throw InputError(what + " must be >= 0 (or NaN for unknown), got " + std::to_string(v));
  }
}

}  // namespace

void Detection::validate() const {
  if (runId.empty()) throw InputError("detection has no run id (call Inventory::beginRun first)");
  if (modelClass.empty() && !facilityType) {
    throw InputError("detection has neither a model class nor a facility type");
  }
  resolvedType();
  if (itemIndex < 0) throw InputError("detection item index must be >= 0");
  if (tileId < -1) throw InputError("detection tile id must be >= 0, or -1 for untiled detections");
  checkProbability(probability, "detection probability");
  for (const auto& [name, p] : classProbabilities) {
    if (name.empty()) throw InputError("a class probability has an empty class name");
    checkProbability(p, "probability of class '" + name + "'");
  }
  if (fusionPath && (*fusionPath < 1 || *fusionPath > 5)) {
    throw InputError("DMFNet fusion path must be 1..5, got " + std::to_string(*fusionPath));
  }
  for (size_t i = 0; i < mafmWeights.size(); ++i) {
    const auto& w = mafmWeights[i];
    for (double v : {w.rgb, w.ir, w.sar}) {
      if (!std::isfinite(v) || v < 0.0 || v > 1.0) {
        throw InputError("MAFM weight at stage " + std::to_string(i + 1) +
                         " must be in [0, 1], got " + std::to_string(v));
      }
    }
  }
  if (plume) {
    for (double v : {plume->maxEnhancementPpmM, plume->meanEnhancementPpmM}) {
      if (std::isinf(v)) throw InputError("plume enhancement must be finite (or NaN for unknown)");
    }
    checkNonNegative(plume->imeKg, "plume IME");
    checkNonNegative(plume->areaM2, "plume area");
    if (plume->pixelCount < 0) throw InputError("plume pixel count must be >= 0");
  }
  if (acquisitionDates.size() > 0 && !sceneIds.empty() && acquisitionDates.size() != sceneIds.size()) {
    throw InputError("detection has " + std::to_string(sceneIds.size()) + " scene ids but " +
                     std::to_string(acquisitionDates.size()) +
                     " acquisition dates (one date per scene expected)");
  }
  if (!extrasJson.empty()) {
    nlohmann::json extras;
    try {
      extras = nlohmann::json::parse(extrasJson);
    } catch (const std::exception& e) {
      throw InputError(std::string("detection extras are not valid JSON: ") + e.what());
    }
    if (!extras.is_object()) throw InputError("detection extras must be a JSON object");
  }
  if (geometryWkt.empty()) throw InputError("detection has no geometry");
  raster::ensureGdal();
  OGRGeometry* g = nullptr;
  raster::GdalErrorCapture errors;
  if (OGRGeometryFactory::createFromWkt(geometryWkt.c_str(), nullptr, &g) != OGRERR_NONE || !g) {
    throw InputError("detection geometry is not valid WKT: '" + geometryWkt.substr(0, 80) + "'");
  }
  std::unique_ptr<OGRGeometry> geometry(g);
  const auto type = wkbFlatten(geometry->getGeometryType());
  if (type != wkbPolygon && type != wkbMultiPolygon) {
    throw InputError("detection geometry must be a POLYGON or MULTIPOLYGON, got " +
                     std::string(OGRGeometryTypeToName(geometry->getGeometryType())));
  }
  if (geometry->IsEmpty()) throw InputError("detection geometry is empty");
}

std::string detectionKey(const std::string& scanId, std::int64_t tileId, ModelKind kind,
                         const std::string& modelClass, int itemIndex) {
  return scanId + "/" + std::to_string(tileId) + "/" + toString(kind) + "/" + modelClass + "/" +
         std::to_string(itemIndex);
}

void AddDetectionsOptions::validate() const {
  if (!(inheritMinOverlap > 0.0 && inheritMinOverlap <= 1.0)) {
    throw InputError("inheritMinOverlap must be in (0, 1], got " + std::to_string(inheritMinOverlap));
  }
}

}  // namespace emitrace::inventory
