#include "app/analyst/map/layer_model.h"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QStyle>

namespace emitrace::analyst {

LayerModel::LayerModel(QObject* parent) : QAbstractListModel(parent) {
  connect(this, &QAbstractItemModel::rowsMoved, this, &LayerModel::mapContentChanged);
}

int LayerModel::addLayer(std::shared_ptr<MapLayer> layer) {
  beginInsertRows({}, 0, 0);
  layers_.insert(layers_.begin(), std::move(layer));
  endInsertRows();
  Q_EMIT mapContentChanged();
  return 0;
}

bool LayerModel::removeLayer(int layerId) {
  const int row = rowOf(layerId);
  if (row < 0) return false;
  beginRemoveRows({}, row, row);
  layers_.erase(layers_.begin() + row);
  endRemoveRows();
  Q_EMIT mapContentChanged();
  return true;
}

bool LayerModel::replaceLayer(std::shared_ptr<MapLayer> layer) {
  const int row = rowOf(layer->id());
  if (row < 0) return false;
  layers_[row] = std::move(layer);
  Q_EMIT dataChanged(index(row), index(row));
  Q_EMIT mapContentChanged();
  return true;
}

void LayerModel::clear() {
  beginResetModel();
  layers_.clear();
  endResetModel();
  Q_EMIT mapContentChanged();
}

std::shared_ptr<MapLayer> LayerModel::layer(int row) const {
  if (row < 0 || row >= count()) return nullptr;
  return layers_[row];
}

std::shared_ptr<MapLayer> LayerModel::layerById(int layerId) const { return layer(rowOf(layerId)); }

int LayerModel::rowOf(int layerId) const {
  for (int i = 0; i < count(); ++i)
    if (layers_[i]->id() == layerId) return i;
  return -1;
}

std::vector<std::shared_ptr<MapLayer>> LayerModel::drawOrder() const {
  return {layers_.rbegin(), layers_.rend()};
}

std::vector<std::shared_ptr<RasterLayer>> LayerModel::rasterLayers() const {
  std::vector<std::shared_ptr<RasterLayer>> out;
  for (const auto& l : layers_)
    if (auto r = std::dynamic_pointer_cast<RasterLayer>(l)) out.push_back(r);
  return out;
}

void LayerModel::setOpacity(int layerId, double opacity) {
  const int row = rowOf(layerId);
  if (row < 0) return;
  layers_[row]->setOpacity(opacity);
  Q_EMIT dataChanged(index(row), index(row), {OpacityRole});
  Q_EMIT mapContentChanged();
}

void LayerModel::setVisible(int layerId, bool visible) {
  const int row = rowOf(layerId);
  if (row < 0) return;
  layers_[row]->setVisible(visible);
  Q_EMIT dataChanged(index(row), index(row), {Qt::CheckStateRole});
  Q_EMIT mapContentChanged();
}

void LayerModel::notifyChanged(int layerId) {
  const int row = rowOf(layerId);
  if (row < 0) return;
  Q_EMIT dataChanged(index(row), index(row));
  Q_EMIT mapContentChanged();
}

bool LayerModel::moveLayer(int fromRow, int toRow) {
  if (fromRow < 0 || fromRow >= count() || toRow < 0 || toRow >= count() || fromRow == toRow) return false;
  // Qt's destination is the row before which the moved row is inserted.
  return moveRows({}, fromRow, 1, {}, toRow > fromRow ? toRow + 1 : toRow);
}

int LayerModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : count(); }

QVariant LayerModel::data(const QModelIndex& index, int role) const {
  const auto l = layer(index.row());
  if (!index.isValid() || !l) return {};
  switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
      return l->name();
    case Qt::ToolTipRole:
      return l->description();
    case Qt::CheckStateRole:
      return l->visible() ? Qt::Checked : Qt::Unchecked;
    case Qt::DecorationRole:
      return QApplication::style()->standardIcon(l->kind() == LayerKind::Raster ? QStyle::SP_FileIcon
                                                                                : QStyle::SP_FileLinkIcon);
    case LayerIdRole:
      return l->id();
    case OpacityRole:
      return l->opacity();
    case KindRole:
      return static_cast<int>(l->kind());
  }
  return {};
}

bool LayerModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  const auto l = layer(index.row());
  if (!l) return false;
  if (role == Qt::CheckStateRole) {
    setVisible(l->id(), value.toInt() == Qt::Checked);
    return true;
  }
  if (role == Qt::EditRole && !value.toString().trimmed().isEmpty()) {
    l->setName(value.toString().trimmed());
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole});
    return true;
  }
  if (role == OpacityRole) {
    setOpacity(l->id(), value.toDouble());
    return true;
  }
  return false;
}

Qt::ItemFlags LayerModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::ItemIsDropEnabled;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemIsEditable |
         Qt::ItemIsDragEnabled;
}

bool LayerModel::moveRows(const QModelIndex& sourceParent, int sourceRow, int rows,
                          const QModelIndex& destinationParent, int destinationChild) {
  if (sourceParent.isValid() || destinationParent.isValid() || rows != 1) return false;
  if (sourceRow < 0 || sourceRow >= count() || destinationChild < 0 || destinationChild > count())
    return false;
  if (destinationChild == sourceRow || destinationChild == sourceRow + 1) return false;
  if (!beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild)) return false;
  auto moved = layers_[sourceRow];
  layers_.erase(layers_.begin() + sourceRow);
  const int insertAt = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
  layers_.insert(layers_.begin() + insertAt, moved);
  endMoveRows();  // rowsMoved -> mapContentChanged
  return true;
}

}  // namespace emitrace::analyst
