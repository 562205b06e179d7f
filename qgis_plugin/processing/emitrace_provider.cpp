#include "qgis_plugin/processing/emitrace_provider.h"

#include <qgsapplication.h>

#include "core/version.h"
#include "qgis_plugin/processing/create_tile_grid_algorithm.h"

namespace emitrace::qgis {

EmitraceProvider::EmitraceProvider(QObject* parent) : QgsProcessingProvider(parent) {}

QString EmitraceProvider::id() const { return QStringLiteral("emitrace"); }

QString EmitraceProvider::name() const { return QStringLiteral("Emitrace"); }

QString EmitraceProvider::longName() const {
  return QStringLiteral("Emitrace %1").arg(QString::fromLatin1(kVersion));
}

QIcon EmitraceProvider::icon() const { return QgsApplication::getThemeIcon(QStringLiteral("/processingAlgorithm.svg")); }

QString EmitraceProvider::helpId() const { return QStringLiteral("emitrace"); }

void EmitraceProvider::loadAlgorithms() {
  addAlgorithm(new CreateTileGridAlgorithm());
}

}  // namespace emitrace::qgis
