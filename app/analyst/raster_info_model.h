#pragma once
// Table model over the bands of a raster (index, description, type,
// wavelength, FWHM, nodata), filled from the core's RasterInfo.
#include <QAbstractTableModel>

#include "core/raster/raster_info.h"

namespace emitrace::analyst {

class RasterInfoModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Index, Description, DataType, Wavelength, Fwhm, Nodata, ColumnCount };

  explicit RasterInfoModel(QObject* parent = nullptr);
  void setInfo(const raster::RasterInfo& info);
  const raster::RasterInfo& info() const { return info_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  raster::RasterInfo info_;
};

}  // namespace emitrace::analyst
