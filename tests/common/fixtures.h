#pragma once
// Test fixtures built with GDAL from inline values: small rasters with a
// chosen CRS, geotransform, band values and nodata, and vector files. Plain
// C++ so that the Qt 6 core suites and the Qt 5 QGIS suites share it.
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace emitrace::test {

struct RasterSpec {
  int width = 8;
  int height = 8;
  int bands = 1;
  std::string crs = "EPSG:32633";                          // "" = no CRS
  std::array<double, 6> geoTransform{500000, 10, 0, 5000000, 0, -10};
  bool georeferenced = true;
  std::string type = "Float32";                            // GDAL type name
  std::optional<double> nodata;
  std::vector<std::string> bandNames;                      // descriptions
  std::vector<double> wavelengthsNm;                       // band metadata wavelength (nm)
  std::vector<double> fwhmNm;
  std::string driver = "GTiff";
  std::vector<std::string> creationOptions;
  // value(band 0-based, col, row); default: band*1000 + row*width + col.
  std::function<double(int, int, int)> value;
};

// Writes the raster and returns its path.
std::string makeRaster(const std::string& path, const RasterSpec& spec);

// Writes polygons (WKT) into a vector file in `crs` ("" = none).
std::string makePolygons(const std::string& path, const std::vector<std::string>& wkts,
                         const std::string& crs);

// Path of a sample file under tests/data (from the source tree).
std::string sampleData(const std::string& relative);

// Reads a whole band of a raster as doubles (test-sized rasters only).
std::vector<double> readBand(const std::string& path, int band = 1);

}  // namespace emitrace::test
