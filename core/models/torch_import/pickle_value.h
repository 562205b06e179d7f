#pragma once
// The values a torch.save pickle decodes into, without LibTorch: Python
// containers and scalars, references to classes ("globals"), opaque objects
// of classes the importer does not model (argparse.Namespace, numpy scalars),
// and descriptions of storages and tensors whose data still sits in the zip
// archive. Tensors become torch::Tensor only when a state dict is materialised
// (state_dict.h), so inspecting a checkpoint reads no tensor data.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace emitrace::models::torch_import {

// Element types of torch storages (torch.FloatStorage = Float32, ...).
enum class ElementType {
  Unknown, Float32, Float64, Float16, BFloat16, Complex64, Complex128,
  Int64, Int32, Int16, Int8, UInt8, Bool
};

// torch's dtype spelling: "float32", "int64", "bool", ...; "unknown".
const char* elementTypeName(ElementType type);
// Bytes per element; 0 for Unknown.
std::size_t elementSize(ElementType type);
// The element type of a torch storage class ("FloatStorage" -> Float32,
// also "UntypedStorage" -> UInt8); Unknown for anything else.
ElementType elementTypeOfStorageClass(const std::string& className);

// One storage record of the archive: `<archive>/data/<key>`.
struct StorageRef {
  std::string key;
  ElementType type = ElementType::Unknown;
  std::string className;   // e.g. "torch.FloatStorage", for messages
  std::string location;    // device it was saved from ("cpu", "cuda:0"); loaded onto the CPU
  std::int64_t numel = 0;  // elements (not bytes)
  std::string problem;     // non-empty: why this storage cannot be read
};

// A tensor as torch._utils._rebuild_tensor_v2 describes it: a strided view
// onto a storage. Several tensors may view one storage (tied weights, slices).
struct TensorRef {
  std::shared_ptr<const StorageRef> storage;
  std::int64_t offset = 0;             // elements into the storage
  std::vector<std::int64_t> sizes;
  std::vector<std::int64_t> strides;   // elements
  bool requiresGrad = false;
  bool isParameter = false;            // pickled as torch.nn.Parameter
  std::string builtBy;                 // the rebuild function, for messages
  std::string problem;                 // non-empty: why it cannot be materialised

  ElementType type() const { return storage ? storage->type : ElementType::Unknown; }
  std::int64_t numel() const;
};

struct PickleValue;
using PickleValuePtr = std::shared_ptr<PickleValue>;

struct PickleValue {
  enum class Kind {
    None, Bool, Int, BigInt, Float, String, Bytes,
    Tuple, List, Dict, Set,
    Global,   // a class or function reference: text = "module.name"
    Object,   // an instance of a class we do not model: text = class, items = args, state = BUILD state
    Storage, Tensor
  };

  Kind kind = Kind::None;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0.0;
  std::string text;                    // String (UTF-8), Bytes, Global/Object name, BigInt (little-endian two's complement)
  std::vector<PickleValuePtr> items;   // Tuple, List, Set; Object: constructor arguments
  std::vector<std::pair<PickleValuePtr, PickleValuePtr>> entries;  // Dict, in insertion order
  PickleValuePtr state;                // BUILD state (Object attributes, OrderedDict._metadata)
  std::shared_ptr<StorageRef> storage;
  std::shared_ptr<TensorRef> tensor;

  static PickleValuePtr make(Kind kind);
  static PickleValuePtr makeInt(std::int64_t value);
  static PickleValuePtr makeString(std::string value, Kind kind = Kind::String);

  bool isString() const { return kind == Kind::String; }
  bool isTensor() const { return kind == Kind::Tensor; }
  // Python-style type name for messages: "int", "dict", "tensor", "argparse.Namespace".
  std::string typeName() const;
  // Dict entry with this string key, or nullptr.
  const PickleValuePtr* find(const std::string& key) const;
};

}  // namespace emitrace::models::torch_import
