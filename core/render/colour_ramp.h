#pragma once
// Colour ramps for single-band layers (methane enhancement, probabilities,
// ratios) and the legend that explains them.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace emitrace::render {

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba& o) const { return r == o.r && g == o.g && b == o.b && a == o.a; }
};

// A piecewise-linear ramp over [0, 1] through evenly spaced stops.
class ColourRamp {
 public:
  // One of rampNames(). Throws InputError for an unknown name (listing the
  // known ones).
  static ColourRamp named(const std::string& name);

  const std::string& name() const { return name_; }
  // Colour at t (clamped to [0, 1]).
  Rgba at(double t) const;
  // A 256-entry lookup table: at(i / 255).
  std::array<Rgba, 256> table() const;

 private:
  ColourRamp(std::string name, std::vector<Rgba> stops);
  std::string name_;
  std::vector<Rgba> stops_;
};

// "grey", "viridis", "magma", "plume" (yellow-orange-red, transparent at the
// low end so a methane enhancement overlays the scene), "probability".
std::vector<std::string> rampNames();

struct LegendTick {
  double value = 0;
  double position = 0;  // where along the ramp, in [0, 1]
  std::string label;
};

// Everything a legend widget draws: a title with unit, the ramp between the
// stretch's min and max, and round tick values (1, 2, 5 x 10^n steps).
struct Legend {
  std::string title;
  std::string unit;  // "ppm·m", "" for unitless
  std::string rampName;
  double min = 0;
  double max = 1;
  std::vector<LegendTick> ticks;
};

Legend makeLegend(const std::string& title, const std::string& unit, const std::string& rampName, double min,
                  double max, int maxTicks = 6);

// Round tick values covering [min, max] with at most maxTicks values.
std::vector<double> niceTicks(double min, double max, int maxTicks);

}  // namespace emitrace::render
