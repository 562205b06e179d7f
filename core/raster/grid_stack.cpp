#include "core/raster/grid_stack.h"

#include <gdal_utils.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"

namespace emitrace::raster {

Resampling parseResampling(const std::string& name) {
  if (name == "nearest" || name == "near") return Resampling::Nearest;
  if (name == "bilinear") return Resampling::Bilinear;
  if (name == "cubic") return Resampling::Cubic;
  if (name == "average") return Resampling::Average;
  throw InputError("unknown resampling '" + name + "' (expected nearest, bilinear, cubic or average)");
}

std::string toString(Resampling r) {
  switch (r) {
    case Resampling::Nearest: return "near";
    case Resampling::Bilinear: return "bilinear";
    case Resampling::Cubic: return "cubic";
    case Resampling::Average: return "average";
  }
  return "bilinear";
}

namespace {

std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// One opened raster and the view of its selected bands on the target grid.
struct SourceView {
  std::string path;
  GDALDatasetUniquePtr source;
  GDALDatasetUniquePtr subset;   // VRT with only the bands we use
  GDALDatasetUniquePtr warped;   // warped VRT on the target grid (null: same grid)
  std::vector<int> bands;        // source band numbers, in subset order
  std::vector<double> nodata;    // per subset band; NaN = none (only for the direct path)
  std::vector<bool> hasNodata;
};

}  // namespace

struct GridStack::Impl {
  GridSpec grid;
  std::vector<BandSource> sources;
  Resampling resampling;
  std::vector<std::unique_ptr<SourceView>> views;
  // For output band i: which view and which band within it (1-based).
  std::vector<std::pair<SourceView*, int>> bandMap;
  std::vector<float> scratch;
};

GridStack::GridStack(const GridSpec& target, std::vector<BandSource> sources, Resampling resampling)
    : impl_(std::make_unique<Impl>()) {
  impl_->grid = target;
  impl_->sources = std::move(sources);
  impl_->resampling = resampling;
  if (impl_->sources.empty()) throw InputError("no input bands given");
  if (target.width <= 0 || target.height <= 0) throw InputError("the target grid is empty");

  std::map<std::string, SourceView*> byPath;
  for (const auto& s : impl_->sources) {
    auto it = byPath.find(s.path);
    if (it == byPath.end()) {
      auto view = std::make_unique<SourceView>();
      view->path = s.path;
      view->source = openRaster(s.path);
      it = byPath.emplace(s.path, view.get()).first;
      impl_->views.push_back(std::move(view));
    }
    SourceView* view = it->second;
    const int count = view->source->GetRasterCount();
    if (s.band < 1 || s.band > count) {
      throw InputError("band " + std::to_string(s.band) + (s.name.empty() ? "" : " (" + s.name + ")") +
                       " does not exist in '" + s.path + "', which has " + std::to_string(count) +
                       " band(s)");
    }
    auto pos = std::find(view->bands.begin(), view->bands.end(), s.band);
    if (pos == view->bands.end()) {
      view->bands.push_back(s.band);
      pos = view->bands.end() - 1;
    }
    impl_->bandMap.emplace_back(view, static_cast<int>(pos - view->bands.begin()) + 1);
  }

  const Bounds tb = target.bounds();
  for (auto& view : impl_->views) {
    GdalErrorCapture errors;
    // Subset VRT with the bands we need (a 425-band cube must not be warped whole).
    std::vector<std::string> args{"-of", "VRT"};
    for (int b : view->bands) {
      args.push_back("-b");
      args.push_back(std::to_string(b));
    }
    auto argv = toCsl(args);
    GDALTranslateOptions* topts = GDALTranslateOptionsNew(argv.get(), nullptr);
    int usageError = 0;
    view->subset.reset(GDALDataset::FromHandle(
        GDALTranslate("", GDALDataset::ToHandle(view->source.get()), topts, &usageError)));
    GDALTranslateOptionsFree(topts);
    if (!view->subset) {
      throw IoError("cannot select bands of '" + view->path + "'" + errors.suffix());
    }

    GridSpec sourceGrid;
    double gt[6];
    const bool georeferenced = view->source->GetGeoTransform(gt) == CE_None;
    if (georeferenced) {
      std::copy(gt, gt + 6, sourceGrid.geoTransform.begin());
      sourceGrid.width = view->source->GetRasterXSize();
      sourceGrid.height = view->source->GetRasterYSize();
      if (const OGRSpatialReference* srs = view->source->GetSpatialRef()) {
        char* wkt = nullptr;
        const char* options[] = {"FORMAT=WKT2_2019", nullptr};
        srs->exportToWkt(&wkt, options);
        sourceGrid.crsWkt = wkt ? wkt : "";
        CPLFree(wkt);
      }
    }
    for (size_t i = 0; i < view->bands.size(); ++i) {
      int has = 0;
      double nd = view->subset->GetRasterBand(static_cast<int>(i) + 1)->GetNoDataValue(&has);
      view->hasNodata.push_back(has != 0);
      view->nodata.push_back(nd);
    }
    if (georeferenced && sourceGrid.sameAs(target)) continue;  // read directly, no warping
    if (!georeferenced) {
      throw InputError("'" + view->path +
                       "' has no georeferencing, so it cannot be put on a common grid with "
                       "other rasters");
    }
    if (sourceGrid.crsWkt.empty() != target.crsWkt.empty()) {
      throw InputError("'" + view->path + "' " +
                       (sourceGrid.crsWkt.empty() ? "has no CRS but the target grid has one"
                                                  : "has a CRS but the target grid has none") +
                       "; assign a CRS (gdal_edit.py -a_srs) first");
    }

    std::vector<std::string> wargs{"-of", "VRT", "-r", toString(impl_->resampling), "-ot", "Float32",
                                   "-dstnodata", "nan", "-te", num(tb.minX), num(tb.minY),
                                   num(tb.maxX), num(tb.maxY), "-ts", std::to_string(target.width),
                                   std::to_string(target.height)};
    if (!target.crsWkt.empty()) {
      wargs.push_back("-t_srs");
      wargs.push_back(target.crsWkt);
    }
    auto wargv = toCsl(wargs);
    GDALWarpAppOptions* wopts = GDALWarpAppOptionsNew(wargv.get(), nullptr);
    GDALDatasetH src = GDALDataset::ToHandle(view->subset.get());
    view->warped.reset(GDALDataset::FromHandle(GDALWarp("", nullptr, 1, &src, wopts, &usageError)));
    GDALWarpAppOptionsFree(wopts);
    if (!view->warped) {
      throw InputError("cannot put '" + view->path + "' on the target grid (" +
                       crsDisplayName(target.crsWkt) + ")" + errors.suffix());
    }
  }
}

GridStack::~GridStack() = default;

const GridSpec& GridStack::grid() const { return impl_->grid; }
const std::vector<BandSource>& GridStack::sources() const { return impl_->sources; }
int GridStack::bandCount() const { return static_cast<int>(impl_->sources.size()); }

void GridStack::read(const Window& window, std::vector<float>& out) {
  const size_t plane = static_cast<size_t>(window.width) * window.height;
  out.assign(plane * impl_->sources.size(), std::numeric_limits<float>::quiet_NaN());
  const Window inside = impl_->grid.clip(window);
  if (inside.width == 0 || inside.height == 0) return;
  const size_t insidePlane = static_cast<size_t>(inside.width) * inside.height;
  auto& scratch = impl_->scratch;
  scratch.resize(insidePlane);

  for (size_t i = 0; i < impl_->bandMap.size(); ++i) {
    auto [view, subsetBand] = impl_->bandMap[i];
    GDALDataset* ds = view->warped ? view->warped.get() : view->subset.get();
    GDALRasterBand* band = ds->GetRasterBand(subsetBand);
    GdalErrorCapture errors;
    if (band->RasterIO(GF_Read, inside.x, inside.y, inside.width, inside.height, scratch.data(),
                       inside.width, inside.height, GDT_Float32, 0, 0, nullptr) != CE_None) {
      throw IoError("cannot read band " + std::to_string(view->bands[subsetBand - 1]) + " of '" +
                    view->path + "' at pixel window " + std::to_string(inside.x) + "," +
                    std::to_string(inside.y) + "+" + std::to_string(inside.width) + "x" +
                    std::to_string(inside.height) + errors.suffix());
    }
    if (!view->warped && view->hasNodata[subsetBand - 1]) {
      const double nd = view->nodata[subsetBand - 1];
      const float ndf = static_cast<float>(nd);
      for (auto& v : scratch) {
        if (v == ndf) v = std::numeric_limits<float>::quiet_NaN();
      }
    }
    float* dst = out.data() + i * plane;
    const int dx = inside.x - window.x;
    const int dy = inside.y - window.y;
    for (int r = 0; r < inside.height; ++r) {
      std::copy_n(scratch.data() + static_cast<size_t>(r) * inside.width, inside.width,
                  dst + static_cast<size_t>(r + dy) * window.width + dx);
    }
  }
}

}  // namespace emitrace::raster
