#pragma once
// The layer list: visibility check boxes, drag (or Move up/down) to reorder,
// Remove, Zoom to layer, and the current layer's opacity.
#include <QListView>
#include <QWidget>

#include "app/analyst/map/layer_model.h"

class QSlider;
class QLabel;
class QToolButton;

namespace emitrace::analyst {

// A list view whose internal drags move rows through the model's moveRows()
// instead of Qt's default insert-copy-then-remove.
class LayerListView : public QListView {
  Q_OBJECT
 public:
  explicit LayerListView(QWidget* parent = nullptr);

 protected:
  void dropEvent(QDropEvent* event) override;
};

class LayerPanel : public QWidget {
  Q_OBJECT
 public:
  LayerPanel(LayerModel* model, QWidget* parent = nullptr);

  // Id of the selected layer, 0 if none.
  int currentLayerId() const;
  void selectLayer(int layerId);
  LayerListView* view() const { return view_; }
  QSlider* opacitySlider() const { return opacity_; }

 Q_SIGNALS:
  void currentLayerChanged(int layerId);
  void zoomToLayerRequested(int layerId);
  void removeLayerRequested(int layerId);

 private:
  void updateControls();
  void moveCurrent(int delta);

  LayerModel* model_;
  LayerListView* view_;
  QSlider* opacity_;
  QLabel* opacityLabel_;
  QToolButton* up_;
  QToolButton* down_;
  QToolButton* remove_;
  QToolButton* zoom_;
};

}  // namespace emitrace::analyst
