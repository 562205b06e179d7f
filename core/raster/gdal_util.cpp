#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"

#include <cpl_conv.h>

#include <filesystem>
#include <mutex>

#include "core/error.h"
#include "core/progress.h"

namespace emitrace::raster {

void ensureGdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (CPLGetConfigOption("GDAL_CACHEMAX", nullptr) == nullptr) {
      // GDAL's default (5% of RAM) makes resident memory grow with the scene;
      // window-by-window reading needs only about one block row of cache.
      GDALSetCacheMax64(64LL * 1024 * 1024);
    }
    GDALAllRegister();
  });
}

GdalErrorCapture::GdalErrorCapture() {
  CPLErrorReset();
  CPLPushErrorHandlerEx(&GdalErrorCapture::handler, this);
}

GdalErrorCapture::~GdalErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrorCapture::handler(CPLErr level, CPLErrorNum, const char* msg) {
  auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
  if (!self) return;
  std::string text = msg ? msg : "";
  if (level == CE_Warning) {
    self->warnings_.push_back(text);
  } else if (level == CE_Failure || level == CE_Fatal) {
    self->lastError_ = text;
  }
}

std::string GdalErrorCapture::suffix() const {
  if (!lastError_.empty()) return " (GDAL: " + lastError_ + ")";
  return {};
}

bool isVirtualPath(const std::string& path) {
  return path.rfind("/vsi", 0) == 0 || path.find(':') != std::string::npos;
}

namespace {

void checkExists(const std::string& path) {
  if (path.empty()) throw InputError("no input path given");
  if (isVirtualPath(path)) return;  // /vsicurl/..., NETCDF:"f":var, HDF5:...
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw IoError("file not found: '" + path + "'");
  }
}

}  // namespace

GDALDatasetUniquePtr openRaster(const std::string& path) {
  ensureGdal();
  checkExists(path);
  GdalErrorCapture errors;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!ds) {
    if (!errors.lastError().empty() &&
        errors.lastError().find("not recognized as a supported") == std::string::npos) {
      throw IoError("cannot read raster '" + path + "'" + errors.suffix());
    }
    throw InputError("'" + path +
                     "' is not a raster format GDAL can read (GeoTIFF/COG, JP2, ENVI, "
                     "netCDF, HDF5, VRT, ...)" + errors.suffix());
  }
  if (ds->GetRasterCount() == 0) {
    char** subdatasets = ds->GetMetadata("SUBDATASETS");
    std::string list;
    int shown = 0;
    for (char** it = subdatasets; it && *it; ++it) {
      std::string item(*it);
      auto eq = item.find('=');
      if (eq == std::string::npos || item.find("_NAME=") == std::string::npos) continue;
      if (shown++ < 12) list += "\n  " + item.substr(eq + 1);
    }
    if (!list.empty()) {
      throw InputError("'" + path + "' is a container of " + std::to_string(shown) +
                       " subdatasets; pass one of them as the input:" + list);
    }
    throw InputError("'" + path + "' has no raster bands");
  }
  return ds;
}

GDALDatasetUniquePtr openVector(const std::string& path) {
  ensureGdal();
  checkExists(path);
  GdalErrorCapture errors;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) {
    throw InputError("'" + path +
                     "' is not a vector format GDAL can read (GeoPackage, GeoJSON, "
                     "Shapefile, CSV, KML, ...)" + errors.suffix());
  }
  if (ds->GetLayerCount() == 0) throw InputError("'" + path + "' has no vector layers");
  return ds;
}

int CPL_STDCALL gdalProgressAdapter(double fraction, const char* message, void* progress) {
  auto* p = static_cast<emitrace::Progress*>(progress);
  if (!p) return TRUE;
  if (p->isCanceled()) return FALSE;
  p->report(fraction, message ? message : "");
  return TRUE;
}

OGRSpatialReference spatialReferenceFrom(const std::string& definition) {
  ensureGdal();
  OGRSpatialReference srs;
  GdalErrorCapture errors;
  if (srs.SetFromUserInput(definition.c_str()) != OGRERR_NONE) {
    throw InputError("unknown coordinate reference system '" + definition +
                     "' (expected e.g. EPSG:4326, EPSG:32633, a WKT or PROJ string)" +
                     errors.suffix());
  }
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

std::string crsDisplayName(const std::string& wkt) {
  if (wkt.empty()) return "none";
  ensureGdal();
  OGRSpatialReference srs;
  GdalErrorCapture errors;
  if (srs.importFromWkt(wkt.c_str()) != OGRERR_NONE) return "unparsed CRS";
  std::string name = srs.GetName() ? srs.GetName() : "unnamed CRS";
  const char* authName = srs.GetAuthorityName(nullptr);
  const char* authCode = srs.GetAuthorityCode(nullptr);
  if (!authName || !authCode) {
    OGRSpatialReference copy(srs);
    if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
      authName = copy.GetAuthorityName(nullptr);
      authCode = copy.GetAuthorityCode(nullptr);
      if (authName && authCode) return name + " (" + authName + ":" + authCode + ")";
    }
    return name;
  }
  return name + " (" + authName + ":" + authCode + ")";
}

CslPtr toCsl(const std::vector<std::string>& items) {
  char** list = nullptr;
  for (const auto& s : items) list = CSLAddString(list, s.c_str());
  return CslPtr(list);
}

}  // namespace emitrace::raster
