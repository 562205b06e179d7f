#include "core/render/band_presets.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/raster/band_selection.h"

namespace emitrace::render {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char ch : text) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      current += ch;
    } else if (!current.empty()) {
      out.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// Tokens of the file name and of its folder, lower case.
std::vector<std::string> pathTokens(const std::string& path) {
  const std::filesystem::path p(path);
  std::vector<std::string> out;
  for (const std::string& part : {p.stem().string(), p.parent_path().filename().string()}) {
    for (auto& t : tokens(part)) out.push_back(lower(t));
  }
  return out;
}

bool isBandToken(const std::string& upper) {
  static const std::regex kBand("B[0-9]{1,2}A?|VV|VH|HH|HV");
  return std::regex_match(upper, kBand);
}

// 1-based band whose normalised name is `wanted`, 0 if none.
int findBand(const std::vector<std::string>& names, const std::string& wanted) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == wanted) return static_cast<int>(i) + 1;
  return 0;
}

bool anyToken(const std::vector<std::string>& have, std::initializer_list<const char*> wanted) {
  for (const auto& t : have)
    for (const char* w : wanted)
      if (t == w) return true;
  return false;
}

bool inDecibels(const raster::RasterInfo& info, const std::vector<int>& bands) {
  if (anyToken(pathTokens(info.path), {"db"})) return true;
  for (int b : bands) {
    const auto& band = info.bands[b - 1];
    for (const auto& t : tokens(band.description))
      if (lower(t) == "db") return true;
    for (const auto& [key, value] : band.metadata)
      if (lower(key).find("unit") != std::string::npos && lower(value) == "db") return true;
  }
  return false;
}

Channel band(int index, const std::string& label) { return {index, ChannelOp::Band, 0, label}; }

BandCombination rgbPreset(std::string id, std::string name, Channel r, Channel g, Channel b) {
  BandCombination c;
  c.presetId = std::move(id);
  c.name = std::move(name);
  c.mode = DisplayMode::Rgb;
  c.channels = {std::move(r), std::move(g), std::move(b)};
  return c;  // default stretch: percentile 2-98
}

BandCombination singlePreset(std::string id, std::string name, Channel ch, std::string ramp,
                             std::string title, std::string unit) {
  BandCombination c;
  c.presetId = std::move(id);
  c.name = std::move(name);
  c.mode = DisplayMode::SingleBand;
  c.channels = {std::move(ch)};
  c.ramp = std::move(ramp);
  c.title = std::move(title);
  c.unit = std::move(unit);
  return c;
}

StretchSettings manual(double lo, double hi) {
  StretchSettings s;
  s.kind = StretchKind::Manual;
  s.min = {lo};
  s.max = {hi};
  return s;
}

// Methane-enhancement and probability products are single values per pixel
// named after what they hold.
enum class Product { None, MethaneEnhancement, Probability };

Product productOf(const raster::RasterInfo& info, int b) {
  std::vector<std::string> have;
  for (const auto& t : tokens(info.bands[b - 1].description)) have.push_back(lower(t));
  if (info.bandCount() == 1)
    for (const auto& t : pathTokens(info.path)) have.push_back(t);
  for (const auto& [key, value] : info.bands[b - 1].metadata) {
    if (lower(key).find("unit") != std::string::npos && lower(value).find("ppm") != std::string::npos)
      return Product::MethaneEnhancement;
  }
  if (anyToken(have, {"probability", "prob", "proba", "flame"})) return Product::Probability;
  if (anyToken(have, {"ch4", "methane", "enhancement", "mf", "cmf", "mag1c", "ppmm"}))
    return Product::MethaneEnhancement;
  return Product::None;
}

}  // namespace

std::string toString(SensorHint hint) {
  switch (hint) {
    case SensorHint::Unknown:
      return "unknown";
    case SensorHint::Sentinel2:
      return "Sentinel-2";
    case SensorHint::Sentinel1:
      return "Sentinel-1";
    case SensorHint::Landsat:
      return "Landsat";
    case SensorHint::ImagingSpectrometer:
      return "imaging spectrometer";
  }
  return "unknown";
}

