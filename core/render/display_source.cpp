#include "core/render/display_source.h"

#include <cpl_vsi.h>
#include <gdal_vrt.h>
#include <gdalwarper.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/render/band_presets.h"
#include "core/render/coordinates.h"

namespace emitrace::render {

namespace {

// In-memory files that are unlinked when the last DisplaySource copy goes.
struct VsimemFiles {
  std::vector<std::string> paths;
  ~VsimemFiles() {
    for (const auto& p : paths) VSIUnlink(p.c_str());
  }
};

std::string newVsimemPath(const std::string& stem) {
  static std::atomic<long long> counter{0};
  std::string safe;
  for (char c : stem) safe += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return "/vsimem/emitrace_display/" + std::to_string(++counter) + "_" + safe + ".vrt";
}

void writeVsimem(const std::string& path, const std::string& text) {
  VSILFILE* f = VSIFOpenL(path.c_str(), "wb");
  if (!f) throw IoError("cannot create the in-memory display file '" + path + "'");
  const bool ok = VSIFWriteL(text.data(), 1, text.size(), f) == text.size();
  VSIFCloseL(f);
  if (!ok) throw IoError("cannot write the in-memory display file '" + path + "'");
}

std::string xmlOf(GDALDatasetH ds) {
  char** xml = GDALGetMetadata(ds, "xml:VRT");
  if (!xml || !xml[0]) throw IoError("GDAL could not describe a display VRT");
  return xml[0];
}

std::string absolute(const std::string& path) {
  if (raster::isVirtualPath(path)) return path;
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

std::string stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// A VRT with every band of every file, in order, named after the band.
std::string buildStack(const std::vector<std::string>& files, const std::vector<raster::RasterInfo>& infos,
                       const raster::GridSpec& grid, VsimemFiles& owned) {
  VRTDatasetH vrt = VRTCreate(grid.width, grid.height);
  GDALDatasetH ds = static_cast<GDALDatasetH>(vrt);
  std::array<double, 6> gt = grid.geoTransform;
  GDALSetGeoTransform(ds, gt.data());
  if (!grid.crsWkt.empty()) GDALSetProjection(ds, grid.crsWkt.c_str());
  std::vector<GDALDatasetUniquePtr> sources;
  int vrtBand = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    sources.push_back(raster::openRaster(files[f]));
    GDALDataset& src = *sources.back();
    for (int b = 1; b <= src.GetRasterCount(); ++b) {
      GDALRasterBand* sb = src.GetRasterBand(b);
      GDALAddBand(ds, sb->GetRasterDataType(), nullptr);
      ++vrtBand;
      VRTSourcedRasterBandH vb = static_cast<VRTSourcedRasterBandH>(GDALGetRasterBand(ds, vrtBand));
      int hasNodata = 0;
      const double nodata = sb->GetNoDataValue(&hasNodata);
      VRTAddSimpleSource(vb, GDALRasterBand::ToHandle(sb), 0, 0, grid.width, grid.height, 0, 0, grid.width,
                         grid.height, nullptr, VRT_NODATA_UNSET);
      GDALRasterBandH out = GDALGetRasterBand(ds, vrtBand);
      if (hasNodata) GDALSetRasterNoDataValue(out, nodata);
      GDALSetDescription(out, bandName(infos[f], b).c_str());
      const raster::BandInfo& bi = infos[f].bands[b - 1];
      if (bi.wavelengthNm) {
        GDALSetMetadataItem(out, "wavelength", std::to_string(*bi.wavelengthNm).c_str(), nullptr);
        GDALSetMetadataItem(out, "wavelength_units", "Nanometers", nullptr);
      }
      if (bi.fwhmNm) GDALSetMetadataItem(out, "fwhm", std::to_string(*bi.fwhmNm).c_str(), nullptr);
    }
  }
  const std::string xml = xmlOf(ds);
  GDALClose(ds);
  const std::string path = newVsimemPath(stem(files.front()) + "_stack");
  writeVsimem(path, xml);
  owned.paths.push_back(path);
  return path;
}

// A warped VRT of `sourceName` in `mapCrsWkt`; returns its /vsimem/ path.
std::string buildWarp(const std::string& sourceName, const std::string& mapCrsWkt, int bandCount,
                      VsimemFiles& owned) {
  GDALDatasetUniquePtr src = raster::openRaster(sourceName);
  GDALWarpOptions* options = GDALCreateWarpOptions();
  // An alpha band marks where the scene is, so the map shows what lies
  // beneath outside it even when the source has no nodata value.
  options->nDstAlphaBand = bandCount + 1;
  raster::GdalErrorCapture errors;
  GDALDatasetH warped = GDALAutoCreateWarpedVRTEx(GDALDataset::ToHandle(src.get()), nullptr,
                                                  mapCrsWkt.empty() ? nullptr : mapCrsWkt.c_str(),
                                                  GRA_NearestNeighbour, 0.125, options, nullptr);
  GDALDestroyWarpOptions(options);
  if (!warped) {
    throw InputError("cannot reproject '" + sourceName + "' for display" + errors.suffix());
  }
  std::string xml;
  try {
    xml = xmlOf(warped);
  } catch (...) {
    GDALClose(warped);
    throw;
  }
  GDALClose(warped);
  const std::string path = newVsimemPath(stem(sourceName) + "_warped");
  writeVsimem(path, xml);
  owned.paths.push_back(path);
  return path;
}

// "s2_B12-B11-B8A" for s2_B12.tif, s2_B11.tif, s2_B8A.tif; "a + 2 file(s)"
// when the names do not differ by a band token only.
std::string stackName(const std::vector<std::string>& files) {
  const std::string first = stem(files.front());
  const std::string token = bandNameFromFileName(files.front());
  std::string joined;
  for (const auto& f : files) {
    const std::string t = bandNameFromFileName(f);
    if (t.empty()) {
      joined.clear();
      break;
    }
    joined += (joined.empty() ? "" : "-") + t;
  }
  std::string upper;
  for (char c : first) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string written = token;  // as the file writes it: "B04" for B4
  auto pos = token.empty() ? std::string::npos : upper.rfind(written);
  if (pos == std::string::npos && token.size() == 2) {
    written = "B0" + token.substr(1);
    pos = upper.rfind(written);
  }
  if (joined.empty() || pos == std::string::npos) {
    return first + " + " + std::to_string(files.size() - 1) + " file(s)";
  }
  return first.substr(0, pos) + joined + first.substr(pos + written.size());
}

raster::GridSpec gridOrPixels(const raster::RasterInfo& info) {
  if (info.hasGeoTransform) return raster::gridOf(info);
  raster::GridSpec g;
  g.width = info.width;
  g.height = info.height;
  g.geoTransform = {0, 1, 0, 0, 0, -1};
  return g;
}

}  // namespace

DisplaySource prepareDisplaySource(const std::vector<std::string>& inputFiles, const std::string& mapCrsWkt) {
  if (inputFiles.empty()) throw InputError("no raster given to display");
  DisplaySource s;
  for (const auto& f : inputFiles) s.files.push_back(absolute(f));
  auto owned = std::make_shared<VsimemFiles>();
  s.keepAlive = owned;

  std::vector<raster::RasterInfo> infos;
  for (const auto& f : s.files) infos.push_back(raster::describeRaster(f));
  s.georeferenced = infos.front().hasGeoTransform;
  s.nativeGrid = gridOrPixels(infos.front());
  s.gridPath = s.files.front();
  for (size_t i = 1; i < infos.size(); ++i) {
    if (!gridOrPixels(infos[i]).sameAs(s.nativeGrid, 1e-6) ||
        !sameCrs(infos[i].crsWkt, infos.front().crsWkt)) {
      throw InputError("'" + s.files[i] + "' is not on the grid of '" + s.files.front() +
                       "' (size, pixel size, origin and CRS must match to stack them as one layer); "
                       "open it as a separate layer");
    }
  }

  if (s.files.size() == 1) {
    s.gdalName = s.files.front();
    s.info = infos.front();
    s.name = stem(s.files.front());
  } else {
    s.gdalName = buildStack(s.files, infos, s.nativeGrid, *owned);
    s.info = raster::describeRaster(s.gdalName);
    s.name = stackName(s.files);
  }

  const std::string& layerCrs = s.nativeGrid.crsWkt;
  if (layerCrs.empty() != mapCrsWkt.empty() && !mapCrsWkt.empty()) {
    throw InputError("'" + s.files.front() +
                     "' has no coordinate reference system, so it cannot be placed on this map (" +
                     raster::crsDisplayName(mapCrsWkt) + "); open it in a new window or assign it a CRS");
  }
  if (layerCrs.empty() && !mapCrsWkt.empty()) {
    throw InputError("the map has no coordinate reference system; cannot place '" + s.files.front() + "'");
  }
  const bool reproject = !mapCrsWkt.empty() && !sameCrs(layerCrs, mapCrsWkt);
  if (reproject || !s.nativeGrid.northUp()) {
    s.gdalName = buildWarp(s.gdalName, reproject ? mapCrsWkt : layerCrs, s.bandCount(), *owned);
    s.warped = true;
  }
  // The displayed grid as the renderer will see it.
  if (s.warped) {
    GDALDatasetUniquePtr ds = raster::openRaster(s.gdalName);
    double gt[6];
    ds->GetGeoTransform(gt);
    s.displayGrid.crsWkt = mapCrsWkt.empty() ? layerCrs : mapCrsWkt;
    std::copy(gt, gt + 6, s.displayGrid.geoTransform.begin());
    s.displayGrid.width = ds->GetRasterXSize();
    s.displayGrid.height = ds->GetRasterYSize();
  } else {
    s.displayGrid = s.nativeGrid;
  }
  return s;
}

std::vector<std::vector<std::string>> groupBandFiles(const std::vector<std::string>& paths) {
  struct Candidate {
    std::string path;
    std::string key;  // file name with the band token removed + grid
  };
  std::vector<std::vector<std::string>> groups;
  std::map<std::string, size_t> groupOfKey;
  for (const auto& path : paths) {
    std::string key;
    try {
      const raster::RasterInfo info = raster::describeRaster(path);
      const std::string band = bandNameFromFileName(path);
      if (info.bandCount() == 1 && !band.empty()) {
        const raster::GridSpec g = gridOrPixels(info);
        const std::filesystem::path p(path);
        std::string name = p.filename().string();
        // Remove the band token (case-insensitive) to find its siblings.
        std::string upperName;
        for (char c : name) upperName += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        std::string token = band;
        auto pos = upperName.find(token);
        if (pos == std::string::npos && token.size() == 2 && token[0] == 'B') {
          token = "B0" + token.substr(1);  // B04 named as B4
          pos = upperName.find(token);
        }
        if (pos != std::string::npos) name.replace(pos, token.size(), "*");
        char gridKey[256];
        std::snprintf(gridKey, sizeof gridKey, "|%d|%d|%.9g|%.9g|%.9g|%.9g", g.width, g.height,
                      g.geoTransform[0], g.geoTransform[1], g.geoTransform[3], g.geoTransform[5]);
        key = p.parent_path().string() + "/" + name + gridKey + "|" + info.crsWkt;
      }
    } catch (const Error&) {
      key.clear();  // stands alone; opening it reports the problem
    }
    if (key.empty()) {
      groups.push_back({path});
      continue;
    }
    auto it = groupOfKey.find(key);
    if (it == groupOfKey.end()) {
      groupOfKey[key] = groups.size();
      groups.push_back({path});
    } else {
      groups[it->second].push_back(path);
    }
  }
  return groups;
}

}  // namespace emitrace::render
