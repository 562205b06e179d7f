#pragma once
// Model-file operations the front ends call (no LibTorch in this header):
// create an untrained model file, describe one, run one forward pass on
// .npy tensors.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace emitrace {
class Progress;
}

namespace emitrace::models {

struct NewModelOptions {
  std::string kind;                              // registered kind
  std::string variant;                           // "" = the kind's default
  std::map<std::string, std::string> settings;   // key=value overrides
  std::uint64_t seed = 0;                        // weight initialisation
  std::string output;                            // model file to write

  void validate() const;
};

// Writes an untrained model file; returns its description (as describeModelFile).
nlohmann::json createModelFile(const NewModelOptions& options);

// Kind, variant, hyper-parameters, parameter count, inputs, outputs,
// classes, thresholds and provenance of a model file. Building the module
// checks that the stored tensors match the architecture.
nlohmann::json describeModelFile(const std::string& path);
std::string formatModelDescription(const nlohmann::json& description);

struct RunModelOptions {
  std::string model;                             // model file
  std::map<std::string, std::string> inputs;     // input name -> .npy path
  std::string outDir;                            // one <output>.npy per output
  std::string device = "cpu";

  void validate() const;
};

// One forward pass (eval mode, inference mode); returns the written paths.
std::vector<std::string> runModelOnArrays(const RunModelOptions& options, Progress& progress);

// The registered kinds with their descriptions and variants.
nlohmann::json listModelKinds();

}  // namespace emitrace::models
