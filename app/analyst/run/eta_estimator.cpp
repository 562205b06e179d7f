#include "app/analyst/run/eta_estimator.h"

#include <algorithm>

namespace emitrace::analyst {

void EtaEstimator::start() {
  timer_.start();
  lastFraction_ = 0;
  lastMs_ = 0;
  rate_ = 0;
}

double EtaEstimator::update(double fraction, qint64 elapsedMs) {
  if (elapsedMs < 0) elapsedMs = timer_.isValid() ? timer_.elapsed() : 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (fraction >= 1.0) return 0;
  const double dt = (elapsedMs - lastMs_) / 1000.0;
  const double df = fraction - lastFraction_;
  if (dt >= 0.25 && df > 0) {
    const double instant = df / dt;
    // Early on trust the overall average; later smooth recent rates.
    const double overall = elapsedMs > 0 ? fraction / (elapsedMs / 1000.0) : instant;
    rate_ = rate_ <= 0 ? overall : 0.7 * rate_ + 0.3 * instant;
    lastMs_ = elapsedMs;
    lastFraction_ = fraction;
  }
  if (rate_ <= 0 || fraction < 0.01 || elapsedMs < 1000) return -1;
  return (1.0 - fraction) / rate_;
}

}  // namespace emitrace::analyst
