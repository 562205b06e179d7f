#pragma once
// The "Emitrace" Processing provider: every Emitrace algorithm, registered
// with one addAlgorithm() line each.
#include <qgsprocessingprovider.h>

namespace emitrace::qgis {

class EmitraceProvider : public QgsProcessingProvider {
  Q_OBJECT
 public:
  explicit EmitraceProvider(QObject* parent = nullptr);

  QString id() const override;
  QString name() const override;
  QString longName() const override;
  QIcon icon() const override;
  QString helpId() const override;

 protected:
  void loadAlgorithms() override;
};

}  // namespace emitrace::qgis
