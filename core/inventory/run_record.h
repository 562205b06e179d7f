#pragma once
// Provenance of one scan run (one process writing detections; a shard of a
// sharded scan is one run). Stored in the inventory's `runs` table.
#include <cstdint>
#include <string>
#include <vector>

#include "core/inventory/detection.h"

namespace emitrace::inventory {

enum class RunStatus { Running, Finished, Failed, Canceled };
std::string toString(RunStatus status);  // "running", "finished", "failed", "canceled"
RunStatus parseRunStatus(const std::string& text);

struct RunRecord {
  // Set by beginRun() when empty: a random 128-bit hex id, unique across
  // files so shard GeoPackages can be merged.
  std::string runId;
  // The logical scan this run belongs to; "" = runId. All shards of one scan
  // share it, so their detections have the same natural keys as an unsharded
  // scan would give.
  std::string scanId;
  int shardIndex = 0;  // 0-based
  int shardCount = 1;

  std::string softwareVersion;  // "" = this build's version
  ModelKind modelKind = ModelKind::DmfNet;
  std::string modelFile;          // path as given
  std::string modelSha256;        // hex digest of the model file (fileSha256())
  std::string modelMetadataJson;  // the model file's metadata entry (JSON object)
  std::vector<std::string> inputs;  // raster sources (GDAL paths)
  std::string aoi;                // the AOI as the user gave it
  std::string aoiWkt;             // the AOI polygon in EPSG:4326 ("" = unknown)
  std::string parametersJson;     // the scan options (Options::toJson())

  // Filled by the inventory.
  std::string startedAt;   // ISO 8601 UTC
  std::string finishedAt;
  RunStatus status = RunStatus::Running;
  std::string message;     // error text for failed runs
  std::int64_t detectionCount = 0;

  // Checks JSON fields parse and shard numbers make sense. Throws InputError.
  void validate() const;
};

// SHA-256 of a file as 64 lower-case hex digits (for RunRecord::modelSha256).
// Throws IoError if the file cannot be read.
std::string fileSha256(const std::string& path);
// SHA-256 of a byte string.
std::string sha256Hex(const std::string& bytes);

}  // namespace emitrace::inventory
