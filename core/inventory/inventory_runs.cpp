// Inventory: run provenance (the `runs` table).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/inventory/inventory_impl.h"
#include "core/version.h"

namespace emitrace::inventory {

std::string toString(RunStatus status) {
  switch (status) {
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Failed: return "failed";
    case RunStatus::Canceled: return "canceled";
  }
  return "running";
}

RunStatus parseRunStatus(const std::string& text) {
  if (text == "running") return RunStatus::Running;
  if (text == "finished") return RunStatus::Finished;
  if (text == "failed") return RunStatus::Failed;
  if (text == "canceled" || text == "cancelled") return RunStatus::Canceled;
  throw InputError("unknown run status '" + text + "' (expected running, finished, failed, canceled)");
}

namespace {

void checkJson(const std::string& text, const char* field) {
  if (text.empty()) return;
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text);
    (void)parsed;
  } catch (const std::exception& e) {
    throw InputError(std::string("run ") + field + " is not valid JSON: " + e.what());
  }
}

RunRecord runFromRow(OGRFeature& f) {
  RunRecord r;
  r.runId = f.GetFieldAsString("run_id");
  r.scanId = f.GetFieldAsString("scan_id");
  r.shardIndex = f.GetFieldAsInteger("shard_index");
  r.shardCount = f.GetFieldAsInteger("shard_count");
  r.softwareVersion = f.GetFieldAsString("software_version");
  r.modelKind = parseModelKind(f.GetFieldAsString("model_kind"));
  r.modelFile = f.GetFieldAsString("model_file");
  r.modelSha256 = f.GetFieldAsString("model_sha256");
  r.modelMetadataJson = f.GetFieldAsString("model_metadata");
  const std::string inputs = f.GetFieldAsString("inputs");
  if (!inputs.empty()) {
    for (const auto& s : nlohmann::json::parse(inputs)) r.inputs.push_back(s.get<std::string>());
  }
  r.aoi = f.GetFieldAsString("aoi");
  r.aoiWkt = f.GetFieldAsString("aoi_wkt");
  r.parametersJson = f.GetFieldAsString("parameters");
  r.startedAt = f.GetFieldAsString("started_at");
  r.finishedAt = f.GetFieldAsString("finished_at");
  r.status = parseRunStatus(f.GetFieldAsString("status"));
  r.message = f.GetFieldAsString("message");
  r.detectionCount = f.GetFieldAsInteger64("detection_count");
  return r;
}

}  // namespace

void RunRecord::validate() const {
  if (shardCount < 1) throw InputError("run shard count must be >= 1");
  if (shardIndex < 0 || shardIndex >= shardCount) {
    throw InputError("run shard index " + std::to_string(shardIndex) + " is outside 0.." +
                     std::to_string(shardCount - 1));
  }
  checkJson(modelMetadataJson, "model metadata");
  checkJson(parametersJson, "parameters");
  for (char c : runId) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      throw InputError("run id '" + runId + "' may only contain letters, digits, '-', '_' and '.'");
    }
  }
  if (scanId.find('/') != std::string::npos) {
    throw InputError("scan id '" + scanId + "' must not contain '/' (it is part of detection keys)");
  }
}

std::string Inventory::beginRun(RunRecord run) {
  if (run.runId.empty()) run.runId = randomHexId();
  if (run.scanId.empty()) run.scanId = run.runId;
  if (run.softwareVersion.empty()) run.softwareVersion = std::string("emitrace ") + kVersion;
  run.validate();
  Impl& d = *impl_;
  d.write([&] {
    if (selectInt(*d.ds, "SELECT COUNT(*) FROM runs WHERE run_id = " + sqlQuote(run.runId)) > 0) {
      throw InputError("inventory '" + d.path + "' already has a run '" + run.runId + "'");
    }
    OGRLayer* runs = d.layer(schema::kRuns);
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(runs->GetLayerDefn()));
    f->SetField("run_id", run.runId.c_str());
    f->SetField("scan_id", run.scanId.c_str());
    f->SetField("shard_index", run.shardIndex);
    f->SetField("shard_count", run.shardCount);
    f->SetField("software_version", run.softwareVersion.c_str());
    f->SetField("model_kind", toString(run.modelKind).c_str());
    f->SetField("model_file", run.modelFile.c_str());
    f->SetField("model_sha256", run.modelSha256.c_str());
    f->SetField("model_metadata", run.modelMetadataJson.empty() ? "{}" : run.modelMetadataJson.c_str());
    f->SetField("inputs", nlohmann::json(run.inputs).dump().c_str());
    f->SetField("aoi", run.aoi.c_str());
    f->SetField("aoi_wkt", run.aoiWkt.c_str());
    f->SetField("parameters", run.parametersJson.empty() ? "{}" : run.parametersJson.c_str());
    f->SetField("started_at", nowIso().c_str());
    f->SetField("status", toString(RunStatus::Running).c_str());
    f->SetField("detection_count", static_cast<GIntBig>(0));
    createFeature(*runs, *f, "the run record");
  });
  return run.runId;
}

void Inventory::finishRun(const std::string& runId, RunStatus status, const std::string& message) {
  Impl& d = *impl_;
  d.write([&] {
    if (selectInt(*d.ds, "SELECT COUNT(*) FROM runs WHERE run_id = " + sqlQuote(runId)) == 0) {
      throw InputError("inventory '" + d.path + "' has no run '" + runId + "'");
    }
    const std::int64_t count =
        selectInt(*d.ds, "SELECT COUNT(*) FROM detections WHERE run_id = " + sqlQuote(runId));
    d.exec("UPDATE runs SET finished_at = " + sqlQuote(nowIso()) + ", status = " +
           sqlQuote(toString(status)) + ", message = " + sqlQuote(message) +
           ", detection_count = " + std::to_string(count) + " WHERE run_id = " + sqlQuote(runId));
  });
}

std::vector<RunRecord> Inventory::runs() const {
  std::vector<RunRecord> out;
  selectSql(*impl_->ds, "SELECT * FROM runs ORDER BY fid",
            [&](OGRFeature& f) { out.push_back(runFromRow(f)); });
  return out;
}

std::optional<RunRecord> Inventory::run(const std::string& runId) const {
  std::optional<RunRecord> out;
  selectSql(*impl_->ds, "SELECT * FROM runs WHERE run_id = " + sqlQuote(runId),
            [&](OGRFeature& f) { out = runFromRow(f); });
  return out;
}

}  // namespace emitrace::inventory
