#include "app/analyst/panels/aoi_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/error.h"
#include "core/render/aoi_geometry.h"
#include "core/render/coordinates.h"

namespace emitrace::analyst {

AoiPanel::AoiPanel(LayerModel* layers, std::function<std::string()> mapCrs, QWidget* parent)
    : QWidget(parent), layers_(layers), mapCrs_(std::move(mapCrs)) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(4, 4, 4, 4);

  auto* aoiBox = new QGroupBox(tr("Area of interest"), this);
  auto* al = new QVBoxLayout(aoiBox);
  auto* tools = new QHBoxLayout();
  const auto tool = [&](const QString& text, const QString& tip) {
    auto* b = new QToolButton(aoiBox);
    b->setText(text);
    b->setToolTip(tip);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addWidget(b);
    return b;
  };
  drawRect_ = tool(tr("Rectangle"), tr("Drag a rectangle on the map (R)"));
  drawRect_->setCheckable(true);
  drawPolygon_ =
      tool(tr("Polygon"), tr("Click the vertices on the map; double-click, right-click or Enter to finish, "
                             "Backspace to remove the last vertex, Esc to cancel (P)"));
  drawPolygon_->setCheckable(true);
  load_ = tool(tr("Load…"), tr("Use the polygons of a vector file (GeoPackage, GeoJSON, Shapefile, …)"));
  clear_ = tool(tr("Clear"), tr("Use the whole raster"));
  tools->addStretch(1);
  al->addLayout(tools);
  aoiLabel_ = new QLabel(aoiBox);
  aoiLabel_->setWordWrap(true);
  al->addWidget(aoiLabel_);
  outer->addWidget(aoiBox);

  auto* gridBox = new QGroupBox(tr("Tile grid"), this);
  auto* gf = new QFormLayout(gridBox);
  reference_ = new QComboBox(gridBox);
  reference_->setToolTip(tr("The raster whose pixel grid the tiles follow"));
  gf->addRow(tr("Raster"), reference_);
  auto* patchRow = new QHBoxLayout();
  patch_ = new QSpinBox(gridBox);
  patch_->setRange(1, 100000);
  patch_->setValue(72);
  patch_->setKeyboardTracking(false);
  patchUnit_ = new QComboBox(gridBox);
  patchUnit_->addItem(tr("px"), QStringLiteral("px"));
  patchUnit_->addItem(tr("m"), QStringLiteral("m"));
  patchRow->addWidget(patch_, 1);
  patchRow->addWidget(patchUnit_);
  gf->addRow(tr("Patch size"), patchRow);
  overlap_ = new QLineEdit(QStringLiteral("0"), gridBox);
  overlap_->setToolTip(tr("A fraction of the patch (0.25) or a length (16px, 160m)"));
  gf->addRow(tr("Overlap"), overlap_);
  edge_ = new QComboBox(gridBox);
  edge_->addItem(tr("Shift last tile inward"), static_cast<int>(raster::EdgePolicy::Shift));
  edge_->addItem(tr("Pad past the edge"), static_cast<int>(raster::EdgePolicy::Pad));
  edge_->addItem(tr("Drop partial tiles"), static_cast<int>(raster::EdgePolicy::Drop));
  edge_->setToolTip(tr("What happens where the lattice runs past the raster's right and bottom edges"));
  gf->addRow(tr("At the edge"), edge_);
  show_ = new QCheckBox(tr("Show tiles on the map"), gridBox);
  show_->setChecked(true);
  gf->addRow(show_);
  count_ = new QLabel(gridBox);
  count_->setWordWrap(true);
  count_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  gf->addRow(count_);
  export_ = new QPushButton(tr("Export tile grid…"), gridBox);
  export_->setToolTip(tr("Write one polygon per tile (GeoPackage, GeoJSON, CSV, KML, Shapefile)"));
  gf->addRow(export_);
  outer->addWidget(gridBox);
  outer->addStretch(1);

  connect(drawRect_, &QToolButton::toggled, this, &AoiPanel::drawRectangleRequested);
  connect(drawPolygon_, &QToolButton::toggled, this, &AoiPanel::drawPolygonRequested);
  connect(load_, &QToolButton::clicked, this, &AoiPanel::loadAoiRequested);
  connect(clear_, &QToolButton::clicked, this, &AoiPanel::clearAoi);
  connect(export_, &QPushButton::clicked, this, &AoiPanel::exportRequested);
  connect(reference_, &QComboBox::currentIndexChanged, this, &AoiPanel::updatePreview);
  connect(patch_, &QSpinBox::valueChanged, this, &AoiPanel::updatePreview);
  connect(patchUnit_, &QComboBox::currentIndexChanged, this, &AoiPanel::updatePreview);
  connect(overlap_, &QLineEdit::editingFinished, this, &AoiPanel::updatePreview);
  connect(edge_, &QComboBox::currentIndexChanged, this, &AoiPanel::updatePreview);
  connect(show_, &QCheckBox::toggled, this, &AoiPanel::updatePreview);
  connect(layers_, &QAbstractItemModel::rowsInserted, this, &AoiPanel::refreshReferenceLayers);
  connect(layers_, &QAbstractItemModel::rowsRemoved, this, &AoiPanel::refreshReferenceLayers);
  connect(layers_, &QAbstractItemModel::modelReset, this, &AoiPanel::refreshReferenceLayers);
  connect(layers_, &QAbstractItemModel::dataChanged, this,
          [this](const QModelIndex&, const QModelIndex&, const QList<int>& roles) {
            if (roles.isEmpty() || roles.contains(Qt::DisplayRole)) refreshReferenceLayers();
          });
  refreshReferenceLayers();
  setAoi({}, {});
}

