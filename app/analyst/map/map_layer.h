#pragma once
// The layers of the map. Rendering state that worker threads read is kept in
// immutable snapshots (RasterRenderState) replaced wholesale on every change,
// so a tile job never sees a half-updated combination.
#include <QCoreApplication>
#include <QString>
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/render/band_combination.h"
#include "core/render/display_source.h"
#include "core/render/raster_renderer.h"
#include "core/render/vector_overlay.h"

namespace emitrace::analyst {

enum class LayerKind { Raster, Vector };

// What a tile job needs to render one raster layer. `generation` changes
// whenever the picture would change, which invalidates the layer's tiles.
struct RasterRenderState {
  int layerId = 0;
  quint64 generation = 0;
  render::DisplaySource source;
  render::BandCombination combination;
  std::vector<render::ChannelRange> ranges;
};

class MapLayer {
  Q_DECLARE_TR_FUNCTIONS(MapLayer)

 public:
  explicit MapLayer(int id, QString name) : id_(id), name_(std::move(name)) {}
  virtual ~MapLayer() = default;
  virtual LayerKind kind() const = 0;
  // Extent in the map CRS (empty for an empty vector layer).
  virtual raster::Bounds bounds() const = 0;
  virtual QString description() const = 0;  // tooltip: files, CRS, size

  int id() const { return id_; }
  const QString& name() const { return name_; }
  void setName(const QString& name) { name_ = name; }
  bool visible() const { return visible_; }
  void setVisible(bool visible) { visible_ = visible; }
  double opacity() const { return opacity_; }
  void setOpacity(double opacity) { opacity_ = std::clamp(opacity, 0.0, 1.0); }

 private:
  int id_;
  QString name_;
  bool visible_ = true;
  double opacity_ = 1.0;
};

class RasterLayer : public MapLayer {
 public:
  // Reads the stretch sample (an overview of the whole raster) and applies
  // the combination's default stretch. Throws emitrace::Error.
  RasterLayer(int id, render::DisplaySource source, render::BandCombination combination);
  LayerKind kind() const override { return LayerKind::Raster; }
  raster::Bounds bounds() const override { return state_->source.displayGrid.bounds(); }
  QString description() const override;

  const render::DisplaySource& source() const { return state_->source; }
  const render::BandCombination& combination() const { return state_->combination; }
  const std::vector<render::ChannelRange>& ranges() const { return state_->ranges; }
  std::shared_ptr<const RasterRenderState> renderState() const { return state_; }
  // Whether the displayed dataset has overviews (zoomed-out views are cheap).
  bool hasOverviews() const { return overviewCount_ > 0; }
  // Presets that apply to this raster (render::presetsFor).
  const std::vector<render::BandCombination>& presets() const { return presets_; }

  // Changes the combination (its own default stretch applies). Throws
  // InputError for a combination the raster cannot satisfy.
  void setCombination(const render::BandCombination& combination);
  // Changes only the stretch (recomputed on the kept sample).
  void setStretch(const render::StretchSettings& stretch);

 private:
  void update(render::BandCombination combination);
  std::shared_ptr<const RasterRenderState> state_;
  std::vector<render::BandCombination> presets_;
  render::ChannelData sample_;  // for the current combination
  int overviewCount_ = 0;
};

class VectorLayer : public MapLayer {
 public:
  VectorLayer(int id, render::VectorOverlay overlay, render::VectorStyle style);
  LayerKind kind() const override { return LayerKind::Vector; }
  raster::Bounds bounds() const override { return overlay_.bounds; }
  QString description() const override;
  const render::VectorOverlay& overlay() const { return overlay_; }
  const render::VectorStyle& style() const { return style_; }
  void setStyle(const render::VectorStyle& style) { style_ = style; }

 private:
  render::VectorOverlay overlay_;
  render::VectorStyle style_;
};

}  // namespace emitrace::analyst
