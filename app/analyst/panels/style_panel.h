#pragma once
// How the selected layer is drawn. Rasters: band-combination preset (chosen
// automatically when opened) or a custom red/green/blue or single-band
// combination with a colour ramp; contrast stretch (percentile, min–max or
// manual per channel); the legend of single-band layers; the band table.
// Vectors: outline colour and width.
#include <QWidget>
#include <memory>

#include "app/analyst/map/layer_model.h"

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QGridLayout;

namespace emitrace::analyst {

class LegendWidget;
class RasterInfoModel;

class StylePanel : public QWidget {
  Q_OBJECT
 public:
  StylePanel(LayerModel* layers, RasterInfoModel* bands, QWidget* parent = nullptr);

  void setLayer(int layerId);
  int layerId() const { return layerId_; }

  // Test and scripting hooks: the same paths the controls take.
  QComboBox* presetCombo() const { return preset_; }
  QComboBox* stretchCombo() const { return stretchKind_; }
  LegendWidget* legend() const { return legend_; }
  // Applies a stretch to the current raster layer; false (after reporting
  // the error) if it is invalid.
  bool applyStretch(const render::StretchSettings& stretch);
  bool applyCombination(const render::BandCombination& combination);

 Q_SIGNALS:
  void errorOccurred(const QString& title, const QString& message);

 private:
  void refresh();
  void onPresetActivated(int index);
  void onStretchControlsChanged();
  void applyCustom();
  void chooseVectorColour();
  std::shared_ptr<RasterLayer> raster() const;
  std::shared_ptr<VectorLayer> vector() const;

  LayerModel* layers_;
  RasterInfoModel* bands_;
  int layerId_ = 0;
  bool refreshing_ = false;

  QLabel* title_;
  QStackedWidget* pages_;
  // Raster page.
  QComboBox* preset_;
  QGroupBox* custom_;
  QComboBox* customRed_;
  QComboBox* customGreen_;
  QComboBox* customBlue_;
  QComboBox* customSingle_;
  QComboBox* customRamp_;
  QComboBox* customMode_;
  QComboBox* stretchKind_;
  QDoubleSpinBox* lowPercent_;
  QDoubleSpinBox* highPercent_;
  QGridLayout* rangeGrid_;
  QLabel* rangeLabels_[3];
  QDoubleSpinBox* rangeMin_[3];
  QDoubleSpinBox* rangeMax_[3];
  LegendWidget* legend_;
  QTableView* bandTable_;
  // Vector page.
  QPushButton* vectorColour_;
  QDoubleSpinBox* vectorWidth_;
};

}  // namespace emitrace::analyst