std::string normaliseBandName(const std::string& name) {
  std::string up;
  for (char ch : name) up += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  static const std::regex kPadded("B0+([0-9]A?)");
  std::smatch m;
  if (std::regex_match(up, m, kPadded)) return "B" + m[1].str();
  return up;
}

std::string bandNameFromFileName(const std::string& path) {
  std::string found;
  for (const auto& t : tokens(std::filesystem::path(path).stem().string())) {
    std::string up = normaliseBandName(t);
    if (!isBandToken(up)) continue;
    if (!found.empty() && found != up) return {};  // ambiguous ("B2-B3-B4")
    found = up;
  }
  return found;
}

std::string bandName(const raster::RasterInfo& info, int b) {
  if (b < 1 || b > info.bandCount()) return {};
  const auto& band = info.bands[b - 1];
  if (!band.description.empty()) return band.description;
  for (const char* key : {"BANDNAME", "band_name", "BAND_NAME", "name"}) {
    auto it = band.metadata.find(key);
    if (it != band.metadata.end() && !it->second.empty()) return it->second;
  }
  if (info.bandCount() == 1) {
    const std::string fromFile = bandNameFromFileName(info.path);
    if (!fromFile.empty()) return fromFile;
  }
  return "Band " + std::to_string(b);
}

SensorHint guessSensor(const raster::RasterInfo& info) {
  const std::vector<std::string> have = pathTokens(info.path);
  std::vector<std::string> names;
  for (int b = 1; b <= info.bandCount(); ++b) names.push_back(normaliseBandName(bandName(info, b)));
  const auto startsWith = [&](std::initializer_list<const char*> prefixes) {
    for (const auto& t : have)
      for (const char* p : prefixes)
        if (t.rfind(p, 0) == 0) return true;
    return false;
  };
  if (anyToken(have, {"l8", "l9", "landsat", "landsat8", "landsat9", "oli", "tirs"}) ||
      startsWith({"lc08", "lc09", "lc8", "lc9", "landsat"}))
    return SensorHint::Landsat;
  if (findBand(names, "VV") || findBand(names, "VH") || findBand(names, "HH") ||
      startsWith({"s1a", "s1b", "sentinel1"}))
    return SensorHint::Sentinel1;
  if (findBand(names, "B8A") || anyToken(have, {"s2", "msi"}) ||
      startsWith({"s2a", "s2b", "s2c", "s2l1c", "s2l2a", "sentinel2"}))
    return SensorHint::Sentinel2;
  if (info.hasWavelengths() && info.bandCount() >= 20) return SensorHint::ImagingSpectrometer;
  return SensorHint::Unknown;
}

