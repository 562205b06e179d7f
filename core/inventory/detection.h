#pragma once
// The Detection record: what every model scan (DMFNet, FusionNet, FLAME, the
// classical matched filters) writes into an inventory, one record per
// positive patch, chip or plume polygon, through Inventory::addDetections().
//
// How a scan writes:
//
//   Inventory inv = Inventory::open(path);          // or Inventory::create
//   RunRecord run;                                  // provenance, see run_record.h
//   run.modelKind = ModelKind::DmfNet; run.modelFile = ...; run.inputs = ...;
//   const std::string runId = inv.beginRun(run);
//   std::vector<Detection> batch;
//   for (each positive tile) {
//     Detection d;
//     d.runId = runId;
//     d.tileId = tile.id;                           // TileGrid id (stable across runs)
//     d.modelKind = ModelKind::DmfNet;
//     d.modelClass = "Landfills";                   // the model's own class name
//     d.probability = p[argmax];
//     d.classProbabilities = {{"CAFOs", ..}, {"Landfills", ..}, ...};
//     d.fusionPath = 3;
//     d.mafmWeights = {{0.5, 0.3, 0.2}, ...};       // per stage: RGB, IR, SAR
//     d.sceneIds = {...}; d.acquisitionDates = {"2023-06-01", ...};
//     d.geometryWkt = tiles.footprintWkt(tile); d.crs = grid.crsWkt;
//     batch.push_back(d);
//   }
//   inv.addDetections(batch);                       // one transaction per call
//   inv.finishRun(runId, RunStatus::Finished);
//
// Identity. A detection's natural key is
//   <scan id>/<tile id>/<model kind>/<model class>/<item index>
// (scan id from the run; shards of one scan share it). The key is unique in an
// inventory, so writing the same batch twice, or merging shard GeoPackages of
// one scan, never duplicates a detection: addDetections() skips (or, if
// asked, rejects) records whose key exists. Plume models that find several
// polygons in one tile number them with itemIndex; untiled detections use
// tileId = -1 and must number themselves with itemIndex.
//
// Geometry. geometryWkt is a POLYGON or MULTIPOLYGON in `crs` (any definition
// GDAL accepts: "EPSG:32633", a WKT, a PROJ string; "" means EPSG:4326
// longitude/latitude). The inventory stores every geometry in EPSG:4326 and
// transforms on insert; the source CRS is kept in the record.
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/inventory/facility_type.h"
#include "core/inventory/review_status.h"

namespace emitrace::inventory {

// Which model produced a detection.
enum class ModelKind {
  DmfNet,         // "dmfnet": methane-source facility patches (Sentinel-2 + Sentinel-1)
  FusionNet,      // "fusionnet": cement plant chips (Landsat-8)
  Flame,          // "flame": methane plume polygons (imaging spectrometer)
  MatchedFilter,  // "matched-filter": plumes from MF/CEM/ACE/MAG1C enhancement maps
};
std::string toString(ModelKind kind);
// Accepts the names above (and "matched_filter", "mf"). Throws InputError.
ModelKind parseModelKind(const std::string& text);

// DMFNet's MAFM modality weights at one fusion stage (softmax weights, they
// sum to 1). Stored as [{"rgb":..,"ir":..,"sar":..}, ...] in stage order.
struct ModalityWeights {
  double rgb = 0;
  double ir = 0;
  double sar = 0;
};

// Plume statistics from FLAME or a matched filter (NaN/0 when unknown).
struct PlumeStats {
  double maxEnhancementPpmM = std::numeric_limits<double>::quiet_NaN();   // ppm·m
  double meanEnhancementPpmM = std::numeric_limits<double>::quiet_NaN();  // ppm·m
  double imeKg = std::numeric_limits<double>::quiet_NaN();  // integrated mass enhancement, kg CH4
  double areaM2 = std::numeric_limits<double>::quiet_NaN();  // plume mask area, m²
  std::int64_t pixelCount = 0;                              // plume mask pixels
};

struct Detection {
  // --- identity --------------------------------------------------------
  std::string runId;        // required: the id beginRun() returned
  std::int64_t tileId = -1; // id on the scan's tile grid (raster::Tile::id); -1 = untiled
  int itemIndex = 0;        // n-th polygon of this tile/class (plumes); 0 for patches
  ModelKind modelKind = ModelKind::DmfNet;
  std::string modelClass;   // the model's own class name ("Landfills", "cement", "plume")

