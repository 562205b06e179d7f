#include "app/analyst/run/run_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>
#include <cmath>

namespace emitrace::analyst {

RunPanel::RunPanel(TaskRunner* runner, QWidget* parent) : QWidget(parent), runner_(runner) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  title_ = new QLabel(this);
  bar_ = new QProgressBar(this);
  bar_->setRange(0, 1000);
  bar_->setTextVisible(true);
  bar_->setMinimumWidth(220);
  eta_ = new QLabel(this);
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel"));
  cancel_->setToolTip(tr("Stop the task; nothing it has written so far is kept"));
  layout->addWidget(title_);
  layout->addWidget(bar_);
  layout->addWidget(eta_);
  layout->addWidget(cancel_);
  hide();
  connect(cancel_, &QToolButton::clicked, runner_, &TaskRunner::cancel);
  connect(runner_, &TaskRunner::started, this, &RunPanel::onStarted);
  connect(runner_, &TaskRunner::progressed, this, &RunPanel::onProgress);
  connect(runner_, &TaskRunner::cancelRequested, this, [this] {
    cancel_->setEnabled(false);
    eta_->setText(tr("cancelling…"));
  });
  connect(runner_, &TaskRunner::finished, this, &RunPanel::onFinished);
}

QString RunPanel::etaText() const { return eta_->text(); }

QString RunPanel::formatEta(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return {};
  if (seconds < 1) return tr("less than a second left");
  const long s = std::lround(seconds);
  if (s < 60) return tr("about %n s left", "", static_cast<int>(s));
  if (s < 3600) return tr("about %1 min %2 s left").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return tr("about %1 h %2 min left").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

void RunPanel::onStarted(const QString& title) {
  title_->setText(title);
  bar_->setValue(0);
  bar_->setFormat(QStringLiteral("%p%"));
  eta_->clear();
  cancel_->setEnabled(true);
  show();
}

void RunPanel::onProgress(double fraction, const QString& text, double eta) {
  bar_->setValue(static_cast<int>(std::lround(fraction * 1000)));
  bar_->setFormat(text.isEmpty() ? QStringLiteral("%p%") : text + QStringLiteral(" — %p%"));
  if (cancel_->isEnabled()) eta_->setText(formatEta(eta));
}

void RunPanel::onFinished() { hide(); }

}  // namespace emitrace::analyst
