#pragma once
// Where in a torch.save checkpoint the state dict is, and how its names are
// cleaned up. Shared by readStateDict (state_dict.h) and inspectCheckpoint
// (checkpoint_summary.h).
#include <nlohmann/json_fwd.hpp>

#include <string>

namespace emitrace::models::torch_import {

struct ReadOptions {
  // Key of the state dict in the checkpoint; "a/b" for a dict nested in a
  // dict. "" finds it: the top-level object if it is a dict of tensors, else
  // the first of 'state_dict', 'model_state_dict', 'model', 'net', 'network',
  // 'module' that holds one, else the only top-level entry that holds one.
  std::string key;
  // Remove the "module." that DataParallel / DistributedDataParallel put in
  // front of every name (names without it are kept as they are).
  bool stripModulePrefix = false;
  // Compare each record's CRC-32 with the zip directory's, so a damaged file
  // fails instead of loading wrong weights. Costs one pass over the data.
  bool verifyChecksums = true;

  // Throws InputError for a malformed key ("", "a/b" are fine; "/a", "a//b" are not).
  void validate() const;
  nlohmann::json toJson() const;
  static ReadOptions fromJson(const nlohmann::json& json);
};

}  // namespace emitrace::models::torch_import
