#pragma once
// Adapts QGIS's QgsFeedback to the core's Progress: core progress becomes
// setProgress() percentages, core warnings become pushWarning(), and a
// cancel in QGIS is seen by the core's isCanceled() polls.
#include "core/progress.h"

class QgsFeedback;
class QgsProcessingFeedback;

namespace emitrace::qgis {

class FeedbackProgress : public Progress {
 public:
  explicit FeedbackProgress(QgsFeedback* feedback);
  bool isCanceled() const override;

 protected:
  void onReport(double fraction, const std::string& text) override;
  void onWarn(const std::string& text) override;

 private:
  QgsFeedback* mFeedback = nullptr;
  QgsProcessingFeedback* mProcessingFeedback = nullptr;
  int mLastPercent = -1;
};

}  // namespace emitrace::qgis
