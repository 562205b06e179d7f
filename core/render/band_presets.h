#pragma once
// Band-combination presets per sensor, chosen from band names and centre
// wavelengths when a raster is opened:
//   Sentinel-2  true colour B4/B3/B2, false colour B12/B11/B8A
//   Sentinel-1  VV/VH/ratio (VV-VH when the bands are in dB); VV or VH alone in grey
//   Landsat     SWIR ratio B7/B6 through a ramp
//   spectrometer RGB from the bands nearest 640/550/460 nm
//   products    methane enhancement (ppm·m) and plume probability through a
//               ramp with a legend
//   any raster  bands 1/2/3, or band 1 in grey
// The first applicable preset is the automatic choice; the user can pick
// another one or a custom combination per layer.
#include <string>
#include <vector>

#include "core/raster/raster_info.h"
#include "core/render/band_combination.h"

namespace emitrace::render {

enum class SensorHint { Unknown, Sentinel2, Sentinel1, Landsat, ImagingSpectrometer };
std::string toString(SensorHint hint);

// Upper case without zero padding: "b04" -> "B4", "B8a" -> "B8A", "vv" -> "VV".
std::string normaliseBandName(const std::string& name);
// A band token in a file name: "s2_B12.tif" -> "B12", "..._VV_grd.tif" -> "VV",
// "" if there is none or more than one.
std::string bandNameFromFileName(const std::string& path);
// What a band is called: its description, else its BANDNAME/band_name
// metadata, else (single-band rasters) the band token of the file name, else
// "Band N". Not normalised.
std::string bandName(const raster::RasterInfo& info, int band);

// The sensor the raster most likely comes from, from file-name tokens
// ("l8_", "LC08", "S2A", "sentinel1"), band names (B8A, VV) and wavelengths.
SensorHint guessSensor(const raster::RasterInfo& info);

// Applicable presets, best first (never empty for a raster with bands).
std::vector<BandCombination> presetsFor(const raster::RasterInfo& info);
BandCombination autoPreset(const raster::RasterInfo& info);

// Custom combinations for the per-layer editor.
BandCombination rgbCombination(const raster::RasterInfo& info, int red, int green, int blue);
BandCombination singleBandCombination(const raster::RasterInfo& info, int band,
                                      const std::string& ramp = "grey");

}  // namespace emitrace::render
