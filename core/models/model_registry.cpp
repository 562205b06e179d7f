#include "core/models/model_registry.h"

#include <mutex>

#include "core/error.h"
#include "core/models/builtin_kinds.h"
#include "core/models/model_file.h"

namespace emitrace::models {
namespace {

std::map<std::string, std::unique_ptr<ModelKind>>& registry() {
  static std::map<std::string, std::unique_ptr<ModelKind>> kinds;
  return kinds;
}

std::mutex& registryMutex() {
  static std::mutex m;
  return m;
}

void ensureBuiltins() {
  static std::once_flag once;
  std::call_once(once, [] { registerBuiltinModelKinds(); });
}

}  // namespace

void registerModelKind(std::unique_ptr<ModelKind> kind) {
  std::lock_guard<std::mutex> lock(registryMutex());
  const std::string name = kind->kind();
  registry()[name] = std::move(kind);
}

const ModelKind& findModelKind(const std::string& kind) {
  ensureBuiltins();
  std::lock_guard<std::mutex> lock(registryMutex());
  auto it = registry().find(kind);
  if (it == registry().end()) {
    std::string known;
    for (const auto& [name, _] : registry()) known += (known.empty() ? "" : ", ") + name;
    throw InputError("unknown model kind '" + kind + "' (known: " + (known.empty() ? "none" : known) + ")");
  }
  return *it->second;
}

std::vector<std::string> registeredModelKinds() {
  ensureBuiltins();
  std::lock_guard<std::mutex> lock(registryMutex());
  std::vector<std::string> out;
  for (const auto& [name, _] : registry()) out.push_back(name);
  return out;
}

LoadedModel loadModel(const std::string& path, const std::string& expectedKind, const torch::Device& device) {
  LoadedModel loaded;
  loaded.metadata = readModelMetadata(path);
  if (!expectedKind.empty() && loaded.metadata.kind != expectedKind) {
    throw ModelFileError("'" + path + "' is a " + loaded.metadata.kind + " model file, but a " + expectedKind +
                         " model is needed here");
  }
  ensureBuiltins();
  try {
    loaded.kind = &findModelKind(loaded.metadata.kind);
  } catch (const InputError&) {
    throw ModelFileError("'" + path + "' holds a model of kind '" + loaded.metadata.kind +
                         "', which this Emitrace does not know");
  }
  loaded.module = loaded.kind->build(loaded.metadata);
  loadModelWeights(path, *loaded.module);
  loaded.module->to(device);
  loaded.module->eval();
  return loaded;
}

std::int64_t parameterCount(const torch::nn::Module& module) {
  std::int64_t n = 0;
  for (const auto& p : module.parameters(/*recurse=*/true)) n += p.numel();
  return n;
}

}  // namespace emitrace::models