  // --- what it is ------------------------------------------------------
  // The normalised type. Unset: derived from modelClass (see
  // facilityTypeFromName); an unknown class name is then an InputError.
  std::optional<FacilityType> facilityType;
  double probability = std::numeric_limits<double>::quiet_NaN();  // of modelClass, [0, 1]
  std::map<std::string, double> classProbabilities;  // every class the model scores
  std::optional<int> fusionPath;                     // DMFNet gating path, 1..5
  std::vector<ModalityWeights> mafmWeights;          // DMFNet, one entry per fusion stage
  std::optional<PlumeStats> plume;                   // FLAME / matched filter

  // --- where and when --------------------------------------------------
  std::vector<std::string> sceneIds;          // source scene/product ids
  std::vector<std::string> acquisitionDates;  // ISO 8601 dates, one per scene
  std::string geometryWkt;                    // POLYGON / MULTIPOLYGON in `crs`
  std::string crs;                            // "" = EPSG:4326 (lon/lat)

  // --- anything else ---------------------------------------------------
  // A JSON object with model-specific values (CAM peak, physics score,
  // thresholds used, ...); "" for none.
  std::string extrasJson;

  // The type this record will be stored with (facilityType or the one its
  // modelClass names). Throws InputError for an unknown class name.
  FacilityType resolvedType() const;
  // Checks one record before anything is written: run id, class, a
  // probability in [0, 1], class probabilities in [0, 1], fusion path 1..5,
  // non-negative plume numbers, parseable WKT polygon, valid extras JSON.
  // Throws InputError naming the field.
  void validate() const;
};

// The natural key (see above). scanId: the run's scan id.
std::string detectionKey(const std::string& scanId, std::int64_t tileId, ModelKind kind,
                         const std::string& modelClass, int itemIndex);

// A detection as stored: the record as written (geometry now in EPSG:4326)
// plus its identity and review state in this inventory.
struct StoredDetection {
  std::int64_t id = 0;          // feature id in this GeoPackage (local)
  std::string key;              // natural key (stable across files)
  std::string scanId;
  Detection detection;          // geometryWkt in EPSG:4326, crs == "EPSG:4326"
  std::string sourceCrs;        // the CRS it was written in
  FacilityType predictedType = FacilityType::None;  // what the model said
  ReviewStatus status = ReviewStatus::Pending;
  std::optional<FacilityType> reviewedType;  // set when relabelled
  FacilityType effectiveType = FacilityType::None;  // reviewedType or predictedType
  std::string ipccCode;         // of the effective type; plumes: of their facility
  std::string reviewNote;
  std::string reviewer;
  std::string reviewedAt;       // ISO 8601 UTC, "" if never reviewed
  std::optional<std::int64_t> facilityId;  // set by mergeFacilities()
  std::string createdAt;
};

// What to list (Inventory::listDetections / countDetections). Empty vectors
// and unset optionals do not filter.
struct DetectionFilter {
  std::vector<std::int64_t> ids;
  std::vector<ReviewStatus> statuses;
  std::vector<FacilityType> types;     // effective type
  std::vector<ModelKind> modelKinds;
  std::optional<double> minProbability;  // inclusive
  std::optional<double> maxProbability;  // exclusive
  std::string runId;
  std::optional<std::int64_t> facilityId;
  // Longitude/latitude box {minLon, minLat, maxLon, maxLat}: detections whose
  // bounding box meets it.
  std::optional<std::array<double, 4>> lonLatBox;
  enum class Order { Id, ProbabilityDescending, ProbabilityAscending };
  Order order = Order::Id;
  std::int64_t limit = -1;  // -1 = all
  std::int64_t offset = 0;
};

// What addDetections() does with a record whose natural key exists.
enum class DuplicatePolicy {
  Skip,   // keep the stored one (idempotent re-writes, shard merges)
  Error,  // throw InputError and write nothing of the batch
};

struct AddDetectionsOptions {
  DuplicatePolicy duplicates = DuplicatePolicy::Skip;
  // A new detection of the same type covering (nearly) the same area as an
  // already reviewed one inherits that decision (logged in review_log as an
  // automatic decision), so rescans do not bring back rejected detections.
  bool inheritDecisions = true;
  double inheritMinOverlap = 0.9;  // intersection over union, (0, 1]

  void validate() const;
};

struct AddDetectionsResult {
  std::int64_t added = 0;
  std::int64_t skippedDuplicates = 0;
  std::int64_t inheritedDecisions = 0;
  std::vector<std::int64_t> ids;  // of the added records, in batch order (skipped left out)
};

}  // namespace emitrace::inventory