std::vector<BandCombination> presetsFor(const raster::RasterInfo& info) {
  std::vector<BandCombination> out;
  if (info.bandCount() == 0) return out;
  std::vector<std::string> names;
  for (int b = 1; b <= info.bandCount(); ++b) names.push_back(normaliseBandName(bandName(info, b)));
  const SensorHint sensor = guessSensor(info);
  const auto has = [&](std::initializer_list<const char*> wanted) {
    for (const char* w : wanted)
      if (!findBand(names, w)) return false;
    return true;
  };
  const auto ch = [&](const char* n) { return band(findBand(names, n), n); };

  // Products first: a methane or probability raster should open as one.
  for (int b = 1; b <= info.bandCount(); ++b) {
    const Product p = productOf(info, b);
    if (p == Product::MethaneEnhancement) {
      BandCombination c = singlePreset("methane_enhancement", "Methane enhancement (ppm·m)",
                                       band(b, bandName(info, b)), "plume", "Methane enhancement", "ppm·m");
      // Plume quick-looks commonly span 0-1500 ppm·m; noise below 0 stays clear.
      c.stretch = manual(0, 1500);
      out.push_back(c);
    } else if (p == Product::Probability) {
      BandCombination c = singlePreset("flame_probability", "Plume probability (FLAME)",
                                       band(b, bandName(info, b)), "probability", "Plume probability", "");
      c.stretch = manual(0, 1);
      out.push_back(c);
    }
  }

  if (sensor == SensorHint::Landsat) {
    if (has({"B7", "B6"})) {
      out.push_back(singlePreset("landsat_swir_ratio", "Landsat SWIR ratio (B7/B6)",
                                 {findBand(names, "B7"), ChannelOp::Ratio, findBand(names, "B6"), "B7/B6"},
                                 "magma", "SWIR ratio B7/B6", ""));
    }
    if (has({"B4", "B3", "B2"}))
      out.push_back(
          rgbPreset("landsat_true_colour", "Landsat true colour (B4/B3/B2)", ch("B4"), ch("B3"), ch("B2")));
  } else {
    if (has({"B4", "B3", "B2"}))
      out.push_back(
          rgbPreset("s2_true_colour", "Sentinel-2 true colour (B4/B3/B2)", ch("B4"), ch("B3"), ch("B2")));
    if (has({"B12", "B11", "B8A"}))
      out.push_back(rgbPreset("s2_false_colour", "Sentinel-2 false colour (B12/B11/B8A)", ch("B12"),
                              ch("B11"), ch("B8A")));
  }

  if (has({"VV", "VH"})) {
    const int vv = findBand(names, "VV"), vh = findBand(names, "VH");
    const bool db = inDecibels(info, {vv, vh});
    out.push_back(rgbPreset("sar_vv_vh_ratio", db ? "SAR VV/VH/ratio (VV−VH, dB)" : "SAR VV/VH/ratio (VV/VH)",
                            band(vv, "VV"), band(vh, "VH"),
                            {vv, db ? ChannelOp::Difference : ChannelOp::Ratio, vh, db ? "VV−VH" : "VV/VH"}));
  }
  for (const char* pol : {"VV", "VH", "HH", "HV"}) {
    if (const int b = findBand(names, pol)) {
      const bool db = inDecibels(info, {b});
      out.push_back(singlePreset(std::string("sar_") + lower(pol), std::string("SAR ") + pol + " (grey)",
                                 band(b, pol), "grey", std::string("Backscatter ") + pol, db ? "dB" : ""));
    }
  }

  if (info.hasWavelengths() && info.bandCount() >= 3) {
    try {
      const int r = raster::nearestWavelengthBand(info, 640.0);
      const int g = raster::nearestWavelengthBand(info, 550.0);
      const int b = raster::nearestWavelengthBand(info, 460.0);
      if (r != g && g != b && r != b) {
        const auto label = [&](int i) {
          return std::to_string(static_cast<int>(std::lround(*info.bands[i - 1].wavelengthNm))) + " nm";
        };
        out.push_back(rgbPreset("hyperspectral_rgb",
                                "Spectrometer RGB (" + label(r) + "/" + label(g) + "/" + label(b) + ")",
                                band(r, label(r)), band(g, label(g)), band(b, label(b))));
      }
    } catch (const InputError&) {
      // No band near the visible wavelengths (a SWIR-only cube): no RGB preset.
    }
  }

  if (info.bandCount() >= 3) {
    out.push_back(rgbPreset("bands_123", "Bands 1/2/3", band(1, bandName(info, 1)),
                            band(2, bandName(info, 2)), band(3, bandName(info, 3))));
  }
  out.push_back(singlePreset("single_grey", "Band 1 (grey)", band(1, bandName(info, 1)), "grey",
                             bandName(info, 1), ""));
  return out;
}

BandCombination autoPreset(const raster::RasterInfo& info) {
  auto presets = presetsFor(info);
  if (presets.empty()) throw InputError("'" + info.path + "' has no bands to display");
  return presets.front();
}

BandCombination rgbCombination(const raster::RasterInfo& info, int red, int green, int blue) {
  BandCombination c = rgbPreset("custom", "Custom", band(red, bandName(info, red)),
                                band(green, bandName(info, green)), band(blue, bandName(info, blue)));
  c.name = "Custom (" + c.channels[0].label + "/" + c.channels[1].label + "/" + c.channels[2].label + ")";
  c.validate(info.bandCount());
  return c;
}

BandCombination singleBandCombination(const raster::RasterInfo& info, int b, const std::string& ramp) {
  BandCombination c = singlePreset("custom", "Custom (" + bandName(info, b) + ")", band(b, bandName(info, b)),
                                   ramp, bandName(info, b), "");
  c.validate(info.bandCount());
  return c;
}

}  // namespace emitrace::render
