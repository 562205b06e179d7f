#include "app/analyst/raster_info_model.h"

#include <QLocale>

namespace emitrace::analyst {

RasterInfoModel::RasterInfoModel(QObject* parent) : QAbstractTableModel(parent) {}

void RasterInfoModel::setInfo(const raster::RasterInfo& info) {
  beginResetModel();
  info_ = info;
  endResetModel();
}

int RasterInfoModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : info_.bandCount();
}

int RasterInfoModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RasterInfoModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= info_.bandCount()) return {};
  const auto& b = info_.bands[index.row()];
  if (role == Qt::TextAlignmentRole && index.column() != Description) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  const QLocale locale;
  switch (index.column()) {
    case Index: return b.index;
    case Description: return QString::fromStdString(b.description);
    case DataType: return QString::fromStdString(b.dataType);
    case Wavelength: return b.wavelengthNm ? locale.toString(*b.wavelengthNm, 'f', 2) : QString();
    case Fwhm: return b.fwhmNm ? locale.toString(*b.fwhmNm, 'f', 2) : QString();
    case Nodata: return b.nodata ? locale.toString(*b.nodata) : QString();
  }
  return {};
}

QVariant RasterInfoModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Index: return tr("Band");
    case Description: return tr("Description");
    case DataType: return tr("Type");
    case Wavelength: return tr("Wavelength (nm)");
    case Fwhm: return tr("FWHM (nm)");
    case Nodata: return tr("Nodata");
  }
  return {};
}

}  // namespace emitrace::analyst
