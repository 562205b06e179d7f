#pragma once
// The map's layers, top first (row 0 is drawn last, on top). Check boxes
// toggle visibility; rows can be moved (drag in the list, or Move up/down).
#include <QAbstractListModel>
#include <memory>
#include <vector>

#include "app/analyst/map/map_layer.h"

namespace emitrace::analyst {

class LayerModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role { LayerIdRole = Qt::UserRole + 1, OpacityRole, KindRole };

  explicit LayerModel(QObject* parent = nullptr);

  // Adds on top; returns the row (0).
  int addLayer(std::shared_ptr<MapLayer> layer);
  bool removeLayer(int layerId);
  // Puts `layer` (same id) in place of the layer with that id.
  bool replaceLayer(std::shared_ptr<MapLayer> layer);
  void clear();

  std::shared_ptr<MapLayer> layer(int row) const;
  std::shared_ptr<MapLayer> layerById(int layerId) const;
  int rowOf(int layerId) const;
  int count() const { return static_cast<int>(layers_.size()); }
  // Bottom to top: the order to draw in.
  std::vector<std::shared_ptr<MapLayer>> drawOrder() const;
  std::vector<std::shared_ptr<RasterLayer>> rasterLayers() const;  // top first
  int nextLayerId() { return ++lastId_; }

  void setOpacity(int layerId, double opacity);
  void setVisible(int layerId, bool visible);
  // Tells views that a layer's picture changed (new combination/stretch/style).
  void notifyChanged(int layerId);
  // Moves one row so it ends up at `toRow` (after the move).
  bool moveLayer(int fromRow, int toRow);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool moveRows(const QModelIndex& sourceParent, int sourceRow, int count,
                const QModelIndex& destinationParent, int destinationChild) override;
  Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }

 Q_SIGNALS:
  // Anything that changes the map's picture (visibility, opacity, order,
  // combination, add/remove).
  void mapContentChanged();

 private:
  std::vector<std::shared_ptr<MapLayer>> layers_;  // top first
  int lastId_ = 0;
};

}  // namespace emitrace::analyst
