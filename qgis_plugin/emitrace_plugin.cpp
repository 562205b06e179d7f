// The Emitrace C++ QGIS plugin: registers the Processing provider in
// initGui() and removes it in unload(). Exported entry points follow QGIS
// 3.22's C++ plugin loader (classFactory, name, description, ...).
#include <qgisinterface.h>
#include <qgisplugin.h>
#include <qgsapplication.h>
#include <qgsprocessingregistry.h>

#include <QObject>

#include "core/version.h"
#include "qgis_plugin/processing/emitrace_provider.h"

namespace {

const QString sName = QStringLiteral("Emitrace");
const QString sDescription =
    QStringLiteral("Find greenhouse-gas emitting infrastructure in satellite imagery: methane plumes, "
                   "methane-source facilities and cement plants, reviewed into a facility inventory.");
const QString sCategory = QStringLiteral("Raster");
const QString sVersion = QStringLiteral("Version %1").arg(QString::fromLatin1(emitrace::kVersion));
const QString sIcon = QStringLiteral(":/images/themes/default/processingAlgorithm.svg");
const QgisPlugin::PluginType sType = QgisPlugin::UI;

class EmitracePlugin : public QgisPlugin {
 public:
  explicit EmitracePlugin(QgisInterface* iface)
      : QgisPlugin(sName, sDescription, sCategory, sVersion, sType), mIface(iface) {}

  void initGui() override {
    // The Python shim may have registered the provider already.
    if (!mProvider && !QgsApplication::processingRegistry()->providerById(QStringLiteral("emitrace"))) {
      mProvider = new emitrace::qgis::EmitraceProvider();
      QgsApplication::processingRegistry()->addProvider(mProvider);
    }
  }

  void unload() override {
    if (mProvider) {
      QgsApplication::processingRegistry()->removeProvider(mProvider);  // deletes it
      mProvider = nullptr;
    }
  }

 private:
  QgisInterface* mIface = nullptr;
  emitrace::qgis::EmitraceProvider* mProvider = nullptr;
};

}  // namespace

QGISEXTERN QgisPlugin* classFactory(QgisInterface* iface) { return new EmitracePlugin(iface); }
QGISEXTERN const QString* name() { return &sName; }
QGISEXTERN const QString* description() { return &sDescription; }
QGISEXTERN const QString* category() { return &sCategory; }
QGISEXTERN int type() { return sType; }
QGISEXTERN const QString* version() { return &sVersion; }
QGISEXTERN const QString* icon() { return &sIcon; }
QGISEXTERN void unload(QgisPlugin* plugin) { delete plugin; }

// For the Python shim (qgis_process only loads Python plugins): registers the
// provider into the running QGIS and returns 1, or 0 if it already exists.
extern "C" Q_DECL_EXPORT int emitrace_register_processing_provider() {
  if (QgsApplication::processingRegistry()->providerById(QStringLiteral("emitrace"))) return 0;
  QgsApplication::processingRegistry()->addProvider(new emitrace::qgis::EmitraceProvider());
  return 1;
}

// Removes the provider registered by the shim; returns 1 if there was one.
extern "C" Q_DECL_EXPORT int emitrace_unregister_processing_provider() {
  QgsProcessingProvider* provider =
      QgsApplication::processingRegistry()->providerById(QStringLiteral("emitrace"));
  if (!provider) return 0;
  QgsApplication::processingRegistry()->removeProvider(provider);
  return 1;
}
