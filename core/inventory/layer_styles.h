#pragma once
// Default QGIS styles for the inventory layers, stored in the GeoPackage's
// `layer_styles` table the way QGIS itself saves them (QML + SLD, one row per
// layer with useAsDefault = 1), so QGIS applies them when a layer is loaded:
//   detections         by review status (pending amber, confirmed green,
//                      rejected red outline, relabelled blue, uncertain purple)
//   facilities         by facility type (fill)
//   facility_points    by facility type (circle markers)
//   reference_matches  covered (green) / not covered (red) reference points
//   review_log, runs, emitrace_metadata: field aliases
// The colours come from one table, so the Qt app can use the same ones.
#include <string>
#include <vector>

class GDALDataset;

namespace emitrace::inventory {

struct StyleColor {
  int r, g, b;
};
// Legend colours (also for the analyst app's map and charts).
StyleColor reviewStatusColor(const std::string& status);   // "pending", ...
StyleColor facilityTypeColor(const std::string& typeId);   // "landfill", ...

// The QML / SLD document of a layer's default style ("" SLD for tables).
// Throws Error for a layer the inventory does not have.
std::string defaultStyleQml(const std::string& layer);
std::string defaultStyleSld(const std::string& layer);
// Layers that get a default style.
const std::vector<std::string>& styledLayers();

// Creates the layer_styles table (as QGIS does) if missing and writes one
// default style per layer, replacing earlier Emitrace defaults. Throws
// IoError.
void writeDefaultStyles(GDALDataset& ds);

}  // namespace emitrace::inventory
