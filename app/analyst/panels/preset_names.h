#pragma once
// Translatable names for the core's band-combination presets. The core is
// Qt-free and names presets in English; the application shows them through
// tr() keyed by the preset id, so translations cover them.
#include <QString>

#include "core/render/band_combination.h"

namespace emitrace::analyst {

// "Sentinel-2 false colour (B12/B11/B8A)", in the user's language.
QString presetDisplayName(const render::BandCombination& combination);
// The legend title of a single-band combination ("Methane enhancement").
QString legendTitle(const render::BandCombination& combination);

}  // namespace emitrace::analyst
