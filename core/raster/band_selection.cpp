#include "core/raster/band_selection.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.h"

namespace emitrace::raster {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string availableBands(const RasterInfo& info) {
  std::ostringstream out;
  const int shown = std::min(info.bandCount(), 12);
  for (int i = 0; i < shown; ++i) {
    const auto& b = info.bands[i];
    out << (i ? ", " : "") << b.index;
    if (!b.description.empty()) out << " \"" << b.description << "\"";
    if (b.wavelengthNm) out << " " << *b.wavelengthNm << " nm";
  }
  if (info.bandCount() > shown) out << ", ... (" << info.bandCount() << " bands)";
  return out.str();
}

void requireWavelengths(const RasterInfo& info, const std::string& what) {
  if (!info.hasWavelengths()) {
    throw InputError("'" + info.path + "' does not carry band wavelengths, needed to " + what +
                     "; select bands by index or description, or provide a raster whose "
                     "header lists wavelengths (ENVI 'wavelength', GDAL band metadata)");
  }
}

}  // namespace

int nearestWavelengthBand(const RasterInfo& info, double wavelengthNm, double maxDistanceNm) {
  requireWavelengths(info, "find the band nearest " + std::to_string(wavelengthNm) + " nm");
  int best = -1;
  double bestDistance = std::numeric_limits<double>::infinity();
  for (const auto& b : info.bands) {
    double d = std::abs(*b.wavelengthNm - wavelengthNm);
    if (d < bestDistance) {
      bestDistance = d;
      best = b.index;
    }
  }
  if (bestDistance > maxDistanceNm) {
    std::ostringstream msg;
    msg << "no band of '" << info.path << "' within " << maxDistanceNm << " nm of "
        << wavelengthNm << " nm (nearest is band " << best << " at "
        << *info.bands[best - 1].wavelengthNm << " nm)";
    throw InputError(msg.str());
  }
  return best;
}

std::vector<int> bandsInWindow(const RasterInfo& info, double loNm, double hiNm) {
  requireWavelengths(info, "select the " + std::to_string(loNm) + "-" + std::to_string(hiNm) +
                               " nm window");
  std::vector<int> out;
  for (const auto& b : info.bands) {
    if (*b.wavelengthNm >= loNm && *b.wavelengthNm <= hiNm) out.push_back(b.index);
  }
  if (out.empty()) {
    std::ostringstream msg;
    msg << "no band of '" << info.path << "' lies in the " << loNm << "-" << hiNm
        << " nm window (the raster covers " << *info.bands.front().wavelengthNm << "-"
        << *info.bands.back().wavelengthNm << " nm)";
    throw InputError(msg.str());
  }
  return out;
}

int selectBand(const RasterInfo& info, const std::string& rawSpec) {
  const std::string spec = trim(rawSpec);
  if (spec.empty()) throw InputError("empty band name for '" + info.path + "'");

  // 1-based index, optionally written "#3".
  std::string digits = spec[0] == '#' ? spec.substr(1) : spec;
  if (!digits.empty() && std::all_of(digits.begin(), digits.end(), ::isdigit)) {
    int index = std::stoi(digits);
    if (index < 1 || index > info.bandCount()) {
      throw InputError("band " + digits + " does not exist in '" + info.path + "', which has " +
                       std::to_string(info.bandCount()) + " band(s)");
    }
    return index;
  }

  // Wavelength: "2300nm", "2300 nm", "2.3um", "2.3µm".
  const std::string l = lower(spec);
  for (const char* unit : {"nm", "um", "\xc2\xb5m"}) {
    const std::string u(unit);
    if (l.size() > u.size() && l.compare(l.size() - u.size(), u.size(), u) == 0) {
      std::string number = trim(l.substr(0, l.size() - u.size()));
      try {
        size_t used = 0;
        double v = std::stod(number, &used);
        if (used == number.size()) {
          return nearestWavelengthBand(info, wavelengthToNm(v, u));
        }
      } catch (const std::invalid_argument&) {
        // not a number: fall through to a description match ("B8nm" is a name)
      }
    }
  }

  // Description, case-insensitive, exact.
  std::vector<int> matches;
  for (const auto& b : info.bands) {
    if (lower(b.description) == l) matches.push_back(b.index);
  }
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1) {
    throw InputError("band name '" + spec + "' matches " + std::to_string(matches.size()) +
                     " bands of '" + info.path + "'; select by index instead");
  }
  throw InputError("band '" + spec + "' not found in '" + info.path +
                   "'; available: " + availableBands(info));
}

}  // namespace emitrace::raster
