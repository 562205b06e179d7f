#include "core/train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace emitrace::train {

double cosineAnnealing(double initial, double minimum, long step, long totalSteps) {
  if (totalSteps <= 0) return minimum;
  const double t = std::clamp(static_cast<double>(step) / totalSteps, 0.0, 1.0);
  return minimum + (initial - minimum) * 0.5 * (1.0 + std::cos(M_PI * t));
}

double exponentialDecay(double start, double end, long step, long totalSteps) {
  if (totalSteps <= 0) return end;
  const double t = std::clamp(static_cast<double>(step) / totalSteps, 0.0, 1.0);
  return start * std::pow(end / start, t);
}

}  // namespace emitrace::train
