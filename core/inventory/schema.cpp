#include "core/inventory/schema.h"

#include <set>

#include "core/error.h"
#include "core/inventory/inventory.h"
#include "core/inventory/layer_styles.h"
#include "core/inventory/sql_util.h"
#include "core/raster/gdal_util.h"
#include "core/version.h"

namespace emitrace::inventory::schema {
namespace {

FieldSpec json(const char* name) { return {name, OFTString, OFSTJSON}; }
FieldSpec text(const char* name) { return {name, OFTString}; }
FieldSpec real(const char* name) { return {name, OFTReal}; }
FieldSpec int32(const char* name) { return {name, OFTInteger}; }
FieldSpec int64(const char* name) { return {name, OFTInteger64}; }
FieldSpec boolean(const char* name) { return {name, OFTInteger, OFSTBoolean}; }

}  // namespace

const std::vector<LayerSpec>& layers() {
  static const std::vector<LayerSpec> kLayers{
      {kMetadata, wkbNone, {text("key"), text("value")},
       "Emitrace inventory: format, schema version and state"},
      {kRuns, wkbNone,
       {text("run_id"), text("scan_id"), int32("shard_index"), int32("shard_count"),
        text("software_version"), text("model_kind"), text("model_file"), text("model_sha256"),
        json("model_metadata"), json("inputs"), text("aoi"), text("aoi_wkt"), json("parameters"),
        text("started_at"), text("finished_at"), text("status"), text("message"),
        int64("detection_count")},
       "Scan runs: software, model file and hash, inputs, AOI, parameters, times"},
      {kDetections, wkbMultiPolygon,
       {text("detection_key"), text("scan_id"), text("run_id"), int64("tile_id"),
        int32("item_index"), text("model_kind"), text("model_class"), text("facility_type"),
        text("effective_type"), text("ipcc_code"), real("probability"),
        json("class_probabilities"), int32("fusion_path"), json("mafm_weights"),
        real("max_enhancement_ppm_m"), real("mean_enhancement_ppm_m"), real("ime_kg"),
        real("plume_area_m2"), int64("plume_pixels"), json("scene_ids"),
        json("acquisition_dates"), text("first_acquisition"), text("source_crs"), json("extras"),
        text("review_status"), text("reviewed_type"), text("review_note"), text("reviewer"),
        text("reviewed_at"), int64("facility_id"), text("facility_role"), text("created_at")},
       "Model detections (patches, chips, plume polygons) and their review state"},
      {kFacilities, wkbMultiPolygon,
       {text("facility_key"), text("facility_type"), text("ipcc_code"), text("ipcc_sector"),
        text("review_status"), real("confidence"), real("mean_probability"),
        int32("member_count"), json("member_ids"), int32("plume_count"), json("plume_ids"),
        real("centroid_lon"), real("centroid_lat"), real("area_m2"), text("first_acquisition"),
        text("last_acquisition"), text("model_kinds"), text("merged_at")},
       "Facilities: adjacent detections of one type merged"},
      {kFacilityPoints, wkbPoint,
       {int64("facility_id"), text("facility_key"), text("facility_type"), text("ipcc_code"),
        text("review_status"), real("confidence"), int32("member_count"), int32("plume_count")},
       "Facility locations: centroid of the merged area"},
      {kReferenceMatches, wkbPoint,
       {text("source"), text("reference_id"), text("reference_name"), text("reference_class"),
        text("sector_group"), boolean("covered"), text("match_mode"), real("tolerance_m"),
        real("distance_m"), int64("detection_id"), text("facility_key"), text("validated_at")},
       "Reference points (e.g. EPA GHGRP, Carbon Mapper) and the detection covering each"},
      {kReviewLog, wkbNone,
       {int64("decision_id"), text("action"), text("target_kind"), int64("target_id"),
        int64("detection_id"), text("detection_key"), text("old_status"), text("new_status"),
        text("old_type"), text("new_type"), text("old_note"), text("old_reviewer"),
        text("old_reviewed_at"), text("reviewer"), text("decided_at"), text("note"),
        boolean("undone"), int64("undone_by")},
       "Every review decision, one row per detection changed"},
  };
  return kLayers;
}

const LayerSpec& layerSpec(const std::string& name) {
  for (const auto& l : layers()) {
    if (name == l.name) return l;
  }
  throw Error("no inventory layer named '" + name + "'");
}

const std::vector<std::string>& indexStatements() {
  static const std::vector<std::string> kStatements{
      "CREATE UNIQUE INDEX idx_detections_key ON detections(detection_key)",
      "CREATE INDEX idx_detections_status ON detections(review_status)",
      "CREATE INDEX idx_detections_type ON detections(effective_type)",
      "CREATE INDEX idx_detections_facility ON detections(facility_id)",
      "CREATE INDEX idx_detections_run ON detections(run_id)",
      "CREATE INDEX idx_facility_points_facility ON facility_points(facility_id)",
      "CREATE UNIQUE INDEX idx_runs_id ON runs(run_id)",
      "CREATE UNIQUE INDEX idx_metadata_key ON emitrace_metadata(key)",
      "CREATE INDEX idx_review_log_decision ON review_log(decision_id)",
      "CREATE INDEX idx_review_log_detection ON review_log(detection_id)",
      "CREATE INDEX idx_reference_matches_source ON reference_matches(source)",
  };
  return kStatements;
}

void createSchema(GDALDataset& ds) {
  raster::GdalErrorCapture errors;
  OGRSpatialReference wgs84 = raster::spatialReferenceFrom("EPSG:4326");
  for (const auto& spec : layers()) {
    std::vector<std::string> lco{std::string("GEOMETRY_NAME=") + kGeometryColumn,
                                 std::string("DESCRIPTION=") + spec.description};
    if (spec.geometry != wkbNone) lco.push_back("SPATIAL_INDEX=YES");
    auto options = raster::toCsl(lco);
    OGRLayer* layer = ds.CreateLayer(spec.name, spec.geometry == wkbNone ? nullptr : &wgs84,
                                     spec.geometry, options.get());
    if (!layer) {
      throw IoError(std::string("cannot create the '") + spec.name + "' layer" + errors.suffix());
    }
    for (const auto& f : spec.fields) {
      OGRFieldDefn defn(f.name, f.type);
      defn.SetSubType(f.subType);
      if (layer->CreateField(&defn) != OGRERR_NONE) {
        throw IoError(std::string("cannot create field '") + f.name + "' in '" + spec.name + "'" +
                      errors.suffix());
      }
    }
  }
  for (const auto& sql : indexStatements()) executeSql(ds, sql);

  OGRLayer* meta = ds.GetLayerByName(kMetadata);
  auto put = [&](const std::string& key, const std::string& value) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(meta->GetLayerDefn()));
    f->SetField("key", key.c_str());
    f->SetField("value", value.c_str());
    if (meta->CreateFeature(f.get()) != OGRERR_NONE) {
      throw IoError("cannot write inventory metadata" + errors.suffix());
    }
  };
  put("format", kInventoryFormat);
  put("schema_version", std::to_string(kSchemaVersion));
  put("created_at", nowIso());
  put("created_by", std::string("emitrace ") + kVersion);
  put("crs", "EPSG:4326");
  put("facilities_stale", "0");
  writeDefaultStyles(ds);
}

