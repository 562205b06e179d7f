#pragma once
// What a file dropped on the map is: a raster, a vector dataset, both (a
// GeoPackage with tiles and features) or neither.
#include <string>

namespace emitrace::render {

struct DatasetKinds {
  bool raster = false;  // has raster bands (or subdatasets)
  bool vector = false;  // has at least one vector layer
};

// Never throws: an unreadable or unknown file is neither.
DatasetKinds probeDataset(const std::string& path);

}  // namespace emitrace::render
