#pragma once
// The running task in the status bar: title, progress bar with the core's
// step text, remaining time and a Cancel button. Hidden while idle, so the
// rest of the window stays usable while a task runs.
#include <QWidget>

#include "app/analyst/run/task_runner.h"

class QLabel;
class QProgressBar;
class QToolButton;

namespace emitrace::analyst {

class RunPanel : public QWidget {
  Q_OBJECT
 public:
  RunPanel(TaskRunner* runner, QWidget* parent = nullptr);
  QToolButton* cancelButton() const { return cancel_; }
  QProgressBar* progressBar() const { return bar_; }
  QString etaText() const;

  // "about 2 min 05 s left" / "less than a second left" / "" (unknown).
  static QString formatEta(double seconds);

 private:
  void onStarted(const QString& title);
  void onProgress(double fraction, const QString& text, double eta);
  void onFinished();

  TaskRunner* runner_;
  QLabel* title_;
  QProgressBar* bar_;
  QLabel* eta_;
  QToolButton* cancel_;
};

}  // namespace emitrace::analyst