void AoiPanel::refreshReferenceLayers() {
  const int keep = referenceLayerId();
  {
    const QSignalBlocker block(reference_);
    reference_->clear();
    for (const auto& r : layers_->rasterLayers()) reference_->addItem(r->name(), r->id());
    const int i = reference_->findData(keep);
    reference_->setCurrentIndex(i >= 0 ? i : (reference_->count() ? 0 : -1));
  }
  updatePreview();
}

int AoiPanel::referenceLayerId() const {
  return reference_->currentIndex() >= 0 ? reference_->currentData().toInt() : 0;
}

void AoiPanel::setReferenceLayer(int layerId) {
  const int i = reference_->findData(layerId);
  if (i >= 0) reference_->setCurrentIndex(i);
}

void AoiPanel::setAoi(const std::string& wktMapCrs, const QString& origin) {
  aoi_ = wktMapCrs;
  origin_ = origin;
  if (aoi_.empty()) {
    aoiLabel_->setText(tr("Whole raster (no area drawn)."));
  } else {
    double area = 0;
    try {
      area = render::polygonArea(aoi_);
    } catch (const Error&) {
    }
    const std::string crs = mapCrs_();
    QString size;
    if (!crs.empty() && !render::isGeographic(crs)) {
      size = tr("%1 km²").arg(QLocale().toString(area / 1e6, 'f', area < 1e7 ? 2 : 0));
    } else {
      size = tr("%1 square map units").arg(QLocale().toString(area, 'g', 4));
    }
    aoiLabel_->setText(tr("%1, %2.").arg(origin_, size));
  }
  Q_EMIT aoiChanged(QString::fromStdString(aoi_));
  updatePreview();
}

void AoiPanel::clearAoi() { setAoi({}, {}); }

void AoiPanel::setDrawingTool(int tool) {
  const QSignalBlocker a(drawRect_), b(drawPolygon_);
  drawRect_->setChecked(tool == 1);
  drawPolygon_->setChecked(tool == 2);
}

raster::TileGridOptions AoiPanel::tilingOptions() const {
  raster::TileGridOptions o;
  o.patch = raster::Length::parse(QString::number(patch_->value()).toStdString() +
                                  patchUnit_->currentData().toString().toStdString());
  o.overlap = raster::Overlap::parse(
      overlap_->text().trimmed().isEmpty() ? "0" : overlap_->text().trimmed().toStdString());
  o.edge = static_cast<raster::EdgePolicy>(edge_->currentData().toInt());
  return o;
}

void AoiPanel::setTilingOptions(const QString& patch, const QString& overlap, raster::EdgePolicy edge) {
  const raster::Length l = raster::Length::parse(patch.toStdString());
  const QSignalBlocker a(patch_), b(patchUnit_), c(overlap_), d(edge_);
  patch_->setValue(static_cast<int>(l.value));
  patchUnit_->setCurrentIndex(l.unit == raster::Length::Unit::Metres ? 1 : 0);
  overlap_->setText(overlap);
  edge_->setCurrentIndex(edge_->findData(static_cast<int>(edge)));
  updatePreview();
}

void AoiPanel::setShowPreview(bool show) { show_->setChecked(show); }

QString AoiPanel::countText() const { return count_->text(); }

void AoiPanel::updatePreview() {
  preview_.reset();
  error_.clear();
  auto layer = std::dynamic_pointer_cast<RasterLayer>(layers_->layerById(referenceLayerId()));
  export_->setEnabled(false);
  if (!layer) {
    count_->setText(tr("Open a raster to lay a tile grid over it."));
    Q_EMIT previewChanged(nullptr);
    return;
  }
  if (!layer->source().georeferenced) {
    error_ = tr("%1 has no georeferencing; tile grids need a raster with a geotransform.").arg(layer->name());
    count_->setText(error_);
    Q_EMIT previewChanged(nullptr);
    return;
  }
  try {
    const raster::TileGridOptions options = tilingOptions();
    auto preview = std::make_shared<render::TileGridPreview>(
        render::previewTileGrid(layer->source().nativeGrid, aoi_, mapCrs_(), options));
    const auto& t = preview->tiles;
    count_->setText(tr("<b>%1 tiles</b> of %2 × %3 px (stride %4 × %5 px); lattice %6 × %7")
                        .arg(QLocale().toString(static_cast<qlonglong>(preview->count())))
                        .arg(t.patchWidthPx)
                        .arg(t.patchHeightPx)
                        .arg(t.strideXPx)
                        .arg(t.strideYPx)
                        .arg(QLocale().toString(t.latticeRows))
                        .arg(QLocale().toString(t.latticeCols)));
    preview_ = preview;
    export_->setEnabled(true);
  } catch (const Error& e) {
    error_ = QString::fromStdString(e.what());
    count_->setText(QStringLiteral("<span style='color:#c00'>%1</span>").arg(error_.toHtmlEscaped()));
  }
  Q_EMIT previewChanged(show_->isChecked() ? preview_ : nullptr);
}

}  // namespace emitrace::analyst
