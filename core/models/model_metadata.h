#pragma once
// The JSON metadata stored inside every Emitrace model file next to its
// weights: what model it is, how it is configured, what it expects and
// produces, and where its weights came from. Loading checks kind, version
// and tensor shapes against it.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace emitrace::models {

// Version of the model-file container (metadata key + flat tensor archive).
inline constexpr int kModelFileFormat = 1;

struct ModelMetadata {
  std::string kind;                 // registered model kind: "flame", "dmfnet", "fusionnet", ...
  std::string variant;              // kind-specific configuration ("paper", "reference", "base", ...)
  int kindVersion = 1;              // architecture/tensor-layout version of the kind
  int formatVersion = kModelFileFormat;
  std::string softwareVersion;      // Emitrace version that wrote the file
  nlohmann::json hyperParameters = nlohmann::json::object();  // architecture settings
  nlohmann::json inputs = nlohmann::json::array();    // [{name, shape, bands, units, ...}]
  nlohmann::json outputs = nlohmann::json::array();   // [{name, shape, meaning}]
  nlohmann::json normalisation = nlohmann::json::object();  // per-band statistics etc.
  std::vector<std::string> classNames;
  nlohmann::json thresholds = nlohmann::json::object();     // decision thresholds
  nlohmann::json provenance = nlohmann::json::object();     // training data, epochs, metrics, notes

  nlohmann::json toJson() const;
  // Throws ModelFileError naming the missing or mistyped field.
  static ModelMetadata fromJson(const nlohmann::json& j, const std::string& source);
};

}  // namespace emitrace::models
