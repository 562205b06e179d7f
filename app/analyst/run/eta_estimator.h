#pragma once
// Remaining-time estimate for a running task from its progress fraction.
// Rate-based with exponential smoothing so a bursty loop (fast tiles, then a
// slow write) does not make the estimate jump around.
#include <QElapsedTimer>

namespace emitrace::analyst {

class EtaEstimator {
 public:
  void start();
  // Feeds the latest fraction (0..1) at `elapsedMs` since start (default:
  // the real clock). Returns the remaining seconds, or -1 while there is too
  // little progress or time to tell.
  double update(double fraction, qint64 elapsedMs = -1);
  qint64 elapsedMs() const { return timer_.isValid() ? timer_.elapsed() : 0; }

 private:
  QElapsedTimer timer_;
  double lastFraction_ = 0;
  qint64 lastMs_ = 0;
  double rate_ = 0;  // fraction per second, smoothed
};

}  // namespace emitrace::analyst
