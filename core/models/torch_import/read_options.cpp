#include "core/models/torch_import/read_options.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace emitrace::models::torch_import {

void ReadOptions::validate() const {
  if (!key.empty() && (key.front() == '/' || key.back() == '/' || key.find("//") != std::string::npos))
    throw InputError("state dict key '" + key +
                     "' is malformed: give a top-level key such as 'model', or 'outer/inner' for a "
                     "nested dict");
}

nlohmann::json ReadOptions::toJson() const {
  return {{"key", key}, {"strip_module_prefix", stripModulePrefix}, {"verify_checksums", verifyChecksums}};
}

ReadOptions ReadOptions::fromJson(const nlohmann::json& json) {
  ReadOptions o;
  o.key = json.value("key", o.key);
  o.stripModulePrefix = json.value("strip_module_prefix", o.stripModulePrefix);
  o.verifyChecksums = json.value("verify_checksums", o.verifyChecksums);
  return o;
}

}  // namespace emitrace::models::torch_import
