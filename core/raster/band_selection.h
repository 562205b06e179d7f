#pragma once
// Choosing bands the way users name them: by 1-based index ("3"), by
// description ("B04", "VV"; case-insensitive), or by nearest centre wavelength
// ("2300nm", "2.3um").
#include <string>
#include <vector>

#include "core/raster/raster_info.h"

namespace emitrace::raster {

// Returns the 1-based band index named by `spec`. Throws InputError naming the
// raster and listing what is available if no band matches, or if a
// description matches more than one band.
int selectBand(const RasterInfo& info, const std::string& spec);

// Band whose centre wavelength is nearest to `wavelengthNm`. Throws
// InputError if the raster carries no wavelengths or the nearest band is
// farther than maxDistanceNm.
int nearestWavelengthBand(const RasterInfo& info, double wavelengthNm,
                          double maxDistanceNm = 50.0);

// All bands with centres in [loNm, hiNm], ascending by index. Throws
// InputError if the raster carries no wavelengths or none fall in the window.
std::vector<int> bandsInWindow(const RasterInfo& info, double loNm, double hiNm);

}  // namespace emitrace::raster
