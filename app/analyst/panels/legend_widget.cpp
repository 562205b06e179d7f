#include "app/analyst/panels/legend_widget.h"

#include <QPainter>

namespace emitrace::analyst {

LegendWidget::LegendWidget(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void LegendWidget::setLegend(const render::Legend& legend) {
  legend_ = legend;
  has_ = true;
  setToolTip(QString::fromStdString(legend.title));
  updateGeometry();
  update();
}

void LegendWidget::clear() {
  has_ = false;
  update();
}

QSize LegendWidget::sizeHint() const {
  const int line = fontMetrics().height();
  return {220, line * 2 + 22};
}

void LegendWidget::paintEvent(QPaintEvent*) {
  if (!has_) return;
  QPainter p(this);
  const int line = fontMetrics().height();
  const int margin = fontMetrics().horizontalAdvance(QStringLiteral("0000")) / 2;
  QString title = QString::fromStdString(legend_.title);
  if (!legend_.unit.empty()) title += QStringLiteral(" (%1)").arg(QString::fromStdString(legend_.unit));
  p.setPen(palette().color(QPalette::WindowText));
  p.drawText(QRect(0, 0, width(), line), Qt::AlignLeft | Qt::AlignVCenter, title);

  const QRect bar(margin, line + 2, width() - 2 * margin, 12);
  // A checkerboard behind the ramp shows where it is transparent.
  const int cell = 6;
  for (int y = bar.top(); y < bar.bottom(); y += cell)
    for (int x = bar.left(); x < bar.right(); x += cell)
      p.fillRect(QRect(x, y, cell, cell).intersected(bar),
                 ((x - bar.left()) / cell + (y - bar.top()) / cell) % 2 ? QColor(200, 200, 200) : Qt::white);
  const render::ColourRamp ramp = render::ColourRamp::named(legend_.rampName);
  for (int x = 0; x < bar.width(); ++x) {
    const render::Rgba c = ramp.at(bar.width() > 1 ? x / double(bar.width() - 1) : 0);
    p.setPen(QColor(c.r, c.g, c.b, c.a));
    p.drawLine(bar.left() + x, bar.top(), bar.left() + x, bar.bottom());
  }
  p.setPen(palette().color(QPalette::Mid));
  p.drawRect(bar.adjusted(0, 0, -1, -1));
  p.setPen(palette().color(QPalette::WindowText));
  for (const render::LegendTick& t : legend_.ticks) {
    const int x = bar.left() + static_cast<int>(t.position * (bar.width() - 1));
    p.drawLine(x, bar.bottom(), x, bar.bottom() + 3);
    const QString label = QString::fromStdString(t.label);
    const int w = fontMetrics().horizontalAdvance(label);
    p.drawText(QRect(x - w / 2 - 2, bar.bottom() + 4, w + 4, line), Qt::AlignCenter, label);
  }
}

}  // namespace emitrace::analyst
