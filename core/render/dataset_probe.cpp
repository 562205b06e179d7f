#include "core/render/dataset_probe.h"

#include <gdal_priv.h>

#include "core/raster/gdal_util.h"

namespace emitrace::render {

DatasetKinds probeDataset(const std::string& path) {
  raster::ensureGdal();
  raster::GdalErrorCapture quiet;
  DatasetKinds kinds;
  {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    kinds.raster = ds && (ds->GetRasterCount() > 0 || ds->GetMetadata("SUBDATASETS") != nullptr);
  }
  {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    kinds.vector = ds && ds->GetLayerCount() > 0;
  }
  return kinds;
}

}  // namespace emitrace::render
