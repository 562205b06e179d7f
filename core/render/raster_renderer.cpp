#include "core/render/raster_renderer.h"

#include <gdal_priv.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/render/colour_ramp.h"

namespace emitrace::render {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Pixel range [lo, hi) of the output that the raster covers along one axis.
std::pair<int, int> coveredRange(double rasterLo, double rasterHi, double areaLo, double step, int n) {
  const double a = (rasterLo - areaLo) / step, b = (rasterHi - areaLo) / step;
  const auto clampRound = [n](double v) {
    return static_cast<int>(std::clamp<double>(std::llround(v), 0.0, static_cast<double>(n)));
  };
  return {clampRound(a), clampRound(b)};
}

}  // namespace

struct RasterRenderer::Impl {
  GDALDatasetUniquePtr ds;
  raster::GridSpec grid;
  int lastLevel = -1;

  GDALRasterBand* levelBand(int band, int level) const {
    GDALRasterBand* b = ds->GetRasterBand(band);
    if (level >= 0 && level < b->GetOverviewCount()) return b->GetOverview(level);
    return b;
  }
};

RasterRenderer::RasterRenderer(const std::string& gdalName) : impl_(std::make_unique<Impl>()) {
  impl_->ds = raster::openRaster(gdalName);
  GDALDataset& ds = *impl_->ds;
  raster::GridSpec& g = impl_->grid;
  g.width = ds.GetRasterXSize();
  g.height = ds.GetRasterYSize();
  if (const OGRSpatialReference* srs = ds.GetSpatialRef()) {
    char* wkt = nullptr;
    srs->exportToWkt(&wkt);
    g.crsWkt = wkt ? wkt : "";
    CPLFree(wkt);
  }
  double gt[6];
  if (ds.GetGeoTransform(gt) == CE_None) {
    std::copy(gt, gt + 6, g.geoTransform.begin());
  } else {
    g.geoTransform = {0, 1, 0, 0, 0, -1};  // pixel coordinates, north-up
  }
  if (!g.northUp() || g.geoTransform[1] <= 0 || g.geoTransform[5] >= 0) {
    throw InputError("'" + gdalName +
                     "' is not north-up; open it through prepareDisplaySource, which warps it");
  }
}

RasterRenderer::~RasterRenderer() = default;

const raster::GridSpec& RasterRenderer::grid() const { return impl_->grid; }
int RasterRenderer::bandCount() const { return impl_->ds->GetRasterCount(); }
LevelSize RasterRenderer::fullSize() const { return {impl_->grid.width, impl_->grid.height}; }
int RasterRenderer::lastLevel() const { return impl_->lastLevel; }

std::vector<LevelSize> RasterRenderer::overviewSizes() const {
  std::vector<LevelSize> sizes;
  GDALRasterBand* b = impl_->ds->GetRasterBand(1);
  for (int i = 0; i < b->GetOverviewCount(); ++i) {
    GDALRasterBand* o = b->GetOverview(i);
    if (o) sizes.push_back({o->GetXSize(), o->GetYSize()});
  }
  return sizes;
}

int RasterRenderer::levelFor(double mapUnitsPerScreenPixel) const {
  const raster::GridSpec& g = impl_->grid;
  const double perPixel = std::min(g.pixelWidth(), g.pixelHeight());
  return chooseOverview(fullSize(), overviewSizes(), mapUnitsPerScreenPixel / perPixel);
}

