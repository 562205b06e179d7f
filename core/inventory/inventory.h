#pragma once
// An Emitrace inventory: one GeoPackage holding detections, merged
// facilities (polygons + centroid points), the review log, run provenance,
// reference matches and default QGIS styles (layer_styles).
//
// Layers/tables (all geometry in EPSG:4326):
//   detections         MULTIPOLYGON  one row per Detection (detection.h)
//   facilities         MULTIPOLYGON  merged facilities (facility.h)
//   facility_points    POINT         their centroids
//   reference_matches  POINT         reference points and what covers them
//   review_log         table         every review decision (review.h)
//   runs               table         scan provenance (run_record.h)
//   emitrace_metadata  table         format id, schema version, state
//   layer_styles       table         QGIS default styles (QML + SLD)
//
// Safe to share: the file is in SQLite WAL mode with a busy timeout, so QGIS
// or the analyst app can read it while a scan or a review writes, and every
// change is one transaction (synchronous=FULL): a decision that returned is
// on disk, a write interrupted by a crash leaves nothing behind.
//
// One Inventory object per thread; open the same file as often as needed
// (each object is its own SQLite connection). Front ends (CLI, Qt 6 app,
// QGIS plugin) call these functions and the free operations in merge.h,
// validation.h, summary.h and inventory_export.h; no result-changing logic
// lives in a front end.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/inventory/detection.h"
#include "core/inventory/facility.h"
#include "core/inventory/review.h"
#include "core/inventory/run_record.h"

namespace emitrace {
class Progress;
}

namespace emitrace::inventory {

// The schema version this build writes and reads.
inline constexpr int kSchemaVersion = 1;
// emitrace_metadata "format" value that marks a GeoPackage as an inventory.
inline constexpr const char* kInventoryFormat = "emitrace-inventory";

struct OpenOptions {
  bool readOnly = false;
  int busyTimeoutMs = 15000;  // how long to wait for another writer, ms
};

struct CreateOptions {
  bool overwrite = false;     // replace an existing file
  int busyTimeoutMs = 15000;
};

class Inventory {
 public:
  // Creates a new inventory (all layers, metadata, default styles). Throws
  // IoError if the file exists (unless overwrite) or cannot be written. The
  // file appears only once complete.
  static Inventory create(const std::string& path, const CreateOptions& options = {});
  // Opens an inventory. Throws IoError (missing/unreadable/locked) or
  // InputError: not a GeoPackage, a GeoPackage that is not an inventory, a
  // schema version this build cannot read (newer or older), damaged tables.
  static Inventory open(const std::string& path, const OpenOptions& options = {});
  // True if `path` is a GeoPackage with an emitrace_metadata table (no
  // version check; never throws).
  static bool looksLikeInventory(const std::string& path);

  Inventory(Inventory&&) noexcept;
  Inventory& operator=(Inventory&&) noexcept;
  ~Inventory();

  const std::string& path() const;
  bool readOnly() const;
  int schemaVersion() const;
  std::string createdAt() const;
  std::string createdBy() const;
  // True when review decisions changed membership (rejection, relabel, undo)
  // since the last mergeFacilities(): facilities need re-merging.
  bool facilitiesStale() const;

  // --- runs ----------------------------------------------------------------
  // Records a run as running and returns its id. Throws InputError for a bad
  // record or a run id that exists.
  std::string beginRun(RunRecord run);
  // Sets the end time, status and message; counts the run's detections.
  void finishRun(const std::string& runId, RunStatus status = RunStatus::Finished,
                 const std::string& message = {});
  std::vector<RunRecord> runs() const;
  std::optional<RunRecord> run(const std::string& runId) const;

  // --- detections ------------------------------------------------------------
  // Validates every record, then writes the batch in one transaction
  // (nothing is written if any record is bad). Geometries are transformed to
  // EPSG:4326. Cancellable between records (then nothing is written).
  AddDetectionsResult addDetections(const std::vector<Detection>& batch,
                                    const AddDetectionsOptions& options = {});
  AddDetectionsResult addDetections(const std::vector<Detection>& batch,
                                    const AddDetectionsOptions& options, Progress& progress);
  std::vector<StoredDetection> listDetections(const DetectionFilter& filter = {}) const;
  std::int64_t countDetections(const DetectionFilter& filter = {}) const;
  std::optional<StoredDetection> detection(std::int64_t id) const;
  std::optional<StoredDetection> detectionByKey(const std::string& key) const;

  // --- review ----------------------------------------------------------------
  // Applies one decision in one transaction with its review_log rows. Throws
  // InputError for unknown ids (nothing changes).
  ReviewOutcome review(const ReviewDecision& decision);
  // Rejects every *pending* detection with probability < threshold within
  // `scope` (decided detections are never touched), as one decision.
  ReviewOutcome rejectBelow(double threshold, const DetectionFilter& scope = {},
                            const std::string& note = {}, const std::string& reviewer = {});
  // Reverts the newest decision not yet undone (restoring each detection's
  // previous status, type, note, reviewer and time) and logs the undo.
  // std::nullopt when there is nothing to undo.
  std::optional<ReviewOutcome> undoLastDecision(const std::string& reviewer = {});
  // Newest first. decisionId > 0: only that decision's rows.
  std::vector<ReviewLogEntry> reviewLog(std::int64_t limit = -1, std::int64_t decisionId = 0) const;

  // --- facilities (written by mergeFacilities, merge.h) ------------------------
  std::vector<Facility> listFacilities(const FacilityFilter& filter = {}) const;
  std::optional<Facility> facility(std::int64_t id) const;
  std::int64_t countFacilities() const;

  // --- metadata ----------------------------------------------------------------
  std::string metadata(const std::string& key) const;  // "" if unset
  void setMetadata(const std::string& key, const std::string& value);

  // Internal state shared by the operation files (merge, validation, export);
  // defined in inventory_impl.h, not part of the public API.
  struct Impl;
  Impl& impl() const { return *impl_; }

 private:
  explicit Inventory(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace emitrace::inventory
