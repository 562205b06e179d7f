#pragma once
// What a raster is: size, CRS, geotransform and, per band, its description,
// data type, nodata and (for spectrometers) centre wavelength and FWHM.
#include <nlohmann/json_fwd.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace emitrace::raster {

struct BandInfo {
  int index = 0;                         // 1-based, as GDAL counts
  std::string description;               // GDAL band description ("B04", "VV", ...)
  std::string dataType;                  // GDAL name: "UInt16", "Float32", ...
  std::optional<double> nodata;
  std::optional<double> wavelengthNm;    // centre wavelength, converted to nm
  std::optional<double> fwhmNm;          // full width at half maximum, nm
  double scale = 1.0;                    // GDAL scale/offset (not applied on read)
  double offset = 0.0;
  std::map<std::string, std::string> metadata;  // default-domain band metadata
};

struct RasterInfo {
  std::string path;
  std::string driver;                    // GDAL short name ("GTiff", "ENVI", ...)
  int width = 0;
  int height = 0;
  std::string crsWkt;                    // "" when the raster has no CRS
  bool hasGeoTransform = false;
  std::array<double, 6> geoTransform{0, 1, 0, 0, 0, 1};
  std::vector<BandInfo> bands;
  std::map<std::string, std::string> metadata;  // default-domain dataset metadata

  int bandCount() const { return static_cast<int>(bands.size()); }
  bool hasWavelengths() const;
};

// Reads the description of a raster without reading pixels. Wavelengths come
// from, in order: band metadata `wavelength`/`wavelength_units` (GDAL's ENVI
// driver and the GDAL convention), the ENVI header's `wavelength`/`fwhm` lists,
// IMAGERY-domain CENTRAL_WAVELENGTH_UM/FWHM_UM, and netCDF list attributes
// ending in `wavelengths`/`fwhm` (EMIT sensor_band_parameters). Values in
// micrometres are converted to nanometres.
RasterInfo describeRaster(const std::string& path);

nlohmann::json toJson(const RasterInfo& info);

// A multi-line human-readable report (for `emitrace info`).
std::string formatRasterInfo(const RasterInfo& info);

// Converts a wavelength value in the given unit ("Nanometers", "nm",
// "Micrometers", "um", "µm", "microns"; empty = guess: values below 100 are
// taken as micrometres) to nanometres.
double wavelengthToNm(double value, const std::string& unit);

// Parses an ENVI/netCDF brace list "{1.0, 2.0, ...}" or "1.0,2.0" into numbers.
std::vector<double> parseNumberList(const std::string& text);

}  // namespace emitrace::raster