ChannelData RasterRenderer::readChannels(const BandCombination& combination, const Bounds& area, int outWidth,
                                         int outHeight, DisplayResampling resampling) {
  combination.validate(bandCount());
  if (outWidth <= 0 || outHeight <= 0 || area.empty()) {
    throw InputError("cannot render an empty area or a zero-size image");
  }
  ChannelData out;
  out.width = outWidth;
  out.height = outHeight;
  const size_t n = static_cast<size_t>(outWidth) * outHeight;
  out.channels.assign(combination.channels.size(), std::vector<float>(n, kNaN));

  const raster::GridSpec& g = impl_->grid;
  const raster::Bounds rb = g.bounds();
  const double dx = area.width() / outWidth;
  const double dy = area.height() / outHeight;
  const auto [i0, i1] = coveredRange(rb.minX, rb.maxX, area.minX, dx, outWidth);
  // Rows count down from the area's top edge.
  const auto [j0, j1] = coveredRange(area.maxY - rb.maxY, area.maxY - rb.minY, 0.0, dy, outHeight);
  const int level = levelFor(std::max(dx, dy));
  impl_->lastLevel = level;
  if (i1 <= i0 || j1 <= j0) return out;

  // The source window on the chosen level, in that level's pixels.
  GDALRasterBand* first = impl_->levelBand(1, level);
  const int levelW = first->GetXSize(), levelH = first->GetYSize();
  const double fx = static_cast<double>(g.width) / levelW;
  const double fy = static_cast<double>(g.height) / levelH;
  const double col0 = std::clamp((area.minX + i0 * dx - rb.minX) / g.pixelWidth() / fx, 0.0, double(levelW));
  const double col1 = std::clamp((area.minX + i1 * dx - rb.minX) / g.pixelWidth() / fx, 0.0, double(levelW));
  const double row0 =
      std::clamp((rb.maxY - (area.maxY - j0 * dy)) / g.pixelHeight() / fy, 0.0, double(levelH));
  const double row1 =
      std::clamp((rb.maxY - (area.maxY - j1 * dy)) / g.pixelHeight() / fy, 0.0, double(levelH));
  const int xOff = std::min(static_cast<int>(std::floor(col0)), levelW - 1);
  const int yOff = std::min(static_cast<int>(std::floor(row0)), levelH - 1);
  const int xSize = std::clamp(static_cast<int>(std::ceil(col1)) - xOff, 1, levelW - xOff);
  const int ySize = std::clamp(static_cast<int>(std::ceil(row1)) - yOff, 1, levelH - yOff);
  GDALRasterIOExtraArg extra;
  INIT_RASTERIO_EXTRA_ARG(extra);
  extra.eResampleAlg = resampling == DisplayResampling::Average ? GRIORA_Average : GRIORA_NearestNeighbour;
  extra.bFloatingPointWindowValidity = TRUE;
  extra.dfXOff = col0;
  extra.dfYOff = row0;
  extra.dfXSize = std::max(col1 - col0, 1e-9);
  extra.dfYSize = std::max(row1 - row0, 1e-9);

  const int bw = i1 - i0, bh = j1 - j0;
  const size_t bn = static_cast<size_t>(bw) * bh;
  std::map<int, std::vector<float>> bands;
  std::vector<std::uint8_t> mask;
  bool datasetMaskRead = false;
  raster::GdalErrorCapture errors;
  for (int b : combination.bandsUsed()) {
    GDALRasterBand* band = impl_->levelBand(b, level);
    std::vector<float>& values = bands[b];
    values.resize(bn);
    if (band->RasterIO(GF_Read, xOff, yOff, xSize, ySize, values.data(), bw, bh, GDT_Float32, 0, 0, &extra) !=
        CE_None) {
      throw IoError("cannot read band " + std::to_string(b) + " of '" +
                    std::string(impl_->ds->GetDescription()) + "'" + errors.suffix());
    }
    const int flags = band->GetMaskFlags();
    if (flags & GMF_ALL_VALID) continue;
    if (flags & GMF_NODATA) {
      int has = 0;
      const float nodata = static_cast<float>(band->GetNoDataValue(&has));
      if (has)
        for (float& v : values)
          if (v == nodata) v = kNaN;
      continue;
    }
    // An alpha band or a mask (a warped VRT's alpha, a GeoTIFF internal mask).
    if (!((flags & GMF_PER_DATASET) && datasetMaskRead)) {
      mask.resize(bn);
      if (band->GetMaskBand()->RasterIO(GF_Read, xOff, yOff, xSize, ySize, mask.data(), bw, bh, GDT_Byte, 0,
                                        0, &extra) != CE_None) {
        throw IoError("cannot read the mask of band " + std::to_string(b) + " of '" +
                      std::string(impl_->ds->GetDescription()) + "'" + errors.suffix());
      }
      datasetMaskRead = (flags & GMF_PER_DATASET) != 0;
    }
    for (size_t i = 0; i < bn; ++i)
      if (mask[i] == 0) values[i] = kNaN;
  }

  for (size_t c = 0; c < combination.channels.size(); ++c) {
    const Channel& ch = combination.channels[c];
    const std::vector<float>& a = bands[ch.band];
    const std::vector<float>* b = ch.op == ChannelOp::Band ? nullptr : &bands[ch.band2];
    std::vector<float>& dst = out.channels[c];
    for (int y = 0; y < bh; ++y) {
      float* row = dst.data() + static_cast<size_t>(j0 + y) * outWidth + i0;
      const size_t src = static_cast<size_t>(y) * bw;
      for (int x = 0; x < bw; ++x) {
        const float va = a[src + x];
        switch (ch.op) {
          case ChannelOp::Band:
            row[x] = va;
            break;
          case ChannelOp::Ratio: {
            const float vb = (*b)[src + x];
            row[x] = vb != 0 ? va / vb : kNaN;  // NaN propagates from either side
            break;
          }
          case ChannelOp::Difference:
            row[x] = va - (*b)[src + x];
            break;
        }
        if (!std::isfinite(row[x])) row[x] = kNaN;
      }
    }
  }
  return out;
}

