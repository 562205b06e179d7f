#include "core/models/torch_import/torch_pickle.h"

#include <limits>

namespace emitrace::models::torch_import {
namespace {

using Kind = PickleValue::Kind;

bool isIntTuple(const PickleValue& v) {
  if (v.kind != Kind::Tuple && v.kind != Kind::List) return false;
  for (const auto& item : v.items)
    if (item->kind != Kind::Int) return false;
  return true;
}

std::vector<std::int64_t> ints(const PickleValue& v) {
  std::vector<std::int64_t> out;
  for (const auto& item : v.items) out.push_back(item->integer);
  return out;
}

PickleValuePtr tensorWithProblem(const std::string& builtBy, const std::string& problem) {
  auto v = PickleValue::make(Kind::Tensor);
  v->tensor = std::make_shared<TensorRef>();
  v->tensor->builtBy = builtBy;
  v->tensor->problem = problem;
  return v;
}

// Checks that every element of the strided view lies inside the storage.
std::string viewProblem(const TensorRef& t) {
  if (t.offset < 0) return "negative storage offset " + std::to_string(t.offset);
  unsigned __int128 last = static_cast<unsigned __int128>(t.offset);
  bool empty = false;
  for (std::size_t d = 0; d < t.sizes.size(); ++d) {
    if (t.sizes[d] < 0) return "negative size in dimension " + std::to_string(d);
    if (t.strides[d] < 0) return "negative stride in dimension " + std::to_string(d);
    if (t.sizes[d] == 0) empty = true;
    else last += static_cast<unsigned __int128>(t.sizes[d] - 1) * static_cast<unsigned __int128>(t.strides[d]);
  }
  const auto numel = static_cast<unsigned __int128>(t.storage->numel);
  if (empty ? static_cast<unsigned __int128>(t.offset) > numel : last >= numel)
    return "its view (offset " + std::to_string(t.offset) + ") reaches outside its storage of " +
           std::to_string(t.storage->numel) + " elements";
  return "";
}

}  // namespace

PickleValuePtr TorchPickleReader::rebuildTensor(const std::vector<PickleValuePtr>& a,
                                                const std::string& builtBy) {
  if (a.size() < 4) return tensorWithProblem(builtBy, builtBy + " has fewer than 4 arguments");
  if (a[0]->kind != Kind::Storage)
    return tensorWithProblem(builtBy, "its storage is a " + a[0]->typeName() + ", not a torch storage");
  if (a[1]->kind != Kind::Int || !isIntTuple(*a[2]) || !isIntTuple(*a[3]) ||
      a[2]->items.size() != a[3]->items.size())
    return tensorWithProblem(builtBy, "its offset, size or stride arguments are malformed");
  auto v = PickleValue::make(Kind::Tensor);
  auto t = std::make_shared<TensorRef>();
  t->storage = a[0]->storage;
  t->offset = a[1]->integer;
  t->sizes = ints(*a[2]);
  t->strides = ints(*a[3]);
  t->requiresGrad = a.size() > 4 && a[4]->kind == Kind::Bool && a[4]->boolean;
  t->builtBy = builtBy;
  if (!t->storage->problem.empty()) t->problem = t->storage->problem;
  else t->problem = viewProblem(*t);
  v->tensor = t;
  return v;
}

PickleValuePtr TorchPickleReader::call(const PickleValuePtr& callable, const PickleValuePtr& args) {
  if (callable->kind != Kind::Global) return Unpickler::call(callable, args);
  const std::string& name = callable->text;
  const auto& a = args->items;
  if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor")
    return rebuildTensor(a, name);
  if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
    if (a.empty() || a[0]->kind != Kind::Tensor)
      return tensorWithProblem(name, "the parameter's data is not a tensor");
    auto v = PickleValue::make(Kind::Tensor);
    v->tensor = std::make_shared<TensorRef>(*a[0]->tensor);
    v->tensor->isParameter = true;
    v->tensor->requiresGrad = a.size() > 1 && a[1]->kind == Kind::Bool && a[1]->boolean;
    return v;
  }
  // Tensor subclasses: (function, subclass, function arguments, python state).
  if (name == "torch._tensor._rebuild_from_type_v2" || name == "torch._tensor._rebuild_from_type") {
    if (a.size() >= 3 && a[2]->kind == Kind::Tuple) {
      PickleValuePtr inner = call(a[0], a[2]);
      if (inner->kind == Kind::Tensor) return inner;
    }
    return tensorWithProblem(name, "a tensor subclass that could not be rebuilt");
  }
  // Quantized, sparse, nested, meta and device-specific tensors.
  if (name.rfind("torch._utils._rebuild_", 0) == 0 || name.rfind("torch._tensor._rebuild_", 0) == 0)
    return tensorWithProblem(name, "it was saved by " + name +
                                       " (a quantized, sparse or otherwise special tensor), which "
                                       "Emitrace cannot import; save a dense tensor instead");
  if (name == "torch.Size" && a.size() == 1 && a[0]->kind == Kind::Tuple) return a[0];
  return Unpickler::call(callable, args);
}

PickleValuePtr TorchPickleReader::persistentLoad(const PickleValuePtr& pid) {
  auto v = PickleValue::make(Kind::Storage);
  auto s = std::make_shared<StorageRef>();
  v->storage = s;
  const auto& p = pid->items;
  if (pid->kind != Kind::Tuple || p.empty() || !p[0]->isString()) {
    s->problem = "its persistent id is a " + pid->typeName() + ", not a storage id";
    return v;
  }
  if (p[0]->text != "storage") {
    s->problem = "its persistent id names a '" + p[0]->text + "', not a storage";
    return v;
  }
  if (p.size() != 5 || p[1]->kind != Kind::Global || !p[2]->isString() || !p[3]->isString() ||
      p[4]->kind != Kind::Int || p[4]->integer < 0) {
    s->problem = "its storage id is malformed";
    return v;
  }
  s->className = p[1]->text;
  s->key = p[2]->text;
  s->location = p[3]->text;
  s->numel = p[4]->integer;
  const std::size_t dot = s->className.rfind('.');
  const std::string module = dot == std::string::npos ? "" : s->className.substr(0, dot);
  if (module == "torch" || module == "torch.cuda" || module == "torch.storage")
    s->type = elementTypeOfStorageClass(s->className.substr(dot + 1));
  if (s->type == ElementType::Unknown)
    s->problem = "its storage class " + s->className + " is not supported";
  else if (static_cast<std::uint64_t>(s->numel) > std::numeric_limits<std::uint64_t>::max() / 16)
    s->problem = "its storage size is implausible";
  return v;
}

}  // namespace emitrace::models::torch_import
