#pragma once
// The unpickler for a torch.save archive's data.pkl: on top of the generic
// Python types (unpickler.h) it understands the persistent ids of storages,
// ('storage', <storage class>, key, location, numel), and the functions that
// rebuild tensors and parameters from them. Anything else stays an opaque
// object; a tensor whose description is unusable (quantized, sparse, an
// unknown storage class, a view reaching outside its storage) keeps a
// `problem` text, so the file fails only if that tensor is actually imported.
#include "core/models/torch_import/unpickler.h"

namespace emitrace::models::torch_import {

class TorchPickleReader : public Unpickler {
 public:
  using Unpickler::Unpickler;

 protected:
  PickleValuePtr call(const PickleValuePtr& callable, const PickleValuePtr& args) override;
  PickleValuePtr persistentLoad(const PickleValuePtr& pid) override;

 private:
  PickleValuePtr rebuildTensor(const std::vector<PickleValuePtr>& args, const std::string& builtBy);
};

}  // namespace emitrace::models::torch_import
