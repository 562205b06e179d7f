#pragma once
// Draws a render::Legend: title and unit, the colour ramp as a bar, and the
// tick values beneath it.
#include <QWidget>

#include "core/render/colour_ramp.h"

namespace emitrace::analyst {

class LegendWidget : public QWidget {
  Q_OBJECT
 public:
  explicit LegendWidget(QWidget* parent = nullptr);
  void setLegend(const render::Legend& legend);
  void clear();
  bool hasLegend() const { return has_; }
  const render::Legend& legend() const { return legend_; }
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  render::Legend legend_;
  bool has_ = false;
};

}  // namespace emitrace::analyst
