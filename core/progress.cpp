#include "core/progress.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace emitrace {

void Progress::report(double fraction, const std::string& text) {
  if (!std::isfinite(fraction)) fraction = 0.0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  lastFraction_ = fraction;
  onReport(fraction, text);
}

void Progress::warn(const std::string& text) {
  {
    std::lock_guard<std::mutex> lock(warningsMutex_);
    warnings_.push_back(text);
  }
  onWarn(text);
}

bool Progress::isCanceled() const { return canceled_.load(std::memory_order_relaxed); }

void Progress::cancel() { canceled_.store(true, std::memory_order_relaxed); }

void Progress::throwIfCanceled() const {
  if (isCanceled()) throw Canceled();
}

std::vector<std::string> Progress::warnings() const {
  std::lock_guard<std::mutex> lock(warningsMutex_);
  return warnings_;
}

SubProgress Progress::sub(double from, double to) { return SubProgress(*this, from, to); }

SubProgress::SubProgress(Progress& parent, double from, double to)
    : parent_(parent), from_(from), to_(to) {}

bool SubProgress::isCanceled() const { return Progress::isCanceled() || parent_.isCanceled(); }

void SubProgress::onReport(double fraction, const std::string& text) {
  parent_.report(from_ + fraction * (to_ - from_), text);
}

void SubProgress::onWarn(const std::string& text) { parent_.warn(text); }

}  // namespace emitrace
