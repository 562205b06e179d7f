#pragma once
// Model kinds known to Emitrace. Each model family (FLAME, DMFNet, FusionNet,
// ...) implements ModelKind once and registers it in builtin_kinds.cpp; the
// generic commands (`models new|info|run`, loading a model for a scan) go
// through this registry. Core-internal: includes LibTorch.
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/models/model_metadata.h"

namespace emitrace::models {

using TensorMap = std::map<std::string, torch::Tensor>;
using Settings = std::map<std::string, std::string>;

class ModelKind {
 public:
  virtual ~ModelKind() = default;

  virtual std::string kind() const = 0;
  virtual std::string description() const = 0;
  // Named configurations ("paper", "reference", "dmfnet", "base", ...); the
  // first is the default.
  virtual std::vector<std::string> variants() const = 0;

  // Metadata of a new, untrained model: `variant`'s defaults with `settings`
  // (key=value from the command line) applied. Throws InputError naming an
  // unknown variant or key, or a bad value.
  virtual ModelMetadata newMetadata(const std::string& variant, const Settings& settings) const = 0;

  // The module `metadata` describes, freshly initialised. Throws
  // ModelFileError if the hyper-parameters are inconsistent.
  virtual std::shared_ptr<torch::nn::Module> build(const ModelMetadata& metadata) const = 0;

  // One forward pass on raw named inputs (as listed in metadata.inputs) in
  // eval mode; returns the named outputs. Throws InputError for a missing
  // input or a wrong shape.
  virtual TensorMap forward(torch::nn::Module& module, const ModelMetadata& metadata,
                            const TensorMap& inputs) const = 0;
};

void registerModelKind(std::unique_ptr<ModelKind> kind);
// Throws InputError listing the known kinds.
const ModelKind& findModelKind(const std::string& kind);
std::vector<std::string> registeredModelKinds();

struct LoadedModel {
  ModelMetadata metadata;
  std::shared_ptr<torch::nn::Module> module;
  const ModelKind* kind = nullptr;
};

// Reads a model file, builds its architecture and loads its weights (in eval
// mode, on `device`). With expectedKind set, a file of another kind is
// rejected with a ModelFileError that says what the file is.
LoadedModel loadModel(const std::string& path, const std::string& expectedKind = {},
                      const torch::Device& device = torch::kCPU);

// Number of scalar parameters (trainable or not) of a module.
std::int64_t parameterCount(const torch::nn::Module& module);

}  // namespace emitrace::models
