#include "core/models/model_file.h"

#include <torch/torch.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/partial_output.h"
#include "core/version.h"

namespace emitrace::models {
namespace {

constexpr const char* kMetadataKey = "emitrace_metadata";

std::string shapeText(at::IntArrayRef sizes) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < sizes.size(); ++i) s << (i ? ", " : "") << sizes[i];
  s << "]";
  return s.str();
}

torch::serialize::InputArchive openArchive(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError("model file not found: '" + path + "'");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path, torch::kCPU);
  } catch (const c10::Error&) {
    throw ModelFileError("'" + path +
                         "' is not an Emitrace model file (not a LibTorch archive); create one with "
                         "`emitrace models new` or `emitrace import-weights`");
  }
  return archive;
}

ModelMetadata metadataFrom(torch::serialize::InputArchive& archive, const std::string& path) {
  c10::IValue value;
  if (!archive.try_read(kMetadataKey, value) || !value.isString()) {
    throw ModelFileError("'" + path +
                         "' is a LibTorch archive without Emitrace metadata (a TorchScript or "
                         "foreign file?); import PyTorch weights with `emitrace import-weights`");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(value.toStringRef());
  } catch (const nlohmann::json::exception& e) {
    throw ModelFileError("'" + path + "': model metadata is not valid JSON (" + e.what() + ")");
  }
  ModelMetadata m = ModelMetadata::fromJson(j, path);
  if (m.formatVersion > kModelFileFormat) {
    throw ModelFileError("'" + path + "' uses model-file format " + std::to_string(m.formatVersion) +
                         ", newer than this Emitrace (" + std::string(kVersion) + ") reads (" +
                         std::to_string(kModelFileFormat) + "); upgrade Emitrace");
  }
  return m;
}

}  // namespace

void saveModelFile(const std::string& path, const ModelMetadata& metadata, const torch::nn::Module& module) {
  PartialOutput output(path);
  ModelMetadata m = metadata;
  m.formatVersion = kModelFileFormat;
  if (m.softwareVersion.empty()) m.softwareVersion = kVersion;
  torch::serialize::OutputArchive archive;
  for (const auto& p : module.named_parameters(/*recurse=*/true)) {
    archive.write(p.key(), p.value().detach().to(torch::kCPU));
  }
  for (const auto& b : module.named_buffers(/*recurse=*/true)) {
    archive.write(b.key(), b.value().detach().to(torch::kCPU), /*is_buffer=*/true);
  }
  archive.write(kMetadataKey, c10::IValue(m.toJson().dump()));
  try {
    archive.save_to(output.path());
  } catch (const c10::Error& e) {
    throw IoError("cannot write model file '" + path + "' (disk full?): " + std::string(e.what_without_backtrace()));
  }
  output.commit();
}

ModelMetadata readModelMetadata(const std::string& path) {
  auto archive = openArchive(path);
  return metadataFrom(archive, path);
}

void loadModelWeights(const std::string& path, torch::nn::Module& module) {
  auto archive = openArchive(path);
  const ModelMetadata meta = metadataFrom(archive, path);
  std::set<std::string> stored;
  for (const auto& k : archive.keys()) {
    if (k != kMetadataKey) stored.insert(k);
  }
  std::vector<std::string> problems;
  torch::NoGradGuard noGrad;
  auto copyInto = [&](const std::string& name, torch::Tensor& target, bool isBuffer) {
    torch::Tensor value;
    if (!archive.try_read(name, value, isBuffer)) {
      problems.push_back("missing tensor '" + name + "' " + shapeText(target.sizes()));
      return;
    }
    stored.erase(name);
    if (value.sizes() != target.sizes()) {
      problems.push_back("tensor '" + name + "' has shape " + shapeText(value.sizes()) + ", the model expects " +
                         shapeText(target.sizes()));
      return;
    }
    target.copy_(value.to(target.dtype()));
  };
  for (auto& p : module.named_parameters(/*recurse=*/true)) copyInto(p.key(), p.value(), false);
  for (auto& b : module.named_buffers(/*recurse=*/true)) copyInto(b.key(), b.value(), true);
  for (const auto& extra : stored) problems.push_back("unexpected tensor '" + extra + "'");
  if (!problems.empty()) {
    std::string msg = "'" + path + "' (" + meta.kind + (meta.variant.empty() ? "" : "/" + meta.variant) +
                      ") does not match the architecture its metadata describes:";
    const size_t shown = std::min<size_t>(problems.size(), 20);
    for (size_t i = 0; i < shown; ++i) msg += "\n  " + problems[i];
    if (problems.size() > shown) msg += "\n  ... and " + std::to_string(problems.size() - shown) + " more";
    throw ModelFileError(msg);
  }
}

}  // namespace emitrace::models
