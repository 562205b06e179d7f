#include "qgis_plugin/processing/create_tile_grid_algorithm.h"

#include <qgsgeometry.h>
#include <qgsexception.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingparameters.h>
#include <qgsrasterlayer.h>

#include "core/error.h"
#include "qgis_plugin/feedback_progress.h"

namespace emitrace::qgis {

QString CreateTileGridAlgorithm::name() const { return QStringLiteral("createtilegrid"); }

QString CreateTileGridAlgorithm::displayName() const { return QObject::tr("Create AOI tile grid"); }

QStringList CreateTileGridAlgorithm::tags() const {
  return QObject::tr("tile,grid,patch,chip,aoi,scan,shard").split(',');
}

QString CreateTileGridAlgorithm::group() const { return QObject::tr("Scanning"); }

QString CreateTileGridAlgorithm::groupId() const { return QStringLiteral("scanning"); }

QString CreateTileGridAlgorithm::shortHelpString() const {
  return QObject::tr(
      "Lays the tile grid an Emitrace scan walks over a raster and writes each tile's footprint "
      "as a polygon with its stable tile id, lattice row and column, and pixel window.\n\n"
      "Tiles sit on a lattice anchored at the raster's top-left pixel, so the same place has the "
      "same tile id in every run and shard. Patch size and overlap are in metres (projected "
      "rasters) or pixels; a 720 m patch on a 10 m Sentinel-2 grid is 72 x 72 px, the DMFNet "
      "patch. Overlap below 1 is a fraction of the patch.\n\n"
      "Edge policy at the right and bottom edge: 'shift' moves the last tile inward, 'pad' lets "
      "it reach past the edge (those pixels are treated as nodata), 'drop' leaves it out.\n\n"
      "Only tiles meeting the optional area-of-interest polygons (or extent) are written.");
}

CreateTileGridAlgorithm* CreateTileGridAlgorithm::createInstance() const {
  return new CreateTileGridAlgorithm();
}

void CreateTileGridAlgorithm::initAlgorithm(const QVariantMap&) {
  addParameter(new QgsProcessingParameterRasterLayer(QStringLiteral("INPUT"), QObject::tr("Raster")));
  addParameter(new QgsProcessingParameterFeatureSource(
      QStringLiteral("AOI"), QObject::tr("Area of interest polygons"),
      QList<int>() << QgsProcessing::TypeVectorPolygon, QVariant(), true));
  addParameter(new QgsProcessingParameterExtent(QStringLiteral("EXTENT"),
                                                QObject::tr("Area of interest extent"), QVariant(), true));
  addParameter(new QgsProcessingParameterNumber(QStringLiteral("PATCH_SIZE"), QObject::tr("Patch size"),
                                                QgsProcessingParameterNumber::Double, 720.0, false, 1e-6));
  addParameter(new QgsProcessingParameterEnum(QStringLiteral("PATCH_UNIT"), QObject::tr("Patch size unit"),
                                              QStringList() << QObject::tr("Metres") << QObject::tr("Pixels"),
                                              false, 0));
  addParameter(new QgsProcessingParameterNumber(QStringLiteral("OVERLAP"),
                                                QObject::tr("Overlap (fraction of the patch)"),
                                                QgsProcessingParameterNumber::Double, 0.0, false, 0.0, 0.95));
  addParameter(new QgsProcessingParameterEnum(QStringLiteral("EDGE"), QObject::tr("Edge policy"),
                                              QStringList() << QObject::tr("Shift last tile inward")
                                                            << QObject::tr("Pad past the edge")
                                                            << QObject::tr("Drop partial tiles"),
                                              false, 0));
  addParameter(new QgsProcessingParameterVectorDestination(
      QStringLiteral("OUTPUT"), QObject::tr("Tile grid"), QgsProcessing::TypeVectorPolygon));
}

bool CreateTileGridAlgorithm::prepareAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context,
                                               QgsProcessingFeedback*) {
  QgsRasterLayer* layer = parameterAsRasterLayer(parameters, QStringLiteral("INPUT"), context);
  if (!layer) throw QgsProcessingException(invalidRasterError(parameters, QStringLiteral("INPUT")));
  mOptions = raster::ExportTileGridOptions();
  mOptions.input = layer->source().toStdString();

  // AOI: polygons win over an extent; both are passed to the core as
  // "<CRS WKT>;<geometry WKT>" so the core does the transformation.
  std::unique_ptr<QgsProcessingFeatureSource> aoi(parameterAsSource(parameters, QStringLiteral("AOI"), context));
  if (aoi) {
    QVector<QgsGeometry> parts;
    QgsFeature f;
    QgsFeatureIterator it = aoi->getFeatures(QgsFeatureRequest().setNoAttributes());
    while (it.nextFeature(f)) {
      if (f.hasGeometry()) parts << f.geometry();
    }
    if (parts.isEmpty()) {
      throw QgsProcessingException(QObject::tr("The area-of-interest layer has no polygons."));
    }
    const QgsGeometry merged = QgsGeometry::unaryUnion(parts);
    mOptions.aoi = (aoi->sourceCrs().toWkt(QgsCoordinateReferenceSystem::WKT_PREFERRED) + ';' +
                    merged.asWkt(12)).toStdString();
  } else if (parameters.value(QStringLiteral("EXTENT")).isValid() &&
             !parameters.value(QStringLiteral("EXTENT")).toString().isEmpty()) {
    const QgsCoordinateReferenceSystem crs = parameterAsExtentCrs(parameters, QStringLiteral("EXTENT"), context);
    const QgsRectangle extent = parameterAsExtent(parameters, QStringLiteral("EXTENT"), context, crs);
    mOptions.aoi = (crs.toWkt(QgsCoordinateReferenceSystem::WKT_PREFERRED) + ';' +
                    QgsGeometry::fromRect(extent).asWkt(12)).toStdString();
  }

  const double patch = parameterAsDouble(parameters, QStringLiteral("PATCH_SIZE"), context);
  const bool pixels = parameterAsEnum(parameters, QStringLiteral("PATCH_UNIT"), context) == 1;
  mOptions.tiling.patch = {patch, pixels ? raster::Length::Unit::Pixels : raster::Length::Unit::Metres};
  mOptions.tiling.overlap.isFraction = true;
  mOptions.tiling.overlap.fraction = parameterAsDouble(parameters, QStringLiteral("OVERLAP"), context);
  static const raster::EdgePolicy kEdges[] = {raster::EdgePolicy::Shift, raster::EdgePolicy::Pad,
                                              raster::EdgePolicy::Drop};
  mOptions.tiling.edge = kEdges[parameterAsEnum(parameters, QStringLiteral("EDGE"), context)];
  mOptions.output = parameterAsOutputLayer(parameters, QStringLiteral("OUTPUT"), context).toStdString();
  try {
    mOptions.validate();
  } catch (const Error& e) {
    throw QgsProcessingException(QString::fromStdString(e.what()));
  }
  return true;
}

QVariantMap CreateTileGridAlgorithm::processAlgorithm(const QVariantMap&, QgsProcessingContext&,
                                                      QgsProcessingFeedback* feedback) {
  FeedbackProgress progress(feedback);
  raster::ExportTileGridResult result;
  try {
    result = raster::exportTileGrid(mOptions, progress);
  } catch (const Canceled&) {
    throw QgsProcessingException(QObject::tr("Cancelled; no tile grid was written."));
  } catch (const Error& e) {
    throw QgsProcessingException(QString::fromStdString(e.what()));
  }
  if (feedback) {
    feedback->pushInfo(QObject::tr("%1 tiles of %2 x %3 px").arg(result.tileCount).arg(result.patchWidthPx).arg(result.patchHeightPx));
  }
  QVariantMap outputs;
  outputs.insert(QStringLiteral("OUTPUT"), QString::fromStdString(result.output));
  outputs.insert(QStringLiteral("TILE_COUNT"), static_cast<qlonglong>(result.tileCount));
  return outputs;
}

}  // namespace emitrace::qgis
