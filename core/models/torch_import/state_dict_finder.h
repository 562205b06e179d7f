#pragma once
// Finds the state dict inside a decoded checkpoint (see ReadOptions::key for
// the search order) and lists its tensors, without reading tensor data.
#include <memory>
#include <string>
#include <vector>

#include "core/models/torch_import/pickle_value.h"
#include "core/models/torch_import/read_options.h"

namespace emitrace::models::torch_import {

struct FoundTensor {
  std::string name;                        // after stripping "module." if asked
  std::shared_ptr<const TensorRef> tensor;
};

struct FoundStateDict {
  std::string location;               // "" = the top-level object, else its key path ("model", "a/b")
  std::vector<FoundTensor> tensors;   // in file order
  std::vector<std::string> skipped;   // non-tensor entries left out: "name (type)"
};

// Throws ModelFileError naming `path` when no state dict is where the options
// say (listing the keys that are there and what they hold), when the
// checkpoint holds a pickled module instead, or when names collide after
// stripping "module.".
FoundStateDict findStateDict(const PickleValue& root, const ReadOptions& options, const std::string& path);

// True for a non-empty dict with string keys whose values are all tensors
// (entries named *_extra_state, module extra state, are tolerated).
bool isStateDict(const PickleValue& value);

// One line about a value for messages: "int", "dict with 3 entries",
// "state dict of 12 tensors", "tensor [3, 4] float32", "argparse.Namespace".
std::string describeValue(const PickleValue& value);

// "'epoch' (int), 'model' (state dict of 12 tensors), ..." for a dict.
std::string describeEntries(const PickleValue& dict);

}  // namespace emitrace::models::torch_import
