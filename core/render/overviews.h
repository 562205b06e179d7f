#pragma once
// Overviews (reduced-resolution copies) for a raster that has none, so that
// zoomed-out map views read a few hundred thousand pixels instead of the
// whole scene (see overview_choice.h). Written as GDAL's external
// "<raster>.ovr" beside the raster, which GDAL then finds on its own; the
// raster itself is not modified.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace emitrace {
class Progress;
}

namespace emitrace::render {

struct BuildOverviewsOptions {
  std::string input;                   // a raster file on disk
  std::string resampling = "average";  // GDAL overview resampling: average, nearest, mode, cubic, ...
  int minSizePx = 256;                 // levels halve until the coarsest is at most this on its longer side

  // Throws InputError for a missing input, an unknown resampling or a
  // non-positive size; IoError if the .ovr cannot be created beside the input.
  void validate() const;
  nlohmann::json toJson() const;
};

struct BuildOverviewsResult {
  std::vector<int> factors;  // 2, 4, 8, ...
  std::string overviewFile;  // "<input>.ovr"
};

// The factors (2, 4, ...) that bring a width x height raster down to
// minSizePx on its longer side; empty if it is already that small.
std::vector<int> overviewFactors(int width, int height, int minSizePx);

// True if the raster's first band already has overviews (internal or external).
bool hasOverviews(const std::string& path);

// Builds external overviews. Cancellable; a cancelled or failed run removes
// the .ovr it started. Throws InputError if the raster already has overviews
// or is too small to need them.
BuildOverviewsResult buildOverviews(const BuildOverviewsOptions& options, Progress& progress);

}  // namespace emitrace::render
