#include "core/render/overviews.h"

#include <gdal_priv.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/partial_output.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"

namespace emitrace::render {

namespace {
const std::set<std::string> kResamplings{"nearest",     "average", "rms",      "mode",  "cubic",
                                         "cubicspline", "lanczos", "bilinear", "gauss", "average_magphase"};
}

void BuildOverviewsOptions::validate() const {
  if (input.empty()) throw InputError("no raster given to build overviews for");
  if (!kResamplings.count(resampling)) {
    throw InputError("unknown overview resampling '" + resampling +
                     "' (expected average, nearest, mode, cubic, bilinear, ...)");
  }
  if (minSizePx < 1) throw InputError("the smallest overview size must be at least 1 pixel");
  if (raster::isVirtualPath(input)) {
    throw InputError("overviews can only be built for a file on disk, not '" + input + "'");
  }
  if (!std::filesystem::exists(input)) throw IoError("file not found: '" + input + "'");
  checkWritableLocation(input + ".ovr");
}

nlohmann::json BuildOverviewsOptions::toJson() const {
  return {{"input", input}, {"resampling", resampling}, {"min_size_px", minSizePx}};
}

std::vector<int> overviewFactors(int width, int height, int minSizePx) {
  std::vector<int> factors;
  for (int f = 2; std::max(width, height) / (f / 2) > minSizePx && f <= (1 << 20); f *= 2)
    factors.push_back(f);
  return factors;
}

bool hasOverviews(const std::string& path) {
  GDALDatasetUniquePtr ds = raster::openRaster(path);
  return ds->GetRasterBand(1)->GetOverviewCount() > 0;
}

BuildOverviewsResult buildOverviews(const BuildOverviewsOptions& options, Progress& progress) {
  options.validate();
  GDALDatasetUniquePtr ds = raster::openRaster(options.input);  // read-only: GDAL writes <input>.ovr
  if (ds->GetRasterBand(1)->GetOverviewCount() > 0) {
    throw InputError("'" + options.input + "' already has overviews");
  }
  BuildOverviewsResult result;
  result.factors = overviewFactors(ds->GetRasterXSize(), ds->GetRasterYSize(), options.minSizePx);
  if (result.factors.empty()) {
    throw InputError("'" + options.input + "' is small enough (" + std::to_string(ds->GetRasterXSize()) +
                     " x " + std::to_string(ds->GetRasterYSize()) + " px) to display without overviews");
  }
  result.overviewFile = options.input + ".ovr";
  if (std::filesystem::exists(result.overviewFile)) {
    throw InputError("'" + result.overviewFile +
                     "' exists but GDAL does not use it; remove it and try again");
  }
  std::string upper = options.resampling;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  raster::GdalErrorCapture errors;
  const CPLErr err =
      ds->BuildOverviews(upper.c_str(), static_cast<int>(result.factors.size()), result.factors.data(), 0,
                         nullptr, raster::gdalProgressAdapter, &progress, nullptr);
  ds.reset();  // closes and flushes the .ovr
  if (err != CE_None || progress.isCanceled()) {
    removeWithSidecars(result.overviewFile);
    progress.throwIfCanceled();
    throw IoError("cannot build overviews for '" + options.input + "'" + errors.suffix());
  }
  progress.report(1.0, "overviews built");
  return result;
}

}  // namespace emitrace::render