int checkSchema(GDALDataset& ds, const std::string& path) {
  OGRLayer* meta = ds.GetLayerByName(kMetadata);
  if (!meta) {
    throw InputError("'" + path +
                     "' is a GeoPackage but not an Emitrace inventory (it has no emitrace_metadata "
                     "table); create one with `emitrace inventory create`");
  }
  std::string format, version;
  meta->ResetReading();
  for (auto& f : *meta) {
    const std::string key = f->GetFieldAsString("key");
    if (key == "format") format = f->GetFieldAsString("value");
    if (key == "schema_version") version = f->GetFieldAsString("value");
  }
  meta->ResetReading();
  if (format != kInventoryFormat) {
    throw InputError("'" + path + "' is not an Emitrace inventory (format '" + format +
                     "', expected '" + kInventoryFormat + "')");
  }
  int v = 0;
  try {
    size_t used = 0;
    v = std::stoi(version, &used);
    if (used != version.size()) throw std::invalid_argument(version);
  } catch (const std::exception&) {
    throw InputError("'" + path + "' has an unreadable inventory schema version '" + version + "'");
  }
  if (v > kSchemaVersion) {
    throw InputError("'" + path + "' was written by a newer Emitrace (inventory schema version " +
                     std::to_string(v) + "; this version reads schema " +
                     std::to_string(kSchemaVersion) + "); update Emitrace to open it");
  }
  if (v < kSchemaVersion) {
    throw InputError("'" + path + "' uses the older inventory schema version " +
                     std::to_string(v) + " and this Emitrace reads only version " +
                     std::to_string(kSchemaVersion) +
                     "; no upgrade exists for it, open it with the Emitrace that wrote it and "
                     "export the detections");
  }
  for (const auto& spec : layers()) {
    OGRLayer* layer = ds.GetLayerByName(spec.name);
    if (!layer) {
      throw InputError("inventory '" + path + "' is damaged: the '" + spec.name +
                       "' layer is missing");
    }
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (const auto& f : spec.fields) {
      if (defn->GetFieldIndex(f.name) < 0) {
        throw InputError("inventory '" + path + "' is damaged: layer '" + spec.name +
                         "' has no field '" + f.name + "'");
      }
    }
  }
  return v;
}

}  // namespace emitrace::inventory::schema
