#include "app/analyst/run/task_runner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>
#include <mutex>

#include "core/error.h"
#include "core/progress.h"

namespace emitrace::analyst {

// The core's Progress, forwarding to the runner on the UI thread. Reports
// are throttled to ~20 per second so a fast loop cannot flood the event queue.
class QtProgress : public Progress {
 public:
  explicit QtProgress(TaskRunner* runner) : runner_(runner) { clock_.start(); }

 protected:
  void onReport(double fraction, const std::string& text) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const bool due = clock_.elapsed() - lastMs_ >= 50 || fraction >= 1.0 || text != lastText_;
      if (!due) return;
      lastMs_ = clock_.elapsed();
      lastText_ = text;
    }
    QPointer<TaskRunner> runner = runner_;
    const QString qtext = QString::fromStdString(text);
    QMetaObject::invokeMethod(
        runner_,
        [runner, fraction, qtext] {
          if (runner) runner->onProgress(fraction, qtext);
        },
        Qt::QueuedConnection);
  }
  void onWarn(const std::string& text) override {
    QPointer<TaskRunner> runner = runner_;
    const QString qtext = QString::fromStdString(text);
    QMetaObject::invokeMethod(
        runner_,
        [runner, qtext] {
          if (runner) Q_EMIT runner->warned(qtext);
        },
        Qt::QueuedConnection);
  }

 private:
  TaskRunner* runner_;
  std::mutex mutex_;
  QElapsedTimer clock_;
  qint64 lastMs_ = -1000;
  std::string lastText_;
};

TaskRunner::TaskRunner(QObject* parent) : QObject(parent) {}

TaskRunner::~TaskRunner() {
  if (thread_) {
    progress_->cancel();
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
  }
}

bool TaskRunner::start(const QString& title, Work work, Done onSuccess) {
  if (thread_) return false;
  title_ = title;
  onSuccess_ = std::move(onSuccess);
  outcome_ = Outcome::Succeeded;
  message_.clear();
  progress_ = std::make_shared<QtProgress>(this);
  eta_.start();
  std::shared_ptr<QtProgress> progress = progress_;
  thread_ = QThread::create([this, progress, work = std::move(work)] {
    Outcome outcome = Outcome::Succeeded;
    QString message;
    try {
      work(*progress);
    } catch (const Canceled& e) {
      outcome = Outcome::Canceled;
      message = QString::fromStdString(e.what());
    } catch (const Error& e) {
      outcome = Outcome::Failed;
      message = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
      outcome = Outcome::Failed;
      message = tr("Unexpected error: %1").arg(QString::fromStdString(e.what()));
    } catch (...) {
      outcome = Outcome::Failed;
      message = tr("Unexpected error of an unknown kind.");
    }
    // Read by onThreadDone on the UI thread after QThread::finished.
    outcome_ = outcome;
    message_ = message;
  });
  connect(thread_, &QThread::finished, this, &TaskRunner::onThreadDone);
  Q_EMIT started(title_);
  Q_EMIT progressed(0, QString(), -1);
  thread_->start();
  return true;
}

void TaskRunner::cancel() {
  if (!thread_ || !progress_ || progress_->isCanceled()) return;
  progress_->cancel();
  Q_EMIT cancelRequested();
}

void TaskRunner::onProgress(double fraction, const QString& text) {
  if (!thread_) return;
  Q_EMIT progressed(fraction, text, eta_.update(fraction));
}

void TaskRunner::onThreadDone() {
  if (!thread_) return;
  thread_->wait();
  thread_->deleteLater();
  thread_ = nullptr;
  progress_.reset();
  const Outcome outcome = outcome_;
  const QString message = message_;
  Done onSuccess = std::move(onSuccess_);
  onSuccess_ = {};
  if (outcome == Outcome::Succeeded && onSuccess) {
    try {
      onSuccess();
    } catch (const std::exception& e) {
      Q_EMIT finished(Outcome::Failed, QString::fromStdString(e.what()));
      return;
    }
  }
  Q_EMIT finished(outcome, message);
}

bool TaskRunner::waitForFinished(int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (thread_ && timer.elapsed() < timeoutMs) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (thread_) QThread::msleep(2);
  }
  return thread_ == nullptr;
}

}  // namespace emitrace::analyst
