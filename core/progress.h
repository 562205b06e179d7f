#pragma once
// One progress and cancellation interface for all long-running core work.
//
// Modelled on QgsFeedback and QgsProcessingMultiStepFeedback: the core
// reports a fraction of its own work in [0, 1], emits warnings, and polls
// isCanceled() once per tile/window (throwIfCanceled() throws Canceled).
// sub(from, to) hands a nested step its own [0, 1] scale, as
// GDALCreateScaledProgress does. Front ends derive from Progress and override
// onReport()/onWarn(): a terminal bar, a QProgressDialog, QgsProcessingFeedback.
//
// cancel() may be called from any thread; report() and warn() are called from
// the thread doing the work.
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace emitrace {

class SubProgress;

class Progress {
 public:
  Progress() = default;
  virtual ~Progress() = default;
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // fraction: how much of this scope's work is done, clamped to [0, 1].
  void report(double fraction, const std::string& text = {});
  // A non-fatal problem the user should know about (a fallback was used,
  // some pixels were skipped). Also kept in warnings() for provenance.
  void warn(const std::string& text);

  virtual bool isCanceled() const;
  void cancel();
  // Throws Canceled if the user cancelled.
  void throwIfCanceled() const;

  double lastFraction() const { return lastFraction_; }
  std::vector<std::string> warnings() const;

  // A child scope whose [0, 1] maps onto [from, to] of this one and which
  // sees this scope's cancellation.
  SubProgress sub(double from, double to);

 protected:
  virtual void onReport(double fraction, const std::string& text) {}
  virtual void onWarn(const std::string& text) {}

 private:
  std::atomic<bool> canceled_{false};
  double lastFraction_ = 0.0;
  mutable std::mutex warningsMutex_;
  std::vector<std::string> warnings_;
};

class SubProgress : public Progress {
 public:
  SubProgress(Progress& parent, double from, double to);
  bool isCanceled() const override;

 protected:
  void onReport(double fraction, const std::string& text) override;
  void onWarn(const std::string& text) override;

 private:
  Progress& parent_;
  double from_;
  double to_;
};

}  // namespace emitrace
