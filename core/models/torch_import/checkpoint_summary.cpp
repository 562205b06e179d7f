#include "core/models/torch_import/checkpoint_summary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <sstream>

#include "core/models/torch_import/checkpoint_archive.h"
#include "core/models/torch_import/state_dict_finder.h"

namespace emitrace::models::torch_import {
namespace {

bool isContiguous(const TensorRef& t) {
  std::int64_t expected = 1;
  for (std::size_t d = t.sizes.size(); d-- > 0;) {
    if (t.sizes[d] != 1 && t.strides[d] != expected) return false;
    expected *= t.sizes[d];
  }
  return true;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

}  // namespace

CheckpointSummary inspectCheckpoint(const std::string& path, const ReadOptions& options, bool verify) {
  options.validate();
  const CheckpointArchive archive(path);
  const PickleValue& root = *archive.root();
  const FoundStateDict found = findStateDict(root, options, path);

  CheckpointSummary s;
  s.path = path;
  s.archiveName = archive.archiveName();
  s.formatVersion = archive.formatVersion();
  s.byteOrder = archive.bigEndian() ? "big" : "little";
  s.topLevel = root.kind == PickleValue::Kind::Dict && !isStateDict(root)
                   ? "dict: " + describeEntries(root)
                   : describeValue(root);
  s.location = found.location;
  s.skipped = found.skipped;
  std::map<std::string, std::uint64_t> storages;
  for (const FoundTensor& f : found.tensors) {
    const TensorRef& t = *f.tensor;
    TensorSummary ts;
    ts.name = f.name;
    ts.dtype = elementTypeName(t.type());
    ts.shape = t.sizes;
    ts.numel = t.numel();
    ts.isParameter = t.isParameter;
    ts.problem = t.problem;
    if (t.storage) {
      ts.contiguous = isContiguous(t);
      ts.storageKey = t.storage->key;
      if (t.storage->problem.empty())
        storages[t.storage->key] = static_cast<std::uint64_t>(t.storage->numel) * elementSize(t.storage->type);
    }
    s.totalElements += ts.numel;
    s.tensors.push_back(std::move(ts));
  }
  for (const auto& [key, bytes] : storages) s.storageBytes += bytes;
  if (verify) s.verifiedBytes = archive.verifyAllRecords();
  return s;
}

nlohmann::json toJson(const CheckpointSummary& s) {
  nlohmann::json tensors = nlohmann::json::array();
  for (const TensorSummary& t : s.tensors) {
    nlohmann::json j = {{"name", t.name},         {"dtype", t.dtype},
                        {"shape", t.shape},       {"numel", t.numel},
                        {"parameter", t.isParameter}, {"contiguous", t.contiguous},
                        {"storage", t.storageKey}};
    if (!t.problem.empty()) j["problem"] = t.problem;
    tensors.push_back(std::move(j));
  }
  return {{"path", s.path},
          {"archive_name", s.archiveName},
          {"format_version", s.formatVersion},
          {"byte_order", s.byteOrder},
          {"top_level", s.topLevel},
          {"state_dict_location", s.location},
          {"tensor_count", s.tensors.size()},
          {"total_elements", s.totalElements},
          {"storage_bytes", s.storageBytes},
          {"verified_bytes", s.verifiedBytes},
          {"skipped", s.skipped},
          {"tensors", tensors}};
}

std::string formatCheckpointSummary(const CheckpointSummary& s) {
  std::ostringstream out;
  out << "Checkpoint:   " << s.path << "\n"
      << "Archive:      " << s.archiveName << " (format version " << s.formatVersion << ", "
      << s.byteOrder << "-endian)\n"
      << "Top level:    " << s.topLevel << "\n"
      << "State dict:   " << (s.location.empty() ? "the top-level object" : "key '" + s.location + "'")
      << ", " << s.tensors.size() << " tensors, " << s.totalElements << " elements, "
      << s.storageBytes << " bytes of storage\n";
  if (s.verifiedBytes > 0) out << "Checksums:    all records match (" << s.verifiedBytes << " bytes)\n";
  for (const std::string& k : s.skipped) out << "Skipped:      " << k << " (not a tensor)\n";
  std::size_t width = 4;
  for (const TensorSummary& t : s.tensors) width = std::max(width, t.name.size());
  for (const TensorSummary& t : s.tensors) {
    out << "  " << t.name << std::string(width - t.name.size() + 2, ' ') << t.dtype
        << std::string(t.dtype.size() < 9 ? 9 - t.dtype.size() : 1, ' ') << shapeText(t.shape);
    if (!t.contiguous) out << "  (strided view)";
    if (!t.problem.empty()) out << "  NOT IMPORTABLE: " << t.problem;
    out << "\n";
  }
  return out.str();
}

}  // namespace emitrace::models::torch_import
