#pragma once
// Runs one long core operation at a time on a worker thread and reports it
// to the UI: progress fraction and text, an ETA, warnings, and the outcome.
//
//   runner->start(tr("Export tile grid"),
//                 [opts](Progress& p) { raster::exportTileGrid(opts, p); },
//                 [this] { /* on the UI thread after success */ });
//
// The work function receives an emitrace::Progress whose cancel() is the
// Cancel button. It must not touch widgets: it runs on the worker thread.
// Outcomes: Succeeded; Canceled (the core threw emitrace::Canceled, so its
// outputs are already removed); Failed (any other exception, whose message is
// shown to the user).
#include <QObject>
#include <QString>
#include <QThread>
#include <functional>
#include <memory>

#include "app/analyst/run/eta_estimator.h"

namespace emitrace {
class Progress;
}

namespace emitrace::analyst {

class QtProgress;

class TaskRunner : public QObject {
  Q_OBJECT
 public:
  enum class Outcome { Succeeded, Canceled, Failed };
  Q_ENUM(Outcome)
  using Work = std::function<void(Progress&)>;
  using Done = std::function<void()>;

  explicit TaskRunner(QObject* parent = nullptr);
  ~TaskRunner() override;  // cancels and waits for a running task

  // False (and nothing starts) while another task runs.
  bool start(const QString& title, Work work, Done onSuccess = {});
  void cancel();
  bool isRunning() const { return thread_ != nullptr; }
  QString title() const { return title_; }
  // Blocks (processing events) until the task ends; false on timeout.
  bool waitForFinished(int timeoutMs = 60000);

 Q_SIGNALS:
  void started(const QString& title);
  // etaSeconds < 0: unknown yet.
  void progressed(double fraction, const QString& text, double etaSeconds);
  void warned(const QString& text);
  void cancelRequested();
  void finished(emitrace::analyst::TaskRunner::Outcome outcome, const QString& message);

 private:
  friend class QtProgress;
  void onProgress(double fraction, const QString& text);
  void onThreadDone();

  QThread* thread_ = nullptr;
  std::shared_ptr<QtProgress> progress_;
  QString title_;
  Done onSuccess_;
  Outcome outcome_ = Outcome::Succeeded;
  QString message_;
  EtaEstimator eta_;
};

}  // namespace emitrace::analyst
