#include "app/analyst/panels/style_panel.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "app/analyst/panels/legend_widget.h"
#include "app/analyst/panels/preset_names.h"
#include "app/analyst/raster_info_model.h"
#include "core/error.h"
#include "core/render/band_presets.h"
#include "core/render/colour_ramp.h"

namespace emitrace::analyst {

namespace {
constexpr int kCustomRgb = -1;
constexpr int kCustomSingle = -2;

QDoubleSpinBox* valueBox(QWidget* parent) {
  auto* b = new QDoubleSpinBox(parent);
  b->setRange(-1e12, 1e12);
  b->setDecimals(4);
  b->setKeyboardTracking(false);
  // The range would make the box as wide as 13 digits; share the dock's width instead.
  b->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
  b->setMinimumWidth(b->fontMetrics().horizontalAdvance(QStringLiteral("-00000.0000")));
  return b;
}
}  // namespace

StylePanel::StylePanel(LayerModel* layers, RasterInfoModel* bands, QWidget* parent)
    : QWidget(parent), layers_(layers), bands_(bands) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(4, 4, 4, 4);
  title_ = new QLabel(tr("No layer selected"), this);
  title_->setWordWrap(true);
  outer->addWidget(title_);
  pages_ = new QStackedWidget(this);
  outer->addWidget(pages_, 1);

  // ---- raster page
  auto* rasterPage = new QWidget(pages_);
  auto* rl = new QVBoxLayout(rasterPage);
  rl->setContentsMargins(0, 0, 0, 0);
  auto* form = new QFormLayout();
  preset_ = new QComboBox(rasterPage);
  preset_->setToolTip(
      tr("Band combination; chosen from band names and wavelengths when the raster was opened"));
  form->addRow(tr("Bands"), preset_);
  rl->addLayout(form);

  custom_ = new QGroupBox(tr("Custom combination"), rasterPage);
  auto* cl = new QFormLayout(custom_);
  customMode_ = new QComboBox(custom_);
  customMode_->addItem(tr("Red / green / blue"));
  customMode_->addItem(tr("Single band with colour ramp"));
  cl->addRow(tr("Mode"), customMode_);
  customRed_ = new QComboBox(custom_);
  customGreen_ = new QComboBox(custom_);
  customBlue_ = new QComboBox(custom_);
  customSingle_ = new QComboBox(custom_);
  customRamp_ = new QComboBox(custom_);
  for (const auto& name : render::rampNames()) customRamp_->addItem(QString::fromStdString(name));
  cl->addRow(tr("Red"), customRed_);
  cl->addRow(tr("Green"), customGreen_);
  cl->addRow(tr("Blue"), customBlue_);
  cl->addRow(tr("Band"), customSingle_);
  cl->addRow(tr("Ramp"), customRamp_);
  auto* apply = new QPushButton(tr("Apply"), custom_);
  cl->addRow(apply);
  rl->addWidget(custom_);

  auto* stretchBox = new QGroupBox(tr("Contrast stretch"), rasterPage);
  auto* sl = new QVBoxLayout(stretchBox);
  auto* sf = new QFormLayout();
  stretchKind_ = new QComboBox(stretchBox);
  stretchKind_->addItem(tr("Percentile"), static_cast<int>(render::StretchKind::Percentile));
  stretchKind_->addItem(tr("Minimum – maximum"), static_cast<int>(render::StretchKind::MinMax));
  stretchKind_->addItem(tr("Manual"), static_cast<int>(render::StretchKind::Manual));
  stretchKind_->setToolTip(tr("Computed on an overview of the whole raster, not only the visible part"));
  sf->addRow(tr("Stretch"), stretchKind_);
  lowPercent_ = new QDoubleSpinBox(stretchBox);
  highPercent_ = new QDoubleSpinBox(stretchBox);
  for (QDoubleSpinBox* b : {lowPercent_, highPercent_}) {
    b->setRange(0, 100);
    b->setDecimals(1);
    b->setSuffix(tr(" %"));
    b->setKeyboardTracking(false);
  }
  sf->addRow(tr("Black point"), lowPercent_);
  sf->addRow(tr("White point"), highPercent_);
  sl->addLayout(sf);
  rangeGrid_ = new QGridLayout();
  rangeGrid_->addWidget(new QLabel(tr("Channel"), stretchBox), 0, 0);
  rangeGrid_->addWidget(new QLabel(tr("Minimum"), stretchBox), 0, 1);
  rangeGrid_->addWidget(new QLabel(tr("Maximum"), stretchBox), 0, 2);
  for (int c = 0; c < 3; ++c) {
    rangeLabels_[c] = new QLabel(stretchBox);
    rangeMin_[c] = valueBox(stretchBox);
    rangeMax_[c] = valueBox(stretchBox);
    rangeGrid_->addWidget(rangeLabels_[c], c + 1, 0);
    rangeGrid_->addWidget(rangeMin_[c], c + 1, 1);
    rangeGrid_->addWidget(rangeMax_[c], c + 1, 2);
    connect(rangeMin_[c], &QDoubleSpinBox::valueChanged, this, &StylePanel::onStretchControlsChanged);
    connect(rangeMax_[c], &QDoubleSpinBox::valueChanged, this, &StylePanel::onStretchControlsChanged);
  }
  sl->addLayout(rangeGrid_);
  rl->addWidget(stretchBox);

