#include "core/models/model_commands.h"

#include <torch/torch.h>

#include <filesystem>
#include <sstream>

#include "core/error.h"
#include "core/models/device.h"
#include "core/models/model_file.h"
#include "core/models/model_registry.h"
#include "core/models/npy.h"
#include "core/partial_output.h"
#include "core/progress.h"
#include "core/sha256.h"

namespace emitrace::models {

void NewModelOptions::validate() const {
  if (kind.empty()) throw InputError("no model kind given (--kind)");
  if (output.empty()) throw InputError("no output model file given (--out)");
  checkWritableLocation(output);
}

void RunModelOptions::validate() const {
  if (model.empty()) throw InputError("no model file given (--model)");
  if (inputs.empty()) throw InputError("no input tensors given (--input NAME=file.npy)");
  if (outDir.empty()) throw InputError("no output folder given (--out-dir)");
}

nlohmann::json createModelFile(const NewModelOptions& options) {
  options.validate();
  const ModelKind& kind = findModelKind(options.kind);
  const std::string variant = options.variant.empty() ? kind.variants().front() : options.variant;
  ModelMetadata meta = kind.newMetadata(variant, options.settings);
  torch::manual_seed(options.seed);
  auto module = kind.build(meta);
  meta.provenance["created_by"] = "emitrace models new";
  meta.provenance["trained"] = false;
  meta.provenance["seed"] = options.seed;
  saveModelFile(options.output, meta, *module);
  return describeModelFile(options.output);
}

nlohmann::json describeModelFile(const std::string& path) {
  LoadedModel loaded = loadModel(path);
  nlohmann::json j = loaded.metadata.toJson();
  j["path"] = path;
  j["parameter_count"] = parameterCount(*loaded.module);
  j["sha256"] = sha256OfFile(path);
  j["kind_description"] = loaded.kind->description();
  return j;
}

std::string formatModelDescription(const nlohmann::json& d) {
  std::ostringstream out;
  out << d.value("path", std::string()) << "\n";
  out << "  kind:        " << d.value("kind", std::string()) << " (" << d.value("kind_description", std::string())
      << ")\n";
  out << "  variant:     " << d.value("variant", std::string()) << "\n";
  out << "  parameters:  " << d.value("parameter_count", std::int64_t{0}) << "\n";
  if (d.contains("hyper_parameters") && !d["hyper_parameters"].empty()) {
    out << "  hyper-parameters:\n";
    for (const auto& [k, v] : d["hyper_parameters"].items()) out << "    " << k << " = " << v.dump() << "\n";
  }
  auto listTensors = [&](const char* title, const char* key) {
    if (!d.contains(key) || d[key].empty()) return;
    out << "  " << title << ":\n";
    for (const auto& t : d[key]) {
      out << "    " << t.value("name", std::string("?"));
      if (t.contains("shape")) out << " " << t["shape"].dump();
      if (t.contains("units")) out << "  units: " << t["units"].get<std::string>();
      if (t.contains("bands")) out << "  bands: " << t["bands"].dump();
      if (t.contains("meaning")) out << "  " << t["meaning"].get<std::string>();
      out << "\n";
    }
  };
  listTensors("inputs", "inputs");
  listTensors("outputs", "outputs");
  if (d.contains("class_names") && !d["class_names"].empty()) out << "  classes:     " << d["class_names"].dump() << "\n";
  if (d.contains("thresholds") && !d["thresholds"].empty()) out << "  thresholds:  " << d["thresholds"].dump() << "\n";
  if (d.contains("provenance") && !d["provenance"].empty()) out << "  provenance:  " << d["provenance"].dump() << "\n";
  out << "  sha256:      " << d.value("sha256", std::string()) << "\n";
  return out.str();
}

std::vector<std::string> runModelOnArrays(const RunModelOptions& options, Progress& progress) {
  options.validate();
  const torch::Device device = parseDevice(options.device);
  std::error_code ec;
  std::filesystem::create_directories(options.outDir, ec);
  if (ec) throw IoError("cannot create output folder '" + options.outDir + "': " + ec.message());
  LoadedModel loaded = loadModel(options.model, {}, device);
  progress.report(0.2, "model loaded");
  TensorMap inputs;
  for (const auto& [name, path] : options.inputs) inputs[name] = readNpy(path).to(device);
  progress.throwIfCanceled();
  TensorMap outputs;
  {
    torch::InferenceMode guard;
    try {
      outputs = loaded.kind->forward(*loaded.module, loaded.metadata, inputs);
    } catch (const c10::Error& e) {
      throw InputError(std::string("the model rejected the inputs: ") + e.what_without_backtrace());
    }
  }
  progress.report(0.9, "writing outputs");
  std::vector<std::string> written;
  for (const auto& [name, tensor] : outputs) {
    const std::string path = (std::filesystem::path(options.outDir) / (name + ".npy")).string();
    writeNpy(path, tensor);
    written.push_back(path);
  }
  progress.report(1.0, "done");
  return written;
}

nlohmann::json listModelKinds() {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& name : registeredModelKinds()) {
    const ModelKind& k = findModelKind(name);
    out.push_back({{"kind", name}, {"description", k.description()}, {"variants", k.variants()}});
  }
  return out;
}

}  // namespace emitrace::models
