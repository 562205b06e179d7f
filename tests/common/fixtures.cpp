#include "tests/common/fixtures.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <stdexcept>

#include "core/raster/gdal_util.h"

#ifndef EMITRACE_TEST_DATA_DIR
#error "EMITRACE_TEST_DATA_DIR must be defined"
#endif

namespace emitrace::test {

std::string makeRaster(const std::string& path, const RasterSpec& spec) {
  raster::ensureGdal();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(spec.driver.c_str());
  if (!driver) throw std::runtime_error("no GDAL driver " + spec.driver);
  auto options = raster::toCsl(spec.creationOptions);
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), spec.width, spec.height, spec.bands,
                                         GDALGetDataTypeByName(spec.type.c_str()), options.get()));
  if (!ds) throw std::runtime_error("cannot create fixture " + path + ": " + CPLGetLastErrorMsg());
  if (spec.georeferenced) ds->SetGeoTransform(const_cast<double*>(spec.geoTransform.data()));
  if (!spec.crs.empty()) {
    OGRSpatialReference srs;
    srs.SetFromUserInput(spec.crs.c_str());
    ds->SetSpatialRef(&srs);
  }
  std::vector<double> row(spec.width);
  for (int b = 0; b < spec.bands; ++b) {
    GDALRasterBand* band = ds->GetRasterBand(b + 1);
    if (spec.nodata) band->SetNoDataValue(*spec.nodata);
    if (b < static_cast<int>(spec.bandNames.size())) band->SetDescription(spec.bandNames[b].c_str());
    if (b < static_cast<int>(spec.wavelengthsNm.size())) {
      band->SetMetadataItem("wavelength", std::to_string(spec.wavelengthsNm[b]).c_str());
      band->SetMetadataItem("wavelength_units", "nm");
    }
    if (b < static_cast<int>(spec.fwhmNm.size())) {
      band->SetMetadataItem("fwhm", std::to_string(spec.fwhmNm[b]).c_str());
    }
    for (int r = 0; r < spec.height; ++r) {
      for (int c = 0; c < spec.width; ++c) {
        row[c] = spec.value ? spec.value(b, c, r) : b * 1000.0 + r * spec.width + c;
      }
      if (band->RasterIO(GF_Write, 0, r, spec.width, 1, row.data(), spec.width, 1, GDT_Float64, 0, 0,
                         nullptr) != CE_None) {
        throw std::runtime_error("cannot write fixture " + path);
      }
    }
  }
  return path;
}

std::string makePolygons(const std::string& path, const std::vector<std::string>& wkts,
                         const std::string& crs) {
  raster::ensureGdal();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(
      path.size() > 8 && path.substr(path.size() - 8) == ".geojson" ? "GeoJSON" : "GPKG");
  GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw std::runtime_error("cannot create fixture " + path);
  OGRSpatialReference srs;
  if (!crs.empty()) {
    srs.SetFromUserInput(crs.c_str());
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }
  OGRLayer* layer = ds->CreateLayer("aoi", crs.empty() ? nullptr : &srs, wkbUnknown, nullptr);
  for (const auto& wkt : wkts) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
    f->SetGeometryDirectly(g);
    layer->CreateFeature(f.get());
  }
  return path;
}

std::string sampleData(const std::string& relative) {
  return std::string(EMITRACE_TEST_DATA_DIR) + "/" + relative;
}

std::vector<double> readBand(const std::string& path, int bandIndex) {
  raster::ensureGdal();
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  if (!ds) throw std::runtime_error("cannot open " + path);
  GDALRasterBand* band = ds->GetRasterBand(bandIndex);
  std::vector<double> out(static_cast<size_t>(ds->GetRasterXSize()) * ds->GetRasterYSize());
  if (band->RasterIO(GF_Read, 0, 0, ds->GetRasterXSize(), ds->GetRasterYSize(), out.data(),
                     ds->GetRasterXSize(), ds->GetRasterYSize(), GDT_Float64, 0, 0, nullptr) != CE_None) {
    throw std::runtime_error("cannot read " + path);
  }
  return out;
}

}  // namespace emitrace::test
