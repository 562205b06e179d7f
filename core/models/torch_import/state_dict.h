#pragma once
// Reads the weights of a PyTorch checkpoint written by torch.save (PyTorch
// 1.6+ zip format) into LibTorch tensors, without Python and without
// torch::pickle_load (LibTorch 1.13's unpickler turns collections.OrderedDict
// into None, pytorch/pytorch#100741, so it cannot read a saved state_dict).
// See torch_import.h for the whole import API and worked examples.
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "core/models/torch_import/read_options.h"

namespace emitrace::models::torch_import {

struct StateDictEntry {
  std::string name;    // dotted name as in the checkpoint ("layer1.0.conv1.weight")
  at::Tensor tensor;   // CPU, dtype as saved; tensors that shared a storage in the file share it here
};

struct StateDict {
  std::string path;                    // the file it was read from (for messages)
  std::string location;                // "" = top-level object, else its key ("model")
  std::vector<StateDictEntry> entries; // in file order
  std::vector<std::string> skipped;    // non-tensor entries left out: "name (type)"

  // nullptr when no entry has that name.
  const at::Tensor* find(const std::string& name) const;
  std::size_t size() const { return entries.size(); }
};

// Reads the state dict of `path`. Throws IoError when the file cannot be
// read and ModelFileError (naming the file, and the tensor where there is
// one) when it is not a torch.save checkpoint, is truncated or damaged, holds
// no state dict where `options` say, or holds a tensor of a kind that cannot
// be imported (quantized, sparse, unknown storage class). Only the storages
// the state dict uses are read; optimizer state and other entries are not.
StateDict readStateDict(const std::string& path, const ReadOptions& options = {});

}  // namespace emitrace::models::torch_import
