#pragma once
// How a raster layer is turned into colours: which bands (or band ratios)
// drive red, green and blue, or one value through a colour ramp, and how
// values are stretched onto 0..255.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace emitrace::render {

// One displayed channel: a band, or a ratio/difference of two bands (SAR
// VV/VH, Landsat B7/B6). Differences are the ratio of values in decibels.
enum class ChannelOp { Band, Ratio, Difference };

struct Channel {
  int band = 1;  // 1-based
  ChannelOp op = ChannelOp::Band;
  int band2 = 0;      // 1-based denominator / subtrahend (Ratio, Difference)
  std::string label;  // "B12", "VV/VH", shown in the UI and legends

  bool operator==(const Channel& o) const {
    return band == o.band && op == o.op && band2 == o.band2 && label == o.label;
  }
};

enum class DisplayMode { Rgb, SingleBand };

enum class StretchKind { MinMax, Percentile, Manual };

struct StretchSettings {
  StretchKind kind = StretchKind::Percentile;
  double lowPercent = 2;    // Percentile: percent of valid pixels below the black point
  double highPercent = 98;  // Percentile: percent below the white point
  std::vector<double> min;  // Manual: per channel, in data units
  std::vector<double> max;

  // Throws InputError for percentiles outside [0, 100] or low >= high, or
  // manual ranges with a missing channel or min >= max.
  void validate(int channelCount) const;
  nlohmann::json toJson() const;
  static StretchSettings fromJson(const nlohmann::json& j);
};

struct BandCombination {
  std::string presetId;  // "s2_false_colour", ..., "custom"
  std::string name;      // shown in the preset list
  DisplayMode mode = DisplayMode::Rgb;
  std::vector<Channel> channels;  // 3 for Rgb (red, green, blue), 1 for SingleBand
  std::string ramp = "grey";      // SingleBand: a render::rampNames() entry
  std::string title;              // legend title ("Methane enhancement")
  std::string unit;               // legend unit ("ppm·m")
  StretchSettings stretch;        // the preset's default stretch

  // Throws InputError for a wrong channel count, a band outside
  // [1, bandCount], or an unknown ramp.
  void validate(int bandCount) const;
  // The distinct 1-based bands the channels read, ascending.
  std::vector<int> bandsUsed() const;
  nlohmann::json toJson() const;
  static BandCombination fromJson(const nlohmann::json& j);
};

// The per-channel value range a stretch resolved to (data units).
struct ChannelRange {
  double min = 0;
  double max = 1;
};

std::string toString(StretchKind kind);  // "minmax" | "percentile" | "manual"
StretchKind parseStretchKind(const std::string& text);

}  // namespace emitrace::render
