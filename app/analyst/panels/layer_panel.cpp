#include "app/analyst/panels/layer_panel.h"

#include <QAction>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace emitrace::analyst {

LayerListView::LayerListView(QWidget* parent) : QListView(parent) {
  setDragDropMode(QAbstractItemView::InternalMove);
  setDefaultDropAction(Qt::MoveAction);
  setDragEnabled(true);
  setAcceptDrops(true);
  setDropIndicatorShown(true);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
}

void LayerListView::dropEvent(QDropEvent* event) {
  if (event->source() != this || !model() || !currentIndex().isValid()) {
    QListView::dropEvent(event);
    return;
  }
  const int from = currentIndex().row();
  const QModelIndex at = indexAt(event->position().toPoint());
  int to = at.isValid() ? at.row() : model()->rowCount() - 1;
  // Dropping on the lower half of a row puts the layer below it.
  if (at.isValid() && event->position().y() > visualRect(at).center().y() && to < from) ++to;
  if (to != from) model()->moveRows({}, from, 1, {}, to > from ? to + 1 : to);
  // Report "nothing to remove" so the view does not delete the source row.
  event->setDropAction(Qt::IgnoreAction);
  event->accept();
}

LayerPanel::LayerPanel(LayerModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  view_ = new LayerListView(this);
  view_->setModel(model_);
  view_->setToolTip(tr("Check to show, drag to reorder (top is drawn on top), F2 to rename"));
  layout->addWidget(view_, 1);

  auto* buttons = new QHBoxLayout();
  const auto button = [&](QStyle::StandardPixmap icon, const QString& tip) {
    auto* b = new QToolButton(this);
    b->setIcon(style()->standardIcon(icon));
    b->setToolTip(tip);
    buttons->addWidget(b);
    return b;
  };
  up_ = button(QStyle::SP_ArrowUp, tr("Move the layer up (drawn above the one before)"));
  down_ = button(QStyle::SP_ArrowDown, tr("Move the layer down"));
  zoom_ = button(QStyle::SP_FileDialogContentsView, tr("Zoom to the layer"));
  remove_ = button(QStyle::SP_TrashIcon, tr("Remove the layer from the map (Delete)"));
  buttons->addStretch(1);
  layout->addLayout(buttons);

  auto* opacityRow = new QHBoxLayout();
  opacityRow->addWidget(new QLabel(tr("Opacity"), this));
  opacity_ = new QSlider(Qt::Horizontal, this);
  opacity_->setRange(0, 100);
  opacity_->setToolTip(tr("Opacity of the selected layer"));
  opacityRow->addWidget(opacity_, 1);
  opacityLabel_ = new QLabel(this);
  opacityLabel_->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("100 %")));
  opacityRow->addWidget(opacityLabel_);
  layout->addLayout(opacityRow);

  auto* removeAction = new QAction(this);
  removeAction->setShortcut(QKeySequence::Delete);
  removeAction->setShortcutContext(Qt::WidgetShortcut);
  view_->addAction(removeAction);
  connect(removeAction, &QAction::triggered, this, [this] {
    if (currentLayerId()) Q_EMIT removeLayerRequested(currentLayerId());
  });

  connect(up_, &QToolButton::clicked, this, [this] { moveCurrent(-1); });
  connect(down_, &QToolButton::clicked, this, [this] { moveCurrent(+1); });
  connect(zoom_, &QToolButton::clicked, this, [this] {
    if (currentLayerId()) Q_EMIT zoomToLayerRequested(currentLayerId());
  });
  connect(remove_, &QToolButton::clicked, this, [this] {
    if (currentLayerId()) Q_EMIT removeLayerRequested(currentLayerId());
  });
  connect(view_, &QListView::doubleClicked, this, [this](const QModelIndex& i) {
    Q_EMIT zoomToLayerRequested(i.data(LayerModel::LayerIdRole).toInt());
  });
  connect(opacity_, &QSlider::valueChanged, this, [this](int v) {
    opacityLabel_->setText(tr("%1 %").arg(v));
    if (currentLayerId()) model_->setOpacity(currentLayerId(), v / 100.0);
  });
  connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
    updateControls();
    Q_EMIT currentLayerChanged(currentLayerId());
  });
  connect(model_, &QAbstractItemModel::rowsInserted, this,
          [this](const QModelIndex&, int first) { view_->setCurrentIndex(model_->index(first)); });
  connect(model_, &QAbstractItemModel::rowsRemoved, this, [this] {
    updateControls();
    Q_EMIT currentLayerChanged(currentLayerId());
  });
  connect(model_, &QAbstractItemModel::rowsMoved, this, &LayerPanel::updateControls);
  updateControls();
}

int LayerPanel::currentLayerId() const {
  const QModelIndex i = view_->currentIndex();
  return i.isValid() ? i.data(LayerModel::LayerIdRole).toInt() : 0;
}

void LayerPanel::selectLayer(int layerId) {
  const int row = model_->rowOf(layerId);
  if (row >= 0) view_->setCurrentIndex(model_->index(row));
}

void LayerPanel::moveCurrent(int delta) {
  const int row = view_->currentIndex().row();
  if (row < 0) return;
  const int id = currentLayerId();
  if (model_->moveLayer(row, row + delta)) selectLayer(id);
}

void LayerPanel::updateControls() {
  const int row = view_->currentIndex().row();
  const bool has = row >= 0;
  up_->setEnabled(has && row > 0);
  down_->setEnabled(has && row < model_->count() - 1);
  remove_->setEnabled(has);
  zoom_->setEnabled(has);
  opacity_->setEnabled(has);
  const int value = has ? static_cast<int>(model_->layer(row)->opacity() * 100 + 0.5) : 100;
  const QSignalBlocker block(opacity_);
  opacity_->setValue(value);
  opacityLabel_->setText(tr("%1 %").arg(value));
}

}  // namespace emitrace::analyst
