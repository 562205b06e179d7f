#pragma once
// `emitrace inventory validate`: compare an inventory with a reference list
// of emission sources (EPA GHGRP facilities, Carbon Mapper sources, ...).
//
// DMFNet paper, Section 3.3 and Table 6: a reference point is covered when
// it falls inside a confirmed detection (here: confirmed or relabelled,
// boundary included); Distance mode also accepts points within a tolerance
// of one. The table has one column per sector: reference points covered /
// total, the confirmed facilities detected (adjacent validated detections of
// one type, as mergeFacilities() builds them) and how many of those contain
// no reference point ("outside reference"). Coverage does not require the
// detection's type to match the reference sector (the paper counts an
// unspecified source inside a landfill as covered).
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/inventory/facility_type.h"

namespace emitrace {
class Progress;
}

namespace emitrace::inventory {

class Inventory;

enum class CoverageMode { Inside, Distance };
std::string toString(CoverageMode mode);  // "inside", "distance"
CoverageMode parseCoverageMode(const std::string& text);

struct ValidationOptions {
  std::string reference;    // CSV with lon/lat columns, GeoJSON, GeoPackage, any OGR vector
  std::string layer;        // layer of a multi-layer file; "" = the first
  // Field names; "" = detected: lon (longitude, lon, long, lng, x), lat
  // (latitude, lat, y), class (classes, class, sector, ipcc_sector, type,
  // category, source_type), id (id, ghgrp_facility_id, source_id,
  // facility_id; else the row number), name (name, facility_name, source_name).
  std::string lonField;
  std::string latField;
  std::string classField;
  std::string idField;
  std::string nameField;
  std::string sourceName;   // label in reference_matches.source; "" = file name
  CoverageMode mode = CoverageMode::Inside;
  double toleranceMetres = 0.0;  // Distance mode, metres (> 0)
  // Also let pending/uncertain detections cover points (a check before review).
  bool includeUnreviewed = false;
  // Which reference points count: "" all of them; "runs" those inside the
  // AOIs recorded for the inventory's runs; "minLon,minLat,maxLon,maxLat";
  // a WKT polygon in EPSG:4326; or a polygon vector file.
  std::string area;

  void validate() const;  // throws InputError before anything is read or written
  nlohmann::json toJson() const;
};

// One reference source as read from the file.
struct ReferencePoint {
  std::string id;
  std::string name;
  std::string label;        // its class/sector text
  SectorGroup sector = SectorGroup::Other;
  double lon = 0;
  double lat = 0;
};

struct SectorCoverage {
  SectorGroup sector = SectorGroup::Other;
  std::int64_t references = 0;         // reference points of this sector
  std::int64_t covered = 0;            // ... covered by a validated detection
  std::int64_t detectedFacilities = 0; // validated facilities of this sector
  std::int64_t outsideReference = 0;   // ... containing no reference point
  double coverage() const { return references > 0 ? double(covered) / references : 0.0; }
};

struct CoverageTable {
  std::string source;
  CoverageMode mode = CoverageMode::Inside;
  double toleranceMetres = 0;
  bool includeUnreviewed = false;
  std::vector<SectorCoverage> sectors;  // sectors with references or detections, table order
  SectorCoverage total;

  nlohmann::json toJson() const;
  std::string toText() const;  // the Table 6 view
};

struct ValidationResult {
  CoverageTable table;
  std::int64_t referenceRows = 0;       // rows read
  std::int64_t skippedNoLocation = 0;   // rows without usable coordinates
  std::int64_t outsideArea = 0;         // rows outside `area`
  std::int64_t matchesWritten = 0;      // rows written to reference_matches
  nlohmann::json toJson() const;
};

// Reads the reference points (all rows with a location). Warnings (skipped
// rows, unknown classes) go to progress.warn(). Throws InputError/IoError.
std::vector<ReferencePoint> readReferencePoints(const ValidationOptions& options, Progress& progress,
                                                std::int64_t* rows = nullptr,
                                                std::int64_t* skipped = nullptr);

// Validates and writes one row per reference point to reference_matches
// (replacing earlier rows of the same source). Cancellable: then nothing is
// written.
ValidationResult validateInventory(Inventory& inventory, const ValidationOptions& options,
                                   Progress& progress);

// The coverage table of the current review state against stored reference
// points (no writing). Used by validateInventory and the summary.
struct CoverageDetail {
  CoverageTable table;
  std::vector<std::int64_t> coveringDetection;  // per point, -1 when not covered
  std::vector<std::string> coveringFacilityKey;
  std::vector<double> distanceMetres;           // per point (NaN when not covered)
};
CoverageDetail computeCoverage(const Inventory& inventory, const std::vector<ReferencePoint>& points,
                               CoverageMode mode, double toleranceMetres, bool includeUnreviewed,
                               Progress& progress);

// Coverage tables for every reference source validated so far, recomputed
// against the current review state from the stored reference points.
std::vector<CoverageTable> storedCoverageTables(const Inventory& inventory, Progress& progress);

}  // namespace emitrace::inventory
