#pragma once
// What a raster layer of the map reads from.
//
// One file is displayed as it is when it is north-up in the map CRS.
// Several single-band files on one grid (Sentinel-2 s2_B12.tif, s2_B11.tif,
// s2_B8A.tif) become one layer through a band-stack VRT whose band
// descriptions carry the band names. A layer in another CRS, or rotated, is
// displayed through a warped VRT (GDAL's warper, nearest neighbour, with an
// alpha band marking where the scene is), whose implicit overviews follow
// the source's overviews so zoomed-out views stay cheap.
//
// The VRTs live in GDAL's in-memory file system (/vsimem/) for as long as a
// copy of the DisplaySource exists, so every render thread can open its own
// dataset from `gdalName`.
#include <memory>
#include <string>
#include <vector>

#include "core/raster/grid.h"
#include "core/raster/raster_info.h"

namespace emitrace::render {

struct DisplaySource {
  std::string name;                // for the layer list ("s2_B12 + 2 bands")
  std::vector<std::string> files;  // the rasters behind the layer
  std::string gdalName;            // what a RasterRenderer opens
  raster::RasterInfo info;         // bands of the layer (a stack: one per file band)
  raster::GridSpec nativeGrid;     // the layer's own grid (tile grids, exports)
  std::string gridPath;            // a file on disk with nativeGrid
  raster::GridSpec displayGrid;    // north-up, in the map CRS
  bool warped = false;
  bool georeferenced = true;
  std::shared_ptr<void> keepAlive;  // owns the /vsimem/ VRTs

  // Band count of the layer (the alpha band of a warped VRT not included).
  int bandCount() const { return info.bandCount(); }
};

// Prepares `files` (one raster, or several single-grid rasters to stack in
// order) for display in `mapCrsWkt` ("" = the layer's own CRS; then only a
// rotated raster is warped). Throws InputError if the files do not share a
// grid, if the layer has no CRS but the map has one (or the reverse), or if
// no transformation exists; IoError for unreadable files.
DisplaySource prepareDisplaySource(const std::vector<std::string>& files, const std::string& mapCrsWkt);

// Groups files dropped or opened together: single-band rasters with the
// same grid whose file names name a band (s2_B12.tif, ..._VV_....tif) and
// differ only in that band token are stacked; every other file stands alone.
// Order within a stack follows the input order; unreadable files stand alone
// (opening them reports the error).
std::vector<std::vector<std::string>> groupBandFiles(const std::vector<std::string>& paths);

}  // namespace emitrace::render
