#include "core/models/torch_import/pickle_value.h"

#include <map>

namespace emitrace::models::torch_import {

const char* elementTypeName(ElementType type) {
  switch (type) {
    case ElementType::Float32: return "float32";
    case ElementType::Float64: return "float64";
    case ElementType::Float16: return "float16";
    case ElementType::BFloat16: return "bfloat16";
    case ElementType::Complex64: return "complex64";
    case ElementType::Complex128: return "complex128";
    case ElementType::Int64: return "int64";
    case ElementType::Int32: return "int32";
    case ElementType::Int16: return "int16";
    case ElementType::Int8: return "int8";
    case ElementType::UInt8: return "uint8";
    case ElementType::Bool: return "bool";
    case ElementType::Unknown: break;
  }
  return "unknown";
}

std::size_t elementSize(ElementType type) {
  switch (type) {
    case ElementType::Float64:
    case ElementType::Int64:
    case ElementType::Complex64: return 8;
    case ElementType::Complex128: return 16;
    case ElementType::Float32:
    case ElementType::Int32: return 4;
    case ElementType::Float16:
    case ElementType::BFloat16:
    case ElementType::Int16: return 2;
    case ElementType::Int8:
    case ElementType::UInt8:
    case ElementType::Bool: return 1;
    case ElementType::Unknown: break;
  }
  return 0;
}

ElementType elementTypeOfStorageClass(const std::string& className) {
  static const std::map<std::string, ElementType> kTypes = {
      {"FloatStorage", ElementType::Float32},   {"DoubleStorage", ElementType::Float64},
      {"HalfStorage", ElementType::Float16},    {"BFloat16Storage", ElementType::BFloat16},
      {"ComplexFloatStorage", ElementType::Complex64},
      {"ComplexDoubleStorage", ElementType::Complex128},
      {"LongStorage", ElementType::Int64},      {"IntStorage", ElementType::Int32},
      {"ShortStorage", ElementType::Int16},     {"CharStorage", ElementType::Int8},
      {"ByteStorage", ElementType::UInt8},      {"BoolStorage", ElementType::Bool},
      {"UntypedStorage", ElementType::UInt8}};
  const auto it = kTypes.find(className);
  return it == kTypes.end() ? ElementType::Unknown : it->second;
}

std::int64_t TensorRef::numel() const {
  std::int64_t n = 1;
  for (std::int64_t s : sizes) n *= s;
  return n;
}

PickleValuePtr PickleValue::make(Kind kind) {
  auto v = std::make_shared<PickleValue>();
  v->kind = kind;
  return v;
}

PickleValuePtr PickleValue::makeInt(std::int64_t value) {
  auto v = make(Kind::Int);
  v->integer = value;
  return v;
}

PickleValuePtr PickleValue::makeString(std::string value, Kind kind) {
  auto v = make(kind);
  v->text = std::move(value);
  return v;
}

std::string PickleValue::typeName() const {
  switch (kind) {
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int:
    case Kind::BigInt: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::Tuple: return "tuple";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
    case Kind::Global: return "class " + text;
    case Kind::Object: return text;
    case Kind::Storage: return "storage";
    case Kind::Tensor: return "tensor";
  }
  return "?";
}

const PickleValuePtr* PickleValue::find(const std::string& key) const {
  for (const auto& [k, v] : entries)
    if (k && k->kind == Kind::String && k->text == key) return &v;
  return nullptr;
}

}  // namespace emitrace::models::torch_import
