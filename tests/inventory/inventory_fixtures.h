#pragma once
// Fixtures for the inventory suites: tile footprints on a UTM grid and
// detection records built from inline values. Plain C++ (shared by the Qt 6
// core suites and the Qt 5 QGIS suite).
#include <cmath>
#include <cstdint>
#include <string>

#include "core/inventory/detection.h"
#include "core/inventory/inventory.h"

namespace emitrace::test {

// UTM zone 11N (Los Angeles); 720 m tiles (72 px at 10 m) on a lattice
// anchored at (400000, 3760000), row 0 at the top.
inline constexpr const char* kUtm11 = "EPSG:32611";
inline constexpr double kTileMetres = 720.0;
inline constexpr double kOriginX = 400000.0;
inline constexpr double kOriginY = 3760000.0;

// Footprint of lattice tile (row, col), optionally shifted by (dx, dy) metres
// and scaled (size in metres).
inline std::string tileWkt(int row, int col, double dx = 0, double dy = 0, double size = kTileMetres) {
  const double x0 = kOriginX + col * kTileMetres + dx, y1 = kOriginY - row * kTileMetres + dy;
  const double x1 = x0 + size, y0 = y1 - size;
  auto pt = [](double x, double y) { return std::to_string(x) + " " + std::to_string(y); };
  return "POLYGON((" + pt(x0, y0) + "," + pt(x1, y0) + "," + pt(x1, y1) + "," + pt(x0, y1) + "," +
         pt(x0, y0) + "))";
}

// A square of `size` metres centred on a UTM point.
inline std::string squareWkt(double cx, double cy, double size) {
  const double h = size / 2;
  auto pt = [](double x, double y) { return std::to_string(x) + " " + std::to_string(y); };
  return "POLYGON((" + pt(cx - h, cy - h) + "," + pt(cx + h, cy - h) + "," + pt(cx + h, cy + h) + "," +
         pt(cx - h, cy + h) + "," + pt(cx - h, cy - h) + "))";
}

// A DMFNet patch detection of METER-ML class `cls` at lattice tile (row, col).
inline inventory::Detection patch(const std::string& runId, int row, int col, const std::string& cls,
                                  double probability = 0.9, int latticeCols = 1000) {
  inventory::Detection d;
  d.runId = runId;
  d.tileId = static_cast<std::int64_t>(row) * latticeCols + col;
  d.modelKind = inventory::ModelKind::DmfNet;
  d.modelClass = cls;
  d.probability = probability;
  d.classProbabilities = {{cls, probability}, {"Negative", 1.0 - probability}};
  d.fusionPath = 3;
  d.mafmWeights = {{0.5, 0.3, 0.2}, {0.4, 0.4, 0.2}};
  d.sceneIds = {"S2A_MSIL1C_20230601", "S1A_IW_GRDH_20230602"};
  d.acquisitionDates = {"2023-06-01", "2023-06-02"};
  d.geometryWkt = tileWkt(row, col);
  d.crs = kUtm11;
  return d;
}

// A FLAME plume polygon: a square of `size` m centred at (cx, cy) in UTM 11N.
inline inventory::Detection plume(const std::string& runId, std::int64_t tileId, int item, double cx,
                                  double cy, double size = 200.0) {
  inventory::Detection d;
  d.runId = runId;
  d.tileId = tileId;
  d.itemIndex = item;
  d.modelKind = inventory::ModelKind::Flame;
  d.modelClass = "plume";
  d.probability = 0.8;
  d.plume = inventory::PlumeStats{1500.0, 420.0, 310.0, size * size, static_cast<std::int64_t>(size * size / 9)};
  d.sceneIds = {"ang20230601t180000"};
  d.acquisitionDates = {"2023-06-01"};
  d.geometryWkt = squareWkt(cx, cy, size);
  d.crs = kUtm11;
  return d;
}

inline std::string beginTestRun(inventory::Inventory& inv, const std::string& scanId = {},
                                inventory::ModelKind kind = inventory::ModelKind::DmfNet) {
  inventory::RunRecord run;
  run.scanId = scanId;
  run.modelKind = kind;
  run.modelFile = "dmfnet_test.pt";
  run.modelSha256 = inventory::sha256Hex("weights");
  run.modelMetadataJson = R"({"kind":"dmfnet","version":1})";
  run.inputs = {"s2.tif", "s1.tif"};
  run.aoi = "whole";
  run.parametersJson = R"({"threshold":0.5})";
  return inv.beginRun(run);
}

}  // namespace emitrace::test
