#pragma once
// Which resolution level of a raster to read for a given zoom.
//
// A raster's overviews are reduced copies (factor 2, 4, 8, ...). Reading the
// coarsest level that is still at least as fine as the screen keeps every
// redraw proportional to the screen size, not to the scene size: a
// 10000 x 10000 scene shown whole in an 800 px view reads an ~1250 px
// overview, not 10^8 pixels.
#include <vector>

namespace emitrace::render {

struct LevelSize {
  int width = 0;
  int height = 0;
};

// sourcePixelsPerScreenPixel: how many full-resolution raster pixels one
// screen pixel covers (> 1 zoomed out, < 1 zoomed in). Returns -1 for the
// full-resolution band or the index into `overviews` of the coarsest level
// whose reduction factor does not exceed it. Overviews may come in any order.
int chooseOverview(const LevelSize& full, const std::vector<LevelSize>& overviews,
                   double sourcePixelsPerScreenPixel);

// The reduction factor of a level against the full resolution (the larger of
// the x and y factors).
double reductionFactor(const LevelSize& full, const LevelSize& level);

}  // namespace emitrace::render