  legend_ = new LegendWidget(rasterPage);
  rl->addWidget(legend_);
  bandTable_ = new QTableView(rasterPage);
  bandTable_->setModel(bands_);
  bandTable_->horizontalHeader()->setStretchLastSection(true);
  bandTable_->verticalHeader()->hide();
  bandTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  rl->addWidget(bandTable_, 1);
  pages_->addWidget(rasterPage);

  // ---- vector page
  auto* vectorPage = new QWidget(pages_);
  auto* vl = new QFormLayout(vectorPage);
  vectorColour_ = new QPushButton(tr("Choose…"), vectorPage);
  vectorWidth_ = new QDoubleSpinBox(vectorPage);
  vectorWidth_->setRange(0.5, 10);
  vectorWidth_->setSingleStep(0.5);
  vectorWidth_->setSuffix(tr(" px"));
  vl->addRow(tr("Colour"), vectorColour_);
  vl->addRow(tr("Line width"), vectorWidth_);
  pages_->addWidget(vectorPage);
  pages_->addWidget(new QWidget(pages_));  // nothing selected

  connect(preset_, &QComboBox::activated, this, &StylePanel::onPresetActivated);
  connect(customMode_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  connect(apply, &QPushButton::clicked, this, &StylePanel::applyCustom);
  connect(stretchKind_, &QComboBox::currentIndexChanged, this, &StylePanel::onStretchControlsChanged);
  connect(lowPercent_, &QDoubleSpinBox::valueChanged, this, &StylePanel::onStretchControlsChanged);
  connect(highPercent_, &QDoubleSpinBox::valueChanged, this, &StylePanel::onStretchControlsChanged);
  connect(vectorColour_, &QPushButton::clicked, this, &StylePanel::chooseVectorColour);
  connect(vectorWidth_, &QDoubleSpinBox::valueChanged, this, [this](double w) {
    if (refreshing_) return;
    if (auto v = vector()) {
      render::VectorStyle s = v->style();
      s.strokeWidthPx = w;
      v->setStyle(s);
      layers_->notifyChanged(v->id());
    }
  });
  connect(layers_, &QAbstractItemModel::rowsRemoved, this, [this] {
    if (!layers_->layerById(layerId_)) setLayer(0);
  });
  setLayer(0);
}

std::shared_ptr<RasterLayer> StylePanel::raster() const {
  return std::dynamic_pointer_cast<RasterLayer>(layers_->layerById(layerId_));
}
std::shared_ptr<VectorLayer> StylePanel::vector() const {
  return std::dynamic_pointer_cast<VectorLayer>(layers_->layerById(layerId_));
}

void StylePanel::setLayer(int layerId) {
  layerId_ = layerId;
  custom_->setVisible(false);
  if (auto r = raster()) bands_->setInfo(r->source().info);
  refresh();
}

void StylePanel::refresh() {
  refreshing_ = true;
  const auto layer = layers_->layerById(layerId_);
  if (!layer) {
    title_->setText(tr("No layer selected"));
    pages_->setCurrentIndex(2);
    refreshing_ = false;
    return;
  }
  title_->setText(QStringLiteral("<b>%1</b>").arg(layer->name().toHtmlEscaped()));
  title_->setToolTip(layer->description());
  if (auto v = vector()) {
    pages_->setCurrentIndex(1);
    const render::Rgba c = v->style().stroke;
    vectorColour_->setStyleSheet(
        QStringLiteral("background-color: rgb(%1,%2,%3)").arg(c.r).arg(c.g).arg(c.b));
    vectorWidth_->setValue(v->style().strokeWidthPx);
    refreshing_ = false;
    return;
  }
  auto r = raster();
  pages_->setCurrentIndex(0);
  const render::BandCombination& combo = r->combination();

  preset_->clear();
  int current = -1;
  for (size_t i = 0; i < r->presets().size(); ++i) {
    const auto& p = r->presets()[i];
    preset_->addItem(presetDisplayName(p), static_cast<int>(i));
    if (p.presetId == combo.presetId && p.channels == combo.channels) current = static_cast<int>(i);
  }
  preset_->insertSeparator(preset_->count());
  preset_->addItem(tr("Custom red/green/blue…"), kCustomRgb);
  preset_->addItem(tr("Custom single band…"), kCustomSingle);
  if (current < 0) {
    preset_->setCurrentIndex(
        preset_->findData(combo.mode == render::DisplayMode::Rgb ? kCustomRgb : kCustomSingle));
    if (combo.presetId == "custom") preset_->setItemText(preset_->currentIndex(), presetDisplayName(combo));
  } else {
    preset_->setCurrentIndex(current);
  }

  // Custom editor: band lists.
  const raster::RasterInfo& info = r->source().info;
  for (QComboBox* box : {customRed_, customGreen_, customBlue_, customSingle_}) {
    box->clear();
    for (int b = 1; b <= info.bandCount(); ++b) {
      QString label = QString::fromStdString(render::bandName(info, b));
      if (info.bands[b - 1].wavelengthNm)
        label += tr(" (%1 nm)").arg(*info.bands[b - 1].wavelengthNm, 0, 'f', 1);
      box->addItem(QStringLiteral("%1: %2").arg(b).arg(label), b);
    }
  }
  const bool rgb = customMode_->currentIndex() == 0;
  customRed_->setEnabled(rgb);
  customGreen_->setEnabled(rgb);
  customBlue_->setEnabled(rgb);
  customSingle_->setEnabled(!rgb);
  customRamp_->setEnabled(!rgb);
  if (combo.mode == render::DisplayMode::Rgb) {
    customRed_->setCurrentIndex(combo.channels[0].band - 1);
    customGreen_->setCurrentIndex(combo.channels[1].band - 1);
    customBlue_->setCurrentIndex(combo.channels[2].band - 1);
  } else {
    customSingle_->setCurrentIndex(combo.channels[0].band - 1);
    customRamp_->setCurrentText(QString::fromStdString(combo.ramp));
  }

  // Stretch.
  const render::StretchSettings& s = combo.stretch;
  stretchKind_->setCurrentIndex(stretchKind_->findData(static_cast<int>(s.kind)));
  lowPercent_->setValue(s.lowPercent);
  highPercent_->setValue(s.highPercent);
  lowPercent_->setEnabled(s.kind == render::StretchKind::Percentile);
  highPercent_->setEnabled(s.kind == render::StretchKind::Percentile);
  static const char* const kRgbNames[] = {QT_TR_NOOP("Red"), QT_TR_NOOP("Green"), QT_TR_NOOP("Blue")};
  for (int c = 0; c < 3; ++c) {
    const bool shown = c < static_cast<int>(combo.channels.size());
    rangeLabels_[c]->setVisible(shown);
    rangeMin_[c]->setVisible(shown);
    rangeMax_[c]->setVisible(shown);
    if (!shown) continue;
    const QString channel = QString::fromStdString(combo.channels[c].label);
    rangeLabels_[c]->setText(
        combo.mode == render::DisplayMode::Rgb ? tr("%1 (%2)").arg(tr(kRgbNames[c]), channel) : channel);
    rangeMin_[c]->setValue(r->ranges()[c].min);
    rangeMax_[c]->setValue(r->ranges()[c].max);
    rangeMin_[c]->setReadOnly(s.kind != render::StretchKind::Manual);
    rangeMax_[c]->setReadOnly(s.kind != render::StretchKind::Manual);
  }

  if (combo.mode == render::DisplayMode::SingleBand) {
    legend_->setLegend(render::makeLegend(legendTitle(combo).toStdString(), combo.unit, combo.ramp,
                                          r->ranges()[0].min, r->ranges()[0].max));
    legend_->show();
  } else {
    legend_->clear();
    legend_->hide();
  }
  refreshing_ = false;
}

bool StylePanel::applyCombination(const render::BandCombination& combination) {
  auto r = raster();
  if (!r) return false;
  try {
    r->setCombination(combination);
  } catch (const Error& e) {
    Q_EMIT errorOccurred(tr("Cannot use this band combination"), QString::fromStdString(e.what()));
    refresh();
    return false;
  }
  layers_->notifyChanged(r->id());
  refresh();
  return true;
}

bool StylePanel::applyStretch(const render::StretchSettings& stretch) {
  auto r = raster();
  if (!r) return false;
  try {
    r->setStretch(stretch);
  } catch (const Error& e) {
    Q_EMIT errorOccurred(tr("Cannot apply this contrast stretch"), QString::fromStdString(e.what()));
    refresh();
    return false;
  }
  layers_->notifyChanged(r->id());
  refresh();
  return true;
}

void StylePanel::onPresetActivated(int index) {
  auto r = raster();
  if (!r || refreshing_) return;
  const int data = preset_->itemData(index).toInt();
  if (data >= 0) {
    custom_->setVisible(false);
    applyCombination(r->presets()[static_cast<size_t>(data)]);
    return;
  }
  customMode_->setCurrentIndex(data == kCustomRgb ? 0 : 1);
  custom_->setVisible(true);
}

void StylePanel::applyCustom() {
  auto r = raster();
  if (!r) return;
  try {
    const raster::RasterInfo& info = r->source().info;
    const render::BandCombination c =
        customMode_->currentIndex() == 0
            ? render::rgbCombination(info, customRed_->currentData().toInt(),
                                     customGreen_->currentData().toInt(), customBlue_->currentData().toInt())
            : render::singleBandCombination(info, customSingle_->currentData().toInt(),
                                            customRamp_->currentText().toStdString());
    applyCombination(c);
  } catch (const Error& e) {
    Q_EMIT errorOccurred(tr("Cannot use this band combination"), QString::fromStdString(e.what()));
  }
}

void StylePanel::onStretchControlsChanged() {
  auto r = raster();
  if (!r || refreshing_) return;
  render::StretchSettings s = r->combination().stretch;
  s.kind = static_cast<render::StretchKind>(stretchKind_->currentData().toInt());
  s.lowPercent = lowPercent_->value();
  s.highPercent = highPercent_->value();
  const size_t n = r->combination().channels.size();
  if (s.kind == render::StretchKind::Manual) {
    s.min.assign(n, 0);
    s.max.assign(n, 1);
    for (size_t c = 0; c < n; ++c) {
      s.min[c] = rangeMin_[c]->value();
      s.max[c] = rangeMax_[c]->value();
    }
  }
  applyStretch(s);
}

void StylePanel::chooseVectorColour() {
  auto v = vector();
  if (!v) return;
  const render::Rgba c = v->style().stroke;
  const QColor chosen = QColorDialog::getColor(QColor(c.r, c.g, c.b), this, tr("Layer colour"));
  if (!chosen.isValid()) return;
  render::VectorStyle s = v->style();
  s.stroke = {static_cast<std::uint8_t>(chosen.red()), static_cast<std::uint8_t>(chosen.green()),
              static_cast<std::uint8_t>(chosen.blue()), 255};
  s.fill = {s.stroke.r, s.stroke.g, s.stroke.b, s.fill.a};
  v->setStyle(s);
  layers_->notifyChanged(v->id());
  refresh();
}

}  // namespace emitrace::analyst
