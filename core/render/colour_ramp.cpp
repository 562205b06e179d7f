#include "core/render/colour_ramp.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace emitrace::render {

namespace {

Rgba hex(std::uint32_t rgb, std::uint8_t a = 255) {
  return {static_cast<std::uint8_t>(rgb >> 16), static_cast<std::uint8_t>(rgb >> 8),
          static_cast<std::uint8_t>(rgb), a};
}

// Stops are sampled from the published matplotlib (viridis, magma) and
// ColorBrewer (YlOrRd) ramps at nine even positions.
std::vector<Rgba> stopsOf(const std::string& name) {
  if (name == "grey") return {hex(0x000000), hex(0xffffff)};
  if (name == "viridis")
    return {hex(0x440154), hex(0x472d7b), hex(0x3b528b), hex(0x2c728e), hex(0x21918c),
            hex(0x28ae80), hex(0x5ec962), hex(0xaddc30), hex(0xfde725)};
  if (name == "magma")
    return {hex(0x000004), hex(0x1c1044), hex(0x4f127b), hex(0x812581), hex(0xb5367a),
            hex(0xe55964), hex(0xfb8761), hex(0xfec287), hex(0xfcfdbf)};
  if (name == "plume")
    // Zero enhancement is see-through, so plumes sit on the scene beneath.
    return {hex(0xffffcc, 0), hex(0xffeda0, 160), hex(0xfed976, 220), hex(0xfeb24c), hex(0xfd8d3c),
            hex(0xfc4e2a),    hex(0xe31a1c),      hex(0xbd0026),      hex(0x800026)};
  if (name == "probability")
    return {hex(0x0d0887, 0), hex(0x46039f, 140), hex(0x7201a8, 200), hex(0x9c179e), hex(0xbd3786),
            hex(0xd8576b),    hex(0xed7953),      hex(0xfb9f3a),      hex(0xf0f921)};
  return {};
}

std::string formatTick(double value, double step) {
  // Enough decimals to tell neighbouring ticks apart, no more.
  int decimals = 0;
  if (step > 0 && step < 1) decimals = static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  decimals = std::clamp(decimals, 0, 8);
  if (std::fabs(value) < step * 1e-9) value = 0;  // no "-0"
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  // "0.0" and "1.0" next to "0.2": whole ticks read better without decimals.
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace

std::vector<std::string> rampNames() { return {"grey", "viridis", "magma", "plume", "probability"}; }

ColourRamp::ColourRamp(std::string name, std::vector<Rgba> stops)
    : name_(std::move(name)), stops_(std::move(stops)) {}

ColourRamp ColourRamp::named(const std::string& name) {
  std::vector<Rgba> stops = stopsOf(name);
  if (stops.empty()) {
    std::string known;
    for (const auto& n : rampNames()) known += (known.empty() ? "" : ", ") + n;
    throw InputError("unknown colour ramp '" + name + "' (expected one of: " + known + ")");
  }
  return ColourRamp(name, std::move(stops));
}

Rgba ColourRamp::at(double t) const {
  if (!(t > 0)) return stops_.front();  // also NaN
  if (t >= 1) return stops_.back();
  const double pos = t * (stops_.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  const double f = pos - i;
  const Rgba& a = stops_[i];
  const Rgba& b = stops_[i + 1];
  const auto mix = [f](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::lround(x + (y - x) * f));
  };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), mix(a.a, b.a)};
}

std::array<Rgba, 256> ColourRamp::table() const {
  std::array<Rgba, 256> lut;
  for (int i = 0; i < 256; ++i) lut[i] = at(i / 255.0);
  return lut;
}

std::vector<double> niceTicks(double min, double max, int maxTicks) {
  if (!(max > min) || maxTicks < 2 || !std::isfinite(min) || !std::isfinite(max)) {
    return std::isfinite(min) ? std::vector<double>{min} : std::vector<double>{};
  }
  const double rough = (max - min) / (maxTicks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (magnitude * m >= rough * (1 - 1e-9)) {
      step = magnitude * m;
      break;
    }
  }
  std::vector<double> ticks;
  const double first = std::ceil(min / step - 1e-9) * step;
  for (double v = first; v <= max + step * 1e-9; v += step) ticks.push_back(v);
  return ticks;
}

Legend makeLegend(const std::string& title, const std::string& unit, const std::string& rampName, double min,
                  double max, int maxTicks) {
  ColourRamp::named(rampName);  // validates the name
  Legend legend{title, unit, rampName, min, max, {}};
  const std::vector<double> values = niceTicks(min, max, maxTicks);
  const double step = values.size() > 1 ? values[1] - values[0] : std::fabs(max - min);
  for (double v : values) {
    const double pos = max > min ? (v - min) / (max - min) : 0.0;
    legend.ticks.push_back({v, pos, formatTick(v, step)});
  }
  return legend;
}

}  // namespace emitrace::render
