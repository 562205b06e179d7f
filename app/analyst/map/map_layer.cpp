#include "app/analyst/map/map_layer.h"

#include <QCoreApplication>
#include <QLocale>
#include <atomic>

#include "core/raster/grid.h"
#include "core/render/band_presets.h"

namespace emitrace::analyst {

namespace {

quint64 nextGeneration() {
  static std::atomic<quint64> counter{0};
  return ++counter;
}

}  // namespace

RasterLayer::RasterLayer(int id, render::DisplaySource source, render::BandCombination combination)
    : MapLayer(id, QString::fromStdString(source.name)) {
  presets_ = render::presetsFor(source.info);
  auto state = std::make_shared<RasterRenderState>();
  state->layerId = id;
  state->source = std::move(source);
  state_ = state;
  update(std::move(combination));
}

void RasterLayer::update(render::BandCombination combination) {
  combination.validate(state_->source.bandCount());
  render::RasterRenderer renderer(state_->source.gdalName);
  overviewCount_ = static_cast<int>(renderer.overviewSizes().size());
  // 512 px of the whole scene, from the matching overview: enough for stable
  // percentiles, small enough to keep per layer for instant re-stretching.
  render::ChannelData sample = renderer.sample(combination, 512);
  auto next = std::make_shared<RasterRenderState>(*state_);
  next->ranges = render::computeStretch(sample, combination.stretch);
  next->combination = std::move(combination);
  next->generation = nextGeneration();
  sample_ = std::move(sample);
  state_ = next;
}

void RasterLayer::setCombination(const render::BandCombination& combination) { update(combination); }

void RasterLayer::setStretch(const render::StretchSettings& stretch) {
  auto next = std::make_shared<RasterRenderState>(*state_);
  next->ranges = render::computeStretch(sample_, stretch);
  next->combination.stretch = stretch;
  next->generation = nextGeneration();
  state_ = next;
}

QString RasterLayer::description() const {
  const render::DisplaySource& s = state_->source;
  QStringList files;
  for (const auto& f : s.files) files << QString::fromStdString(f);
  QString text = tr("%1 × %2 px, %3 band(s), %4")
                     .arg(QLocale().toString(s.nativeGrid.width))
                     .arg(QLocale().toString(s.nativeGrid.height))
                     .arg(s.bandCount())
                     .arg(QString::fromStdString(raster::crsDisplayName(s.nativeGrid.crsWkt)));
  if (s.warped) text += tr(" (reprojected for display)");
  return text + "\n" + files.join("\n");
}

VectorLayer::VectorLayer(int id, render::VectorOverlay overlay, render::VectorStyle style)
    : MapLayer(id, QString::fromStdString(overlay.layerName)), overlay_(std::move(overlay)), style_(style) {}

QString VectorLayer::description() const {
  QString text = tr("%n feature(s), %1", "", static_cast<int>(overlay_.features.size()))
                     .arg(QString::fromStdString(raster::crsDisplayName(overlay_.sourceCrsWkt)));
  if (overlay_.skippedFeatures > 0) {
    text +=
        tr(", %n skipped (no geometry or not transformable)", "", static_cast<int>(overlay_.skippedFeatures));
  }
  return text + "\n" + QString::fromStdString(overlay_.path);
}

}  // namespace emitrace::analyst
