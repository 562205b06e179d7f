#include "core/raster/raster_info.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "core/raster/gdal_util.h"
#include "core/raster/grid.h"

namespace emitrace::raster {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::map<std::string, std::string> metadataMap(char** list) {
  std::map<std::string, std::string> out;
  for (char** it = list; it && *it; ++it) {
    std::string item(*it);
    auto eq = item.find('=');
    if (eq == std::string::npos) continue;
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

// Finds a dataset-level list of exactly `count` values whose key ends with one
// of `suffixes` (case-insensitive), e.g. ENVI "wavelength" or netCDF
// "sensor_band_parameters#wavelengths".
std::optional<std::vector<double>> findList(const std::map<std::string, std::string>& md,
                                            const std::vector<std::string>& suffixes,
                                            int count) {
  for (const auto& [key, value] : md) {
    std::string k = lower(key);
    for (const auto& suffix : suffixes) {
      if (k.size() >= suffix.size() && k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0) {
        auto values = parseNumberList(value);
        if (static_cast<int>(values.size()) == count) return values;
      }
    }
  }
  return std::nullopt;
}

std::string unitFrom(const std::map<std::string, std::string>& md) {
  for (const auto& [key, value] : md) {
    std::string k = lower(key);
    if (k == "wavelength_units" || k == "wavelength units" ||
        (k.size() > 16 && k.substr(k.size() - 16) == "wavelengths#units")) {
      return value;
    }
  }
  return {};
}

}  // namespace

bool RasterInfo::hasWavelengths() const {
  return !bands.empty() && std::all_of(bands.begin(), bands.end(),
                                       [](const BandInfo& b) { return b.wavelengthNm.has_value(); });
}

std::vector<double> parseNumberList(const std::string& text) {
  std::vector<double> values;
  std::string cleaned;
  cleaned.reserve(text.size());
  for (char c : text) cleaned += (c == '{' || c == '}' || c == ',' || c == '\n') ? ' ' : c;
  std::istringstream in(cleaned);
  std::string token;
  while (in >> token) {
    try {
      size_t used = 0;
      double v = std::stod(token, &used);
      if (used == token.size()) values.push_back(v);
      else return {};
    } catch (const std::exception&) {
      return {};
    }
  }
  return values;
}

double wavelengthToNm(double value, const std::string& unit) {
  std::string u = lower(unit);
  if (u.find("nano") != std::string::npos || u == "nm") return value;
  if (u.find("micro") != std::string::npos || u == "um" || u == "µm" || u == "\xc2\xb5m" ||
      u == "microns") {
    return value * 1000.0;
  }
  // No unit: imaging spectrometers cover roughly 0.35-2.6 um, 350-2600 nm.
  return value < 100.0 ? value * 1000.0 : value;
}

RasterInfo describeRaster(const std::string& path) {
  GDALDatasetUniquePtr ds = openRaster(path);
  RasterInfo info;
  info.path = path;
  info.driver = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
  info.width = ds->GetRasterXSize();
  info.height = ds->GetRasterYSize();
  if (const OGRSpatialReference* srs = ds->GetSpatialRef()) {
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    if (srs->exportToWkt(&wkt, options) == OGRERR_NONE && wkt) info.crsWkt = wkt;
    CPLFree(wkt);
  }
  double gt[6];
  if (ds->GetGeoTransform(gt) == CE_None) {
    info.hasGeoTransform = true;
    std::copy(gt, gt + 6, info.geoTransform.begin());
  }
  info.metadata = metadataMap(ds->GetMetadata());
  const auto enviMd = metadataMap(ds->GetMetadata("ENVI"));
  const int n = ds->GetRasterCount();

  for (int i = 1; i <= n; ++i) {
    GDALRasterBand* band = ds->GetRasterBand(i);
    BandInfo b;
    b.index = i;
    b.description = band->GetDescription() ? band->GetDescription() : "";
    b.dataType = GDALGetDataTypeName(band->GetRasterDataType());
    int hasNodata = 0;
    double nodata = band->GetNoDataValue(&hasNodata);
    if (hasNodata) b.nodata = nodata;
    int ok = 0;
    double scale = band->GetScale(&ok);
    if (ok) b.scale = scale;
    double offset = band->GetOffset(&ok);
    if (ok) b.offset = offset;
    b.metadata = metadataMap(band->GetMetadata());

    if (auto it = b.metadata.find("wavelength"); it != b.metadata.end()) {
      auto v = parseNumberList(it->second);
      std::string unit;
      if (auto u = b.metadata.find("wavelength_units"); u != b.metadata.end()) unit = u->second;
      if (v.size() == 1) b.wavelengthNm = wavelengthToNm(v[0], unit);
    }
    if (auto it = b.metadata.find("fwhm"); it != b.metadata.end()) {
      auto v = parseNumberList(it->second);
      std::string unit;
      if (auto u = b.metadata.find("wavelength_units"); u != b.metadata.end()) unit = u->second;
      if (v.size() == 1) b.fwhmNm = wavelengthToNm(v[0], unit);
    }
    const auto imagery = metadataMap(band->GetMetadata("IMAGERY"));
    if (!b.wavelengthNm) {
      if (auto it = imagery.find("CENTRAL_WAVELENGTH_UM"); it != imagery.end()) {
        b.wavelengthNm = std::stod(it->second) * 1000.0;
      }
    }
    if (!b.fwhmNm) {
      if (auto it = imagery.find("FWHM_UM"); it != imagery.end()) b.fwhmNm = std::stod(it->second) * 1000.0;
    }
    info.bands.push_back(std::move(b));
  }

  // Header-level lists: ENVI `wavelength`/`fwhm`, netCDF `...#wavelengths`/`...#fwhm`.
  std::map<std::string, std::string> lists = info.metadata;
  for (const auto& [k, v] : enviMd) lists["ENVI#" + k] = v;
  const std::string unit = !unitFrom(enviMd).empty() ? unitFrom(enviMd) : unitFrom(info.metadata);
  if (auto wl = findList(lists, {"#wavelength", "wavelengths"}, n)) {
    for (int i = 0; i < n; ++i) {
      if (!info.bands[i].wavelengthNm) info.bands[i].wavelengthNm = wavelengthToNm((*wl)[i], unit);
    }
  }
  if (auto fw = findList(lists, {"#fwhm", "fwhm"}, n)) {
    for (int i = 0; i < n; ++i) {
      if (!info.bands[i].fwhmNm) info.bands[i].fwhmNm = wavelengthToNm((*fw)[i], unit);
    }
  }
  return info;
}

nlohmann::json toJson(const RasterInfo& info) {
  nlohmann::json j;
  j["path"] = info.path;
  j["driver"] = info.driver;
  j["width"] = info.width;
  j["height"] = info.height;
  j["crs_wkt"] = info.crsWkt;
  j["crs"] = crsDisplayName(info.crsWkt);
  if (info.hasGeoTransform) j["geotransform"] = info.geoTransform;
  else j["geotransform"] = nullptr;
  nlohmann::json bands = nlohmann::json::array();
  for (const auto& b : info.bands) {
    nlohmann::json jb;
    jb["index"] = b.index;
    jb["description"] = b.description;
    jb["data_type"] = b.dataType;
    jb["nodata"] = b.nodata ? nlohmann::json(*b.nodata) : nlohmann::json(nullptr);
    jb["wavelength_nm"] = b.wavelengthNm ? nlohmann::json(*b.wavelengthNm) : nlohmann::json(nullptr);
    jb["fwhm_nm"] = b.fwhmNm ? nlohmann::json(*b.fwhmNm) : nlohmann::json(nullptr);
    jb["scale"] = b.scale;
    jb["offset"] = b.offset;
    bands.push_back(std::move(jb));
  }
  j["bands"] = std::move(bands);
  return j;
}

std::string formatRasterInfo(const RasterInfo& info) {
  std::ostringstream out;
  out << info.path << "\n";
  out << "  driver:  " << info.driver << "\n";
  out << "  size:    " << info.width << " x " << info.height << " px, " << info.bandCount()
      << " band" << (info.bandCount() == 1 ? "" : "s") << "\n";
  out << "  crs:     " << crsDisplayName(info.crsWkt) << "\n";
  if (info.hasGeoTransform) {
    const auto& g = info.geoTransform;
    out.precision(10);
    out << "  origin:  " << g[0] << ", " << g[3] << "\n";
    out.precision(6);
    out << "  pixel:   " << g[1] << " x " << -g[5];
    if (g[2] != 0.0 || g[4] != 0.0) out << " (rotated: " << g[2] << ", " << g[4] << ")";
    out << "\n";
  } else {
    out << "  georeferencing: none\n";
  }
  const int shown = std::min(info.bandCount(), 20);
  for (int i = 0; i < shown; ++i) {
    const auto& b = info.bands[i];
    out << "  band " << b.index << ": " << b.dataType;
    if (!b.description.empty()) out << "  \"" << b.description << "\"";
    if (b.wavelengthNm) out << "  " << *b.wavelengthNm << " nm";
    if (b.fwhmNm) out << " (fwhm " << *b.fwhmNm << " nm)";
    if (b.nodata) out << "  nodata=" << *b.nodata;
    out << "\n";
  }
  if (info.bandCount() > shown) {
    out << "  ... " << info.bandCount() - shown << " more bands";
    if (info.hasWavelengths()) {
      out << " up to " << info.bands.back().wavelengthNm.value() << " nm";
    }
    out << " (use --json for all)\n";
  }
  return out.str();
}

}  // namespace emitrace::raster
