#pragma once
// Area of interest and the tile grid a scan would walk over it: draw a
// rectangle or polygon on the map or load one from a vector file, choose the
// raster whose grid is tiled, patch size, overlap and edge policy, and see
// the tiles (and their count) on the map before running anything.
#include <QWidget>
#include <functional>
#include <memory>
#include <string>

#include "app/analyst/map/layer_model.h"
#include "core/raster/tile_grid.h"
#include "core/render/tile_grid_preview.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace emitrace::analyst {

class AoiPanel : public QWidget {
  Q_OBJECT
 public:
  // mapCrs: returns the map's CRS WKT when asked.
  AoiPanel(LayerModel* layers, std::function<std::string()> mapCrs, QWidget* parent = nullptr);

  // The AOI polygon in the map CRS ("" = whole raster).
  void setAoi(const std::string& wktMapCrs, const QString& origin);
  const std::string& aoi() const { return aoi_; }
  void clearAoi();

  // Tiling options as the controls hold them. Throws InputError for an
  // unreadable overlap.
  raster::TileGridOptions tilingOptions() const;
  void setTilingOptions(const QString& patch, const QString& overlap, raster::EdgePolicy edge);
  // The raster layer whose grid is tiled (0 if none).
  int referenceLayerId() const;
  void setReferenceLayer(int layerId);

  std::shared_ptr<const render::TileGridPreview> preview() const { return preview_; }
  QString previewError() const { return error_; }
  QString countText() const;

  // Whether the tiles are drawn on the map (the count is computed either way).
  void setShowPreview(bool show);

  QToolButton* drawRectangleButton() const { return drawRect_; }
  QToolButton* drawPolygonButton() const { return drawPolygon_; }
  QPushButton* exportButton() const { return export_; }

 Q_SIGNALS:
  void aoiChanged(const QString& wktMapCrs);
  void previewChanged(std::shared_ptr<const render::TileGridPreview> preview);
  void drawRectangleRequested(bool on);
  void drawPolygonRequested(bool on);
  void loadAoiRequested();
  void exportRequested();

 public Q_SLOTS:
  // Recomputes the preview (on any change of AOI, options or layers).
  void updatePreview();
  void setDrawingTool(int tool);  // MapCanvas::Tool as int: keeps the buttons in sync

 private:
  void refreshReferenceLayers();

  LayerModel* layers_;
  std::function<std::string()> mapCrs_;
  std::string aoi_;
  QString origin_;
  std::shared_ptr<const render::TileGridPreview> preview_;
  QString error_;

  QToolButton* drawRect_;
  QToolButton* drawPolygon_;
  QToolButton* load_;
  QToolButton* clear_;
  QLabel* aoiLabel_;
  QComboBox* reference_;
  QSpinBox* patch_;
  QComboBox* patchUnit_;
  QLineEdit* overlap_;
  QComboBox* edge_;
  QCheckBox* show_;
  QLabel* count_;
  QPushButton* export_;
};

}  // namespace emitrace::analyst
