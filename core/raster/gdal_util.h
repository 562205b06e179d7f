#pragma once
// Small RAII helpers around GDAL used by every core module that does I/O.
// Everything that can fail throws emitrace::Error with GDAL's own message
// (CPLGetLastErrorMsg) appended, at the call site.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>
#include <vector>

namespace emitrace {
class Progress;
}

namespace emitrace::raster {

// Registers GDAL drivers once and caps the block cache (64 MB unless
// GDAL_CACHEMAX is set) so that memory stays flat as scenes grow.
void ensureGdal();

// Routes GDAL/CPL errors raised in this scope into this object instead of
// stderr. Warnings are collected; the last failure message is kept.
class GdalErrorCapture {
 public:
  GdalErrorCapture();
  ~GdalErrorCapture();
  GdalErrorCapture(const GdalErrorCapture&) = delete;
  GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;

  // The most recent CE_Failure/CE_Fatal message, or "" if none.
  const std::string& lastError() const { return lastError_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  // " (GDAL: <message>)" or "" — for appending to an error message.
  std::string suffix() const;

 private:
  static void CPL_STDCALL handler(CPLErr level, CPLErrorNum num, const char* msg);
  std::string lastError_;
  std::vector<std::string> warnings_;
};

// Opens a raster for reading. Throws IoError if the file is missing or
// unreadable, InputError if it is not a raster GDAL understands or if it is a
// container of subdatasets (the message lists them so the user can pick one).
GDALDatasetUniquePtr openRaster(const std::string& path);

// Opens a vector dataset (any OGR format) for reading.
GDALDatasetUniquePtr openVector(const std::string& path);

// True for paths GDAL reads through a virtual file system (/vsicurl/, ...),
// whose existence cannot be checked with the local file system.
bool isVirtualPath(const std::string& path);

// A GDALProgressFunc that forwards to an emitrace::Progress (passed as the
// user data) and returns FALSE when the user cancelled.
int CPL_STDCALL gdalProgressAdapter(double fraction, const char* message, void* progress);

// Builds a spatial reference from any user string GDAL accepts ("EPSG:4326",
// WKT, PROJ string) with the traditional lon/lat axis order.
OGRSpatialReference spatialReferenceFrom(const std::string& definition);

// RAII owner for a NULL-terminated CSL string list.
struct CslDeleter {
  void operator()(char** list) const { CSLDestroy(list); }
};
using CslPtr = std::unique_ptr<char*, CslDeleter>;
CslPtr toCsl(const std::vector<std::string>& items);

}  // namespace emitrace::raster
