#include "core/render/overview_choice.h"

#include <algorithm>

namespace emitrace::render {

double reductionFactor(const LevelSize& full, const LevelSize& level) {
  if (level.width <= 0 || level.height <= 0) return 0;
  return std::max(static_cast<double>(full.width) / level.width,
                  static_cast<double>(full.height) / level.height);
}

int chooseOverview(const LevelSize& full, const std::vector<LevelSize>& overviews,
                   double sourcePixelsPerScreenPixel) {
  int best = -1;
  double bestFactor = 1.0;
  // A level whose size was rounded up (967 / 2 -> 484) has a factor just
  // under the nominal one; the tolerance lets exactly-nominal zooms use it.
  const double limit = sourcePixelsPerScreenPixel * (1.0 + 1e-6);
  for (size_t i = 0; i < overviews.size(); ++i) {
    const double factor = reductionFactor(full, overviews[i]);
    if (factor > bestFactor && factor <= limit) {
      best = static_cast<int>(i);
      bestFactor = factor;
    }
  }
  return best;
}

}  // namespace emitrace::render
