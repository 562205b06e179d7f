#include "app/analyst/panels/preset_names.h"

#include <QCoreApplication>
#include <QStringList>

namespace emitrace::analyst {

namespace {

QString labels(const render::BandCombination& c) {
  QStringList parts;
  for (const auto& ch : c.channels) parts << QString::fromStdString(ch.label);
  return parts.join(QLatin1Char('/'));
}

}  // namespace

QString presetDisplayName(const render::BandCombination& c) {
  const std::string& id = c.presetId;
  const bool db = !c.channels.empty() && c.channels.back().op == render::ChannelOp::Difference;
  if (id == "s2_true_colour")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Sentinel-2 true colour (%1)")
        .arg(labels(c));
  if (id == "s2_false_colour")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Sentinel-2 false colour (%1)")
        .arg(labels(c));
  if (id == "landsat_true_colour")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Landsat true colour (%1)")
        .arg(labels(c));
  if (id == "landsat_swir_ratio")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Landsat SWIR ratio (%1)")
        .arg(labels(c));
  if (id == "sar_vv_vh_ratio")
    return db ? QCoreApplication::translate("emitrace::analyst::PresetNames", "SAR VV/VH/ratio (VV−VH, dB)")
              : QCoreApplication::translate("emitrace::analyst::PresetNames", "SAR VV/VH/ratio (VV/VH)");
  if (id.rfind("sar_", 0) == 0)
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "SAR %1 (grey)").arg(labels(c));
  if (id == "hyperspectral_rgb")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Spectrometer RGB (%1)")
        .arg(labels(c));
  if (id == "methane_enhancement")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Methane enhancement (ppm·m)");
  if (id == "flame_probability")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Plume probability (FLAME)");
  if (id == "bands_123") return QCoreApplication::translate("emitrace::analyst::PresetNames", "Bands 1/2/3");
  if (id == "single_grey")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Band 1 (grey)");
  if (id == "custom")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Custom (%1)").arg(labels(c));
  return QString::fromStdString(c.name);
}

QString legendTitle(const render::BandCombination& c) {
  if (c.presetId == "methane_enhancement")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Methane enhancement");
  if (c.presetId == "flame_probability")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Plume probability");
  if (c.presetId == "landsat_swir_ratio")
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "SWIR ratio %1").arg(labels(c));
  if (c.presetId.rfind("sar_", 0) == 0 && c.channels.size() == 1)
    return QCoreApplication::translate("emitrace::analyst::PresetNames", "Backscatter %1").arg(labels(c));
  return c.title.empty() ? labels(c) : QString::fromStdString(c.title);
}

}  // namespace emitrace::analyst
