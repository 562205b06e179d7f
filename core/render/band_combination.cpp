#include "core/render/band_combination.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/render/colour_ramp.h"

namespace emitrace::render {

std::string toString(StretchKind kind) {
  switch (kind) {
    case StretchKind::MinMax:
      return "minmax";
    case StretchKind::Percentile:
      return "percentile";
    case StretchKind::Manual:
      return "manual";
  }
  return "percentile";
}

StretchKind parseStretchKind(const std::string& text) {
  if (text == "minmax") return StretchKind::MinMax;
  if (text == "percentile") return StretchKind::Percentile;
  if (text == "manual") return StretchKind::Manual;
  throw InputError("unknown contrast stretch '" + text + "' (expected minmax, percentile or manual)");
}

void StretchSettings::validate(int channelCount) const {
  if (kind == StretchKind::Percentile) {
    if (!(lowPercent >= 0 && highPercent <= 100 && lowPercent < highPercent)) {
      throw InputError("percentile stretch needs 0 <= low < high <= 100 (got " + std::to_string(lowPercent) +
                       " and " + std::to_string(highPercent) + ")");
    }
  }
  if (kind == StretchKind::Manual) {
    if (static_cast<int>(min.size()) < channelCount || static_cast<int>(max.size()) < channelCount) {
      throw InputError("manual stretch needs a minimum and a maximum for each of the " +
                       std::to_string(channelCount) + " channel(s)");
    }
    for (int c = 0; c < channelCount; ++c) {
      if (!(std::isfinite(min[c]) && std::isfinite(max[c]) && min[c] < max[c])) {
        throw InputError("manual stretch of channel " + std::to_string(c + 1) +
                         " needs a finite minimum below its maximum");
      }
    }
  }
}

nlohmann::json StretchSettings::toJson() const {
  return {{"kind", toString(kind)},
          {"low_percent", lowPercent},
          {"high_percent", highPercent},
          {"min", min},
          {"max", max}};
}

StretchSettings StretchSettings::fromJson(const nlohmann::json& j) {
  StretchSettings s;
  s.kind = parseStretchKind(j.value("kind", std::string("percentile")));
  s.lowPercent = j.value("low_percent", 2.0);
  s.highPercent = j.value("high_percent", 98.0);
  s.min = j.value("min", std::vector<double>{});
  s.max = j.value("max", std::vector<double>{});
  return s;
}

void BandCombination::validate(int bandCount) const {
  const size_t expected = mode == DisplayMode::Rgb ? 3 : 1;
  if (channels.size() != expected) {
    throw InputError("a " + std::string(mode == DisplayMode::Rgb ? "red/green/blue" : "single-band") +
                     " combination needs " + std::to_string(expected) + " channel(s), got " +
                     std::to_string(channels.size()));
  }
  for (const Channel& c : channels) {
    const bool twoBands = c.op != ChannelOp::Band;
    for (int b : twoBands ? std::vector<int>{c.band, c.band2} : std::vector<int>{c.band}) {
      if (b < 1 || b > bandCount) {
        throw InputError("band " + std::to_string(b) + " of combination '" + name +
                         "' does not exist (the raster has " + std::to_string(bandCount) + " band(s))");
      }
    }
  }
  if (mode == DisplayMode::SingleBand) ColourRamp::named(ramp);
  stretch.validate(static_cast<int>(channels.size()));
}

std::vector<int> BandCombination::bandsUsed() const {
  std::vector<int> bands;
  for (const Channel& c : channels) {
    bands.push_back(c.band);
    if (c.op != ChannelOp::Band) bands.push_back(c.band2);
  }
  std::sort(bands.begin(), bands.end());
  bands.erase(std::unique(bands.begin(), bands.end()), bands.end());
  return bands;
}

namespace {

std::string opName(ChannelOp op) {
  switch (op) {
    case ChannelOp::Band:
      return "band";
    case ChannelOp::Ratio:
      return "ratio";
    case ChannelOp::Difference:
      return "difference";
  }
  return "band";
}

ChannelOp parseOp(const std::string& s) {
  if (s == "band") return ChannelOp::Band;
  if (s == "ratio") return ChannelOp::Ratio;
  if (s == "difference") return ChannelOp::Difference;
  throw InputError("unknown channel operation '" + s + "' (expected band, ratio or difference)");
}

}  // namespace

nlohmann::json BandCombination::toJson() const {
  nlohmann::json ch = nlohmann::json::array();
  for (const Channel& c : channels) {
    ch.push_back({{"band", c.band}, {"op", opName(c.op)}, {"band2", c.band2}, {"label", c.label}});
  }
  return {{"preset", presetId},
          {"name", name},
          {"mode", mode == DisplayMode::Rgb ? "rgb" : "single"},
          {"channels", ch},
          {"ramp", ramp},
          {"title", title},
          {"unit", unit},
          {"stretch", stretch.toJson()}};
}

BandCombination BandCombination::fromJson(const nlohmann::json& j) {
  BandCombination b;
  b.presetId = j.value("preset", std::string("custom"));
  b.name = j.value("name", std::string());
  b.mode = j.value("mode", std::string("rgb")) == "single" ? DisplayMode::SingleBand : DisplayMode::Rgb;
  for (const auto& c : j.value("channels", nlohmann::json::array())) {
    b.channels.push_back({c.value("band", 1), parseOp(c.value("op", std::string("band"))),
                          c.value("band2", 0), c.value("label", std::string())});
  }
  b.ramp = j.value("ramp", std::string("grey"));
  b.title = j.value("title", std::string());
  b.unit = j.value("unit", std::string());
  if (j.contains("stretch")) b.stretch = StretchSettings::fromJson(j["stretch"]);
  return b;
}

}  // namespace emitrace::render
