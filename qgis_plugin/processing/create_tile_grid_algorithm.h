#pragma once
// emitrace:createtilegrid — lay the scan tile grid over a raster (optionally
// restricted to polygons or an extent) and write the footprints as polygons.
#include <qgsprocessingalgorithm.h>

#include "core/raster/tile_grid_export.h"

namespace emitrace::qgis {

class CreateTileGridAlgorithm : public QgsProcessingAlgorithm {
 public:
  CreateTileGridAlgorithm() = default;

  QString name() const override;
  QString displayName() const override;
  QStringList tags() const override;
  QString group() const override;
  QString groupId() const override;
  QString shortHelpString() const override;
  CreateTileGridAlgorithm* createInstance() const override;
  void initAlgorithm(const QVariantMap& configuration = QVariantMap()) override;

 protected:
  bool prepareAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context,
                        QgsProcessingFeedback* feedback) override;
  QVariantMap processAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context,
                               QgsProcessingFeedback* feedback) override;

 private:
  raster::ExportTileGridOptions mOptions;
};

}  // namespace emitrace::qgis
