#include "qgis_plugin/feedback_progress.h"

#include <qgsfeedback.h>
#include <qgsprocessingfeedback.h>

namespace emitrace::qgis {

FeedbackProgress::FeedbackProgress(QgsFeedback* feedback)
    : mFeedback(feedback), mProcessingFeedback(dynamic_cast<QgsProcessingFeedback*>(feedback)) {}

bool FeedbackProgress::isCanceled() const {
  return Progress::isCanceled() || (mFeedback && mFeedback->isCanceled());
}

void FeedbackProgress::onReport(double fraction, const std::string& text) {
  if (!mFeedback) return;
  const int percent = static_cast<int>(fraction * 100.0);
  if (percent == mLastPercent) return;  // QGIS repaints on every change
  mLastPercent = percent;
  mFeedback->setProgress(percent);
}

void FeedbackProgress::onWarn(const std::string& text) {
  if (mProcessingFeedback) mProcessingFeedback->pushWarning(QString::fromStdString(text));
}

}  // namespace emitrace::qgis
