#include "core/inventory/layer_styles.h"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cctype>
#include <cstdio>
#include <sstream>

#include "core/error.h"
#include "core/inventory/facility_type.h"
#include "core/inventory/review_status.h"
#include "core/inventory/schema.h"
#include "core/inventory/sql_util.h"
#include "core/raster/gdal_util.h"

namespace emitrace::inventory {
namespace {

constexpr const char* kStyleName = "emitrace default";

struct Category {
  std::string value;  // "" = every other value
  std::string label;
  StyleColor color;
  bool dashedOutline = false;
};

enum class SymbolKind { Fill, Marker };

std::string xmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string rgba(const StyleColor& c, int alpha) {
  return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + "," +
         std::to_string(alpha);
}

std::string hex(const StyleColor& c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

void option(std::ostringstream& x, const char* name, const std::string& value) {
  x << "      <Option type=\"QString\" name=\"" << name << "\" value=\"" << xmlEscape(value) << "\"/>\n";
}

// One QGIS symbol as QGIS 3.22 writes it (<Option> map of the symbol layer).
void symbolXml(std::ostringstream& x, int index, SymbolKind kind, const Category& c) {
  x << "   <symbol type=\"" << (kind == SymbolKind::Fill ? "fill" : "marker") << "\" name=\"" << index
    << "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
  if (kind == SymbolKind::Fill) {
    x << "    <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n     <Option type=\"Map\">\n";
    option(x, "color", rgba(c.color, c.dashedOutline ? 25 : 90));
    option(x, "joinstyle", "bevel");
    option(x, "outline_color", rgba(c.color, 255));
    option(x, "outline_style", c.dashedOutline ? "dash" : "solid");
    option(x, "outline_width", "0.6");
    option(x, "outline_width_unit", "MM");
    option(x, "style", "solid");
  } else {
    x << "    <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n     <Option type=\"Map\">\n";
    option(x, "color", rgba(c.color, 255));
    option(x, "name", "circle");
    option(x, "outline_color", "255,255,255,255");
    option(x, "outline_style", "solid");
    option(x, "outline_width", "0.4");
    option(x, "outline_width_unit", "MM");
    option(x, "size", "3.2");
    option(x, "size_unit", "MM");
  }
  x << "     </Option>\n    </layer>\n   </symbol>\n";
}

std::string qmlHeader() {
  return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
         "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Fields\">\n";
}

void aliasesXml(std::ostringstream& x, const std::string& layer) {
  const auto& spec = schema::layerSpec(layer);
  x << " <aliases>\n";
  int index = 0;
  for (const auto& f : spec.fields) {
    std::string label = f.name;
    for (auto& ch : label) {
      if (ch == '_') ch = ' ';
    }
    if (!label.empty()) label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    x << "  <alias field=\"" << f.name << "\" index=\"" << index++ << "\" name=\"" << xmlEscape(label)
      << "\"/>\n";
  }
  x << " </aliases>\n";
}

std::string categorizedQml(const std::string& layer, const std::string& attribute, SymbolKind kind,
                           const std::vector<Category>& categories, const std::string& displayExpression) {
  std::ostringstream x;
  x << qmlHeader();
  x << " <renderer-v2 type=\"categorizedSymbol\" attr=\"" << xmlEscape(attribute)
    << "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n";
  x << "  <categories>\n";
  for (size_t i = 0; i < categories.size(); ++i) {
    x << "   <category render=\"true\" value=\"" << xmlEscape(categories[i].value) << "\" label=\""
      << xmlEscape(categories[i].label) << "\" symbol=\"" << i << "\"/>\n";
  }
  x << "  </categories>\n  <symbols>\n";
  for (size_t i = 0; i < categories.size(); ++i) symbolXml(x, static_cast<int>(i), kind, categories[i]);
  x << "  </symbols>\n  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  aliasesXml(x, layer);
  x << " <previewExpression>" << xmlEscape(displayExpression) << "</previewExpression>\n";
  x << " <layerGeometryType>" << (kind == SymbolKind::Fill ? 2 : 0) << "</layerGeometryType>\n";
  x << "</qgis>\n";
  return x.str();
}

std::string tableQml(const std::string& layer, const std::string& displayExpression) {
  std::ostringstream x;
  x << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
    << "<qgis version=\"3.22.0\" styleCategories=\"Fields\">\n";
  aliasesXml(x, layer);
  x << " <previewExpression>" << xmlEscape(displayExpression) << "</previewExpression>\n";
  x << " <layerGeometryType>4</layerGeometryType>\n</qgis>\n";
  return x.str();
}

std::string categorizedSld(const std::string& layer, const std::string& property, SymbolKind kind,
                           const std::vector<Category>& categories) {
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<StyledLayerDescriptor xmlns=\"http://www.opengis.net/sld\" xmlns:se=\"http://www.opengis.net/se\" "
       "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1.0\" "
       "xsi:schemaLocation=\"http://www.opengis.net/sld "
       "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
    << " <NamedLayer>\n  <se:Name>" << layer << "</se:Name>\n  <UserStyle>\n   <se:Name>" << layer
    << "</se:Name>\n   <se:FeatureTypeStyle>\n";
  for (const auto& c : categories) {
    if (c.value.empty()) continue;  // SLD has no "all other values" rule here
    x << "    <se:Rule>\n     <se:Name>" << xmlEscape(c.label) << "</se:Name>\n"
      << "     <se:Description><se:Title>" << xmlEscape(c.label) << "</se:Title></se:Description>\n"
      << "     <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>" << property
      << "</ogc:PropertyName><ogc:Literal>" << xmlEscape(c.value)
      << "</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>\n";
    if (kind == SymbolKind::Fill) {
      x << "     <se:PolygonSymbolizer>\n      <se:Fill><se:SvgParameter name=\"fill\">" << hex(c.color)
        << "</se:SvgParameter><se:SvgParameter name=\"fill-opacity\">"
        << (c.dashedOutline ? "0.1" : "0.35") << "</se:SvgParameter></se:Fill>\n"
        << "      <se:Stroke><se:SvgParameter name=\"stroke\">" << hex(c.color)
        << "</se:SvgParameter><se:SvgParameter name=\"stroke-width\">2</se:SvgParameter>"
        << (c.dashedOutline ? "<se:SvgParameter name=\"stroke-dasharray\">7 3</se:SvgParameter>" : "")
        << "</se:Stroke>\n     </se:PolygonSymbolizer>\n";
    } else {
      x << "     <se:PointSymbolizer>\n      <se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>"
        << "<se:Fill><se:SvgParameter name=\"fill\">" << hex(c.color) << "</se:SvgParameter></se:Fill>"
        << "<se:Stroke><se:SvgParameter name=\"stroke\">#ffffff</se:SvgParameter></se:Stroke></se:Mark>"
        << "<se:Size>11</se:Size></se:Graphic>\n     </se:PointSymbolizer>\n";
    }
    x << "    </se:Rule>\n";
  }
  x << "   </se:FeatureTypeStyle>\n  </UserStyle>\n </NamedLayer>\n</StyledLayerDescriptor>\n";
  return x.str();
}

std::vector<Category> statusCategories() {
  std::vector<Category> out;
  for (auto s : {ReviewStatus::Pending, ReviewStatus::Confirmed, ReviewStatus::Rejected,
                 ReviewStatus::Relabelled, ReviewStatus::Uncertain}) {
    std::string label = toString(s);
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    out.push_back({toString(s), label, reviewStatusColor(toString(s)), s == ReviewStatus::Rejected});
  }
  return out;
}

std::vector<Category> typeCategories() {
  std::vector<Category> out;
  for (auto t : allFacilityTypes()) {
    if (t == FacilityType::None) continue;
    const auto& i = info(t);
    std::string label = i.displayName;
    if (*i.ipccCode) label += std::string(" (") + i.ipccCode + ")";
    out.push_back({i.id, label, facilityTypeColor(i.id)});
  }
  return out;
}

std::vector<Category> coverageCategories() {
  return {{"covered", "Covered by a confirmed detection", {46, 160, 67}},
          {"missed", "Not covered", {214, 39, 40}}};
}

constexpr const char* kCoverageExpression = "CASE WHEN \"covered\" THEN 'covered' ELSE 'missed' END";

}  // namespace

StyleColor reviewStatusColor(const std::string& status) {
  if (status == "confirmed") return {46, 160, 67};
  if (status == "rejected") return {214, 39, 40};
  if (status == "relabelled") return {31, 119, 180};
  if (status == "uncertain") return {148, 103, 189};
  return {255, 179, 0};  // pending
}

StyleColor facilityTypeColor(const std::string& typeId) {
  if (typeId == "cafo") return {140, 86, 75};
  if (typeId == "landfill") return {154, 155, 20};
  if (typeId == "coal_mine") return {60, 60, 60};
  if (typeId == "gas_processing") return {255, 127, 14};
  if (typeId == "refinery_terminal") return {204, 20, 90};
  if (typeId == "wastewater") return {23, 170, 207};
  if (typeId == "cement") return {127, 127, 127};
  if (typeId == "methane_plume") return {230, 85, 200};
  return {180, 180, 180};
}

const std::vector<std::string>& styledLayers() {
  static const std::vector<std::string> kLayers{
      schema::kDetections, schema::kFacilities, schema::kFacilityPoints, schema::kReferenceMatches,
      schema::kReviewLog,  schema::kRuns,       schema::kMetadata};
  return kLayers;
}

std::string defaultStyleQml(const std::string& layer) {
  if (layer == schema::kDetections) {
    return categorizedQml(layer, "review_status", SymbolKind::Fill, statusCategories(),
                          "\"effective_type\" || ' ' || format_number(\"probability\", 2) || ' (' || "
                          "\"review_status\" || ')'");
  }
  if (layer == schema::kFacilities) {
    return categorizedQml(layer, "facility_type", SymbolKind::Fill, typeCategories(),
                          "\"facility_type\" || ' ' || \"facility_key\"");
  }
  if (layer == schema::kFacilityPoints) {
    return categorizedQml(layer, "facility_type", SymbolKind::Marker, typeCategories(),
                          "\"facility_type\" || ' ' || \"facility_key\"");
  }
  if (layer == schema::kReferenceMatches) {
    return categorizedQml(layer, kCoverageExpression, SymbolKind::Marker, coverageCategories(),
                          "\"reference_name\"");
  }
  if (layer == schema::kReviewLog) return tableQml(layer, "\"action\" || ' ' || \"detection_key\"");
  if (layer == schema::kRuns) return tableQml(layer, "\"run_id\"");
  if (layer == schema::kMetadata) return tableQml(layer, "\"key\"");
  throw Error("no default style for layer '" + layer + "'");
}

std::string defaultStyleSld(const std::string& layer) {
  if (layer == schema::kDetections) {
    return categorizedSld(layer, "review_status", SymbolKind::Fill, statusCategories());
  }
  if (layer == schema::kFacilities) {
    return categorizedSld(layer, "facility_type", SymbolKind::Fill, typeCategories());
  }
  if (layer == schema::kFacilityPoints) {
    return categorizedSld(layer, "facility_type", SymbolKind::Marker, typeCategories());
  }
  if (layer == schema::kReferenceMatches) {
    std::vector<Category> c = coverageCategories();
    c[0].value = "1";
    c[1].value = "0";
    return categorizedSld(layer, "covered", SymbolKind::Marker, c);
  }
  if (layer == schema::kReviewLog || layer == schema::kRuns || layer == schema::kMetadata) return {};
  throw Error("no default style for layer '" + layer + "'");
}

void writeDefaultStyles(GDALDataset& ds) {
  raster::GdalErrorCapture errors;
  OGRLayer* styles = ds.GetLayerByName(schema::kLayerStyles);
  if (!styles) {
    // The table QGIS creates when it saves a style into a GeoPackage.
    auto options = raster::toCsl({"FID=id"});
    styles = ds.CreateLayer(schema::kLayerStyles, nullptr, wkbNone, options.get());
    if (!styles) throw IoError("cannot create the layer_styles table" + errors.suffix());
    struct F {
      const char* name;
      OGRFieldType type;
      int width;
      OGRFieldSubType sub;
    };
    const F fields[] = {{"f_table_catalog", OFTString, 256, OFSTNone},
                        {"f_table_schema", OFTString, 256, OFSTNone},
                        {"f_table_name", OFTString, 256, OFSTNone},
                        {"f_geometry_column", OFTString, 256, OFSTNone},
                        {"styleName", OFTString, 30, OFSTNone},
                        {"styleQML", OFTString, 0, OFSTNone},
                        {"styleSLD", OFTString, 0, OFSTNone},
                        {"useAsDefault", OFTInteger, 0, OFSTBoolean},
                        {"description", OFTString, 0, OFSTNone},
                        {"owner", OFTString, 30, OFSTNone},
                        {"ui", OFTString, 30, OFSTNone},
                        {"update_time", OFTDateTime, 0, OFSTNone}};
    for (const auto& f : fields) {
      OGRFieldDefn defn(f.name, f.type);
      defn.SetWidth(f.width);
      defn.SetSubType(f.sub);
      if (f.type == OFTDateTime) defn.SetDefault("CURRENT_TIMESTAMP");
      if (styles->CreateField(&defn) != OGRERR_NONE) {
        throw IoError(std::string("cannot create field '") + f.name + "' of layer_styles" + errors.suffix());
      }
    }
  }
  executeSql(ds, std::string("DELETE FROM layer_styles WHERE styleName = ") + sqlQuote(kStyleName));
  for (const auto& layer : styledLayers()) {
    const auto& spec = schema::layerSpec(layer);
    // A layer QGIS shows gets exactly one default style: ours.
    executeSql(ds, "UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = " + sqlQuote(layer));
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(styles->GetLayerDefn()));
    f->SetField("f_table_catalog", "");
    f->SetField("f_table_schema", "");
    f->SetField("f_table_name", layer.c_str());
    f->SetField("f_geometry_column", spec.geometry == wkbNone ? "" : schema::kGeometryColumn);
    f->SetField("styleName", kStyleName);
    f->SetField("styleQML", defaultStyleQml(layer).c_str());
    f->SetField("styleSLD", defaultStyleSld(layer).c_str());
    f->SetField("useAsDefault", 1);
    f->SetField("description", (std::string("Emitrace default style for ") + layer).c_str());
    f->SetField("owner", "");
    f->SetField("update_time", nowIso().c_str());
    if (styles->CreateFeature(f.get()) != OGRERR_NONE) {
      throw IoError("cannot write the default style of '" + layer + "'" + errors.suffix());
    }
  }
}

}  // namespace emitrace::inventory
