#include "core/models/model_metadata.h"

#include "core/error.h"

namespace emitrace::models {

nlohmann::json ModelMetadata::toJson() const {
  return {{"format_version", formatVersion}, {"kind", kind},
          {"variant", variant},             {"kind_version", kindVersion},
          {"software_version", softwareVersion},
          {"hyper_parameters", hyperParameters},
          {"inputs", inputs},               {"outputs", outputs},
          {"normalisation", normalisation}, {"class_names", classNames},
          {"thresholds", thresholds},       {"provenance", provenance}};
}

ModelMetadata ModelMetadata::fromJson(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw ModelFileError("'" + source + "': model metadata is not a JSON object");
  auto need = [&](const char* key) -> const nlohmann::json& {
    if (!j.contains(key)) {
      throw ModelFileError("'" + source + "': model metadata has no '" + key + "' field");
    }
    return j.at(key);
  };
  ModelMetadata m;
  try {
    m.formatVersion = need("format_version").get<int>();
    m.kind = need("kind").get<std::string>();
    m.variant = j.value("variant", std::string());
    m.kindVersion = j.value("kind_version", 1);
    m.softwareVersion = j.value("software_version", std::string());
    m.hyperParameters = j.value("hyper_parameters", nlohmann::json::object());
    m.inputs = j.value("inputs", nlohmann::json::array());
    m.outputs = j.value("outputs", nlohmann::json::array());
    m.normalisation = j.value("normalisation", nlohmann::json::object());
    m.classNames = j.value("class_names", std::vector<std::string>());
    m.thresholds = j.value("thresholds", nlohmann::json::object());
    m.provenance = j.value("provenance", nlohmann::json::object());
  } catch (const nlohmann::json::exception& e) {
    throw ModelFileError("'" + source + "': malformed model metadata (" + e.what() + ")");
  }
  return m;
}

}  // namespace emitrace::models
