#include "core/raster/raster_writer.h"

#include <gdal_utils.h>

#include <cstdio>
#include <vector>

#include "core/error.h"
#include "core/partial_output.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"

namespace emitrace::raster {
namespace {

GDALDataType gdalType(PixelType t) {
  switch (t) {
    case PixelType::Float32: return GDT_Float32;
    case PixelType::UInt8: return GDT_Byte;
    case PixelType::Int16: return GDT_Int16;
    case PixelType::UInt16: return GDT_UInt16;
    case PixelType::Int32: return GDT_Int32;
  }
  return GDT_Float32;
}

}  // namespace

struct RasterWriter::Impl {
  GridSpec grid;
  int bands = 0;
  RasterWriterOptions options;
  std::unique_ptr<PartialOutput> output;
  std::unique_ptr<PartialOutput> cogStage;  // plain GTiff written before the COG copy
  GDALDatasetUniquePtr ds;
  bool finished = false;
};

RasterWriter::RasterWriter(const std::string& path, const GridSpec& grid, int bands,
                           RasterWriterOptions options)
    : impl_(std::make_unique<Impl>()) {
  ensureGdal();
  if (bands < 1) throw InputError("a raster needs at least one band");
  if (grid.width < 1 || grid.height < 1) throw InputError("cannot write an empty raster grid");
  impl_->grid = grid;
  impl_->bands = bands;
  impl_->options = std::move(options);
  impl_->output = std::make_unique<PartialOutput>(path);
  std::string writePath = impl_->output->path();
  if (impl_->options.cog) {
    // The COG driver cannot be written window by window; stage a tiled GTiff.
    impl_->cogStage = std::make_unique<PartialOutput>(path + ".stage.tif");
    writePath = impl_->cogStage->path();
  }

  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
  const std::string block = std::to_string(impl_->options.blockSize);
  std::vector<std::string> co{"TILED=YES", "BLOCKXSIZE=" + block, "BLOCKYSIZE=" + block,
                              "BIGTIFF=IF_SAFER", "COMPRESS=" + impl_->options.compress};
  if (impl_->options.compress == "DEFLATE" || impl_->options.compress == "LZW" ||
      impl_->options.compress == "ZSTD") {
    co.push_back(impl_->options.type == PixelType::Float32 ? "PREDICTOR=3" : "PREDICTOR=2");
  }
  if (bands > 1) co.push_back("INTERLEAVE=BAND");
  auto csl = toCsl(co);
  GdalErrorCapture errors;
  impl_->ds.reset(driver->Create(writePath.c_str(), grid.width, grid.height, bands,
                                 gdalType(impl_->options.type), csl.get()));
  if (!impl_->ds) throw IoError("cannot create raster '" + path + "'" + errors.suffix());
  impl_->ds->SetGeoTransform(const_cast<double*>(grid.geoTransform.data()));
  if (!grid.crsWkt.empty()) {
    OGRSpatialReference srs;
    srs.importFromWkt(grid.crsWkt.c_str());
    impl_->ds->SetSpatialRef(&srs);
  }
  for (int b = 1; b <= bands; ++b) {
    GDALRasterBand* band = impl_->ds->GetRasterBand(b);
    if (b - 1 < static_cast<int>(impl_->options.bandNames.size())) {
      band->SetDescription(impl_->options.bandNames[b - 1].c_str());
    }
    if (impl_->options.nodata) band->SetNoDataValue(*impl_->options.nodata);
  }
  for (const auto& [k, v] : impl_->options.metadata) impl_->ds->SetMetadataItem(k.c_str(), v.c_str());
}

RasterWriter::~RasterWriter() {
  // Close before the PartialOutputs delete the files; errors flushing an
  // abandoned file are moot.
  GdalErrorCapture errors;
  impl_->ds.reset();
}

const GridSpec& RasterWriter::grid() const { return impl_->grid; }
int RasterWriter::bandCount() const { return impl_->bands; }
const std::string& RasterWriter::path() const { return impl_->output->finalPath(); }

void RasterWriter::write(int band, const Window& window, const float* data) {
  if (impl_->finished || !impl_->ds) throw Error("raster writer used after finish()");
  if (band < 1 || band > impl_->bands) throw Error("band " + std::to_string(band) + " out of range");
  const Window inside = impl_->grid.clip(window);
  if (inside.width == 0 || inside.height == 0) return;
  const float* start = data + static_cast<size_t>(inside.y - window.y) * window.width + (inside.x - window.x);
  GdalErrorCapture errors;
  CPLErr err = impl_->ds->GetRasterBand(band)->RasterIO(
      GF_Write, inside.x, inside.y, inside.width, inside.height, const_cast<float*>(start),
      inside.width, inside.height, GDT_Float32, sizeof(float),
      static_cast<GSpacing>(window.width) * sizeof(float), nullptr);
  if (err != CE_None) {
    throw IoError("cannot write '" + impl_->output->finalPath() + "' (disk full?)" + errors.suffix());
  }
}

void RasterWriter::writeAll(const Window& window, const float* data) {
  const size_t plane = static_cast<size_t>(window.width) * window.height;
  for (int b = 1; b <= impl_->bands; ++b) write(b, window, data + (b - 1) * plane);
}

void RasterWriter::finish(Progress* progress) {
  if (impl_->finished) return;
  GdalErrorCapture errors;
  impl_->ds->FlushCache();
  if (!errors.lastError().empty()) {
    throw IoError("cannot write '" + impl_->output->finalPath() + "' (disk full?)" + errors.suffix());
  }
  impl_->ds.reset();  // GDALClose: writes remaining blocks and the directory
  if (!errors.lastError().empty()) {
    throw IoError("cannot finish '" + impl_->output->finalPath() + "'" + errors.suffix());
  }
  if (impl_->options.cog) {
    GDALDatasetUniquePtr staged = openRaster(impl_->cogStage->path());
    std::vector<std::string> args{"-of", "COG", "-co", "COMPRESS=" + impl_->options.compress,
                                  "-co", "BIGTIFF=IF_SAFER"};
    auto argv = toCsl(args);
    GDALTranslateOptions* opts = GDALTranslateOptionsNew(argv.get(), nullptr);
    if (progress) GDALTranslateOptionsSetProgress(opts, gdalProgressAdapter, progress);
    int usageError = 0;
    GDALDatasetH out = GDALTranslate(impl_->output->path().c_str(),
                                     GDALDataset::ToHandle(staged.get()), opts, &usageError);
    GDALTranslateOptionsFree(opts);
    if (!out) {
      if (progress) progress->throwIfCanceled();
      throw IoError("cannot write the COG '" + impl_->output->finalPath() + "'" + errors.suffix());
    }
    GDALClose(out);
    staged.reset();
    impl_->cogStage->discard();
  }
  impl_->output->commit();
  impl_->finished = true;
}

}  // namespace emitrace::raster
