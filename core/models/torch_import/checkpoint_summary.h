#pragma once
// What a torch.save checkpoint holds, for `emitrace models inspect-state-dict`
// and for checking a file before importing it: the archive's metadata, its
// top-level entries, and every tensor of its state dict with shape and dtype.
// Reads only data.pkl, never tensor data, so it is instant even for large files.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/models/torch_import/read_options.h"

namespace emitrace::models::torch_import {

struct TensorSummary {
  std::string name;
  std::string dtype;                   // "float32", "int64", ...
  std::vector<std::int64_t> shape;
  std::int64_t numel = 0;
  bool isParameter = false;            // pickled as torch.nn.Parameter
  bool contiguous = true;              // a plain row-major block of its storage
  std::string storageKey;              // tensors with the same key share memory (tied or sliced)
  std::string problem;                 // non-empty: why this tensor cannot be imported
};

struct CheckpointSummary {
  std::string path;
  std::string archiveName;             // folder of the records inside the zip
  std::int64_t formatVersion = 0;      // the archive's version record
  std::string byteOrder = "little";
  std::string topLevel;                // the top-level object: "dict: 'epoch' (int), 'model' (...)"
  std::string location;                // where the state dict was found ("" = top level)
  std::vector<TensorSummary> tensors;  // in file order
  std::vector<std::string> skipped;    // non-tensor entries of the state dict
  std::int64_t totalElements = 0;      // sum of tensor element counts
  std::uint64_t storageBytes = 0;      // bytes of the distinct storages the tensors use
  std::uint64_t verifiedBytes = 0;     // with verify: bytes whose CRC-32 matched (all records)
};

// Throws like readStateDict, except that tensors which cannot be imported
// are listed with their problem instead of failing. With `verify`, it also
// reads every record of the archive and checks its CRC-32 (ModelFileError
// naming the damaged record); otherwise no tensor data is read.
CheckpointSummary inspectCheckpoint(const std::string& path, const ReadOptions& options = {},
                                    bool verify = false);

nlohmann::json toJson(const CheckpointSummary& summary);
// Multi-line report: header lines, then one line per tensor (name, dtype, shape).
std::string formatCheckpointSummary(const CheckpointSummary& summary);

}  // namespace emitrace::models::torch_import
