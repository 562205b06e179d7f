#pragma once
// Copies a state dict read from a PyTorch checkpoint into a LibTorch module's
// parameters and buffers through a NameMap, checking every name, shape and
// dtype first and reporting all problems at once.
#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/models/torch_import/name_map.h"
#include "core/models/torch_import/state_dict.h"

namespace torch::nn {
class Module;
}

namespace emitrace::models::torch_import {

// Reshapes or converts a checkpoint tensor before it is checked and copied,
// for layouts that differ on purpose (e.g. complex weights stored as real
// [..., 2] in the checkpoint, a 2-band stem initialised from RGB kernels).
struct TensorTransform {
  std::string pattern;                                 // full-match regex on the module tensor name
  std::function<at::Tensor(const at::Tensor&)> apply;
  std::string description;                             // shown in the report
};

struct ApplyOptions {
  // Throw ModelFileError listing every problem, leaving the module untouched.
  // Off: copy every tensor that fits and return the report.
  bool strict = true;
  // Allow casts within floating types (float64 -> float32, float16 ->
  // float32) and within integer types (int32 -> int64); each is reported.
  // Casts between kinds (float <-> int, bool, complex) are always problems.
  bool allowDtypeConversion = true;
  // Full-match regexes of module tensor names the checkpoint need not
  // provide (they keep the values they have, e.g. a new classifier head).
  std::vector<std::string> allowMissing;
  std::vector<TensorTransform> transforms;   // first matching transform applies
};

struct ReportedTensor {
  std::string name;                  // module name (for unexpected: the name after mapping)
  std::string checkpointName;        // name in the checkpoint ("" for missing tensors)
  std::vector<std::int64_t> shape;
  std::string dtype;
};

struct ShapeMismatch {
  std::string moduleName;
  std::string checkpointName;
  std::vector<std::int64_t> expected;   // the module's shape
  std::vector<std::int64_t> got;        // the checkpoint's (after any transform)
};

struct DtypeChange {
  std::string moduleName;
  std::string checkpointName;
  std::string from;   // checkpoint dtype
  std::string to;     // module dtype
};

struct ApplyReport {
  std::string source;                           // checkpoint path (and state dict key)
  std::vector<std::string> loaded;              // module tensors copied
  std::vector<ReportedTensor> missing;          // module tensors the checkpoint lacks
  std::vector<ReportedTensor> unexpected;       // checkpoint tensors with no module tensor
  std::vector<ShapeMismatch> shapeMismatches;
  std::vector<DtypeChange> dtypeMismatches;     // casts that are not allowed
  std::vector<std::string> duplicateTargets;    // module names several checkpoint tensors map to
  std::vector<std::string> transformErrors;     // "name: what the transform threw"
  std::vector<DtypeChange> conversions;         // allowed casts that were made (not problems)
  std::vector<std::string> ignored;             // checkpoint names dropped by the name map
  std::vector<std::string> keptAsInitialised;   // missing tensors allowed by allowMissing
  std::vector<std::string> transformed;         // "name: description"

  std::size_t problemCount() const;
  bool ok() const { return problemCount() == 0; }
  // One line per problem, "  shape mismatch: 'fc.weight' ...".
  std::string problemsText() const;
  nlohmann::json toJson() const;
};

// Copies `stateDict` into `module` (its named_parameters and named_buffers,
// recursively) with `nameMap` from checkpoint names to module names. Every
// checkpoint tensor must land on a module tensor of the same shape, and every
// module tensor must be provided, unless ignored / allowed as described
// above. Strict mode throws emitrace::ModelFileError that names the file and,
// per problem, the tensor, the expected and the got shape; the module is
// then unchanged. Copies run under NoGradGuard into the module's existing
// tensors, so device and dtype of the module are kept.
ApplyReport applyStateDict(torch::nn::Module& module, const StateDict& stateDict,
                           const NameMap& nameMap = {}, const ApplyOptions& options = {});

}  // namespace emitrace::models::torch_import