ChannelData RasterRenderer::sample(const BandCombination& combination, int maxSidePx) {
  const raster::GridSpec& g = impl_->grid;
  const double scale = std::min(1.0, static_cast<double>(maxSidePx) / std::max(g.width, g.height));
  const int w = std::max(1, static_cast<int>(std::lround(g.width * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(g.height * scale)));
  return readChannels(combination, g.bounds(), w, h, DisplayResampling::Nearest);
}

double percentile(std::vector<float> values, double percent) {
  values.erase(std::remove_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); }),
               values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = std::clamp(percent, 0.0, 100.0) / 100.0 * (values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  std::nth_element(values.begin(), values.begin() + lo, values.end());
  const double a = values[lo];
  if (lo + 1 >= values.size()) return a;
  const double b = *std::min_element(values.begin() + lo + 1, values.end());
  return a + (b - a) * (pos - lo);
}

std::vector<ChannelRange> computeStretch(const ChannelData& sample, const StretchSettings& stretch) {
  stretch.validate(static_cast<int>(sample.channels.size()));
  std::vector<ChannelRange> ranges;
  for (size_t c = 0; c < sample.channels.size(); ++c) {
    ChannelRange r{0, 1};
    switch (stretch.kind) {
      case StretchKind::Manual:
        r = {stretch.min[c], stretch.max[c]};
        break;
      case StretchKind::MinMax:
        r = {percentile(sample.channels[c], 0), percentile(sample.channels[c], 100)};
        break;
      case StretchKind::Percentile:
        r = {percentile(sample.channels[c], stretch.lowPercent),
             percentile(sample.channels[c], stretch.highPercent)};
        break;
    }
    if (!std::isfinite(r.min) || !std::isfinite(r.max)) r = {0, 1};
    if (!(r.max > r.min)) r.max = r.min + 1;
    ranges.push_back(r);
  }
  return ranges;
}

RgbaImage toRgba(const ChannelData& data, const BandCombination& combination,
                 const std::vector<ChannelRange>& ranges) {
  if (ranges.size() < data.channels.size() || data.channels.size() != combination.channels.size()) {
    throw InputError("a stretch range is needed for each channel of the combination");
  }
  RgbaImage img;
  img.width = data.width;
  img.height = data.height;
  const size_t n = static_cast<size_t>(data.width) * data.height;
  img.pixels.assign(n * 4, 0);
  const auto toByte = [](float v, const ChannelRange& r) {
    const double t = (v - r.min) / (r.max - r.min);
    return static_cast<std::uint8_t>(std::clamp(std::lround(t * 255.0), 0L, 255L));
  };
  std::uint8_t* px = img.pixels.data();
  if (combination.mode == DisplayMode::Rgb) {
    const float* r = data.channels[0].data();
    const float* g = data.channels[1].data();
    const float* b = data.channels[2].data();
    for (size_t i = 0; i < n; ++i, px += 4) {
      if (std::isnan(r[i]) || std::isnan(g[i]) || std::isnan(b[i])) continue;  // transparent
      px[0] = toByte(r[i], ranges[0]);
      px[1] = toByte(g[i], ranges[1]);
      px[2] = toByte(b[i], ranges[2]);
      px[3] = 255;
    }
  } else {
    const std::array<Rgba, 256> lut = ColourRamp::named(combination.ramp).table();
    const float* v = data.channels[0].data();
    for (size_t i = 0; i < n; ++i, px += 4) {
      if (std::isnan(v[i])) continue;
      const Rgba& c = lut[toByte(v[i], ranges[0])];
      px[0] = c.r;
      px[1] = c.g;
      px[2] = c.b;
      px[3] = c.a;
    }
  }
  return img;
}

}  // namespace emitrace::render
