#include "core/models/torch_import/state_dict.h"

#include <torch/torch.h>

#include <map>

#include "core/error.h"
#include "core/models/torch_import/checkpoint_archive.h"
#include "core/models/torch_import/state_dict_finder.h"

namespace emitrace::models::torch_import {
namespace {

at::ScalarType scalarTypeOf(ElementType type) {
  switch (type) {
    case ElementType::Float32: return at::kFloat;
    case ElementType::Float64: return at::kDouble;
    case ElementType::Float16: return at::kHalf;
    case ElementType::BFloat16: return at::kBFloat16;
    case ElementType::Complex64: return at::kComplexFloat;
    case ElementType::Complex128: return at::kComplexDouble;
    case ElementType::Int64: return at::kLong;
    case ElementType::Int32: return at::kInt;
    case ElementType::Int16: return at::kShort;
    case ElementType::Int8: return at::kChar;
    case ElementType::UInt8: return at::kByte;
    case ElementType::Bool: return at::kBool;
    case ElementType::Unknown: break;
  }
  throw std::logic_error("scalarTypeOf: unknown element type");
}

std::string where(const std::string& location) {
  return location.empty() ? "" : " (in '" + location + "')";
}

}  // namespace

const at::Tensor* StateDict::find(const std::string& name) const {
  for (const StateDictEntry& e : entries)
    if (e.name == name) return &e.tensor;
  return nullptr;
}

StateDict readStateDict(const std::string& path, const ReadOptions& options) {
  options.validate();
  const CheckpointArchive archive(path);
  const FoundStateDict found = findStateDict(*archive.root(), options, path);

  std::string problems;
  std::size_t problemCount = 0;
  for (const FoundTensor& t : found.tensors) {
    if (t.tensor->problem.empty()) continue;
    ++problemCount;
    problems += "\n  '" + t.name + "': " + t.tensor->problem;
  }
  if (problemCount > 0)
    throw ModelFileError(path + ": " + std::to_string(problemCount) + " tensor(s) of the state dict" +
                         where(found.location) + " cannot be imported:" + problems);

  StateDict result;
  result.path = path;
  result.location = found.location;
  result.skipped = found.skipped;
  // One flat tensor per storage record; every view onto it shares it, as in
  // the file (tied weights stay tied, slices stay slices).
  std::map<std::string, at::Tensor> storages;
  for (const FoundTensor& t : found.tensors) {
    const StorageRef& storage = *t.tensor->storage;
    const at::ScalarType type = scalarTypeOf(storage.type);
    auto it = storages.find(storage.key);
    if (it == storages.end()) {
      at::Tensor flat = torch::empty({storage.numel}, torch::TensorOptions().dtype(type));
      archive.readStorage(storage, flat.data_ptr(), options.verifyChecksums);
      it = storages.emplace(storage.key, flat).first;
    } else if (it->second.scalar_type() != type || it->second.numel() != storage.numel) {
      throw ModelFileError(path + " is corrupt: storage '" + storage.key + "' is used as " +
                           elementTypeName(storage.type) + " by '" + t.name +
                           "' but with another type or size by an earlier tensor");
    }
    at::Tensor view = it->second.as_strided(t.tensor->sizes, t.tensor->strides, t.tensor->offset);
    result.entries.push_back({t.name, view});
  }
  return result;
}

}  // namespace emitrace::models::torch_import
