#include "core/inventory/facility_type.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "core/error.h"

namespace emitrace::inventory {
namespace {

const std::vector<FacilityTypeInfo>& table() {
  static const std::vector<FacilityTypeInfo> kTable{
      {FacilityType::None, "none", "Negative", "", "", SectorGroup::Other},
      {FacilityType::Cafo, "cafo", "CAFOs", "4A/4B",
       "Enteric fermentation (4A), manure management (4B)", SectorGroup::Agriculture},
      {FacilityType::Landfill, "landfill", "Landfills", "6A", "Solid waste disposal on land",
       SectorGroup::SolidWaste},
      {FacilityType::CoalMine, "coal_mine", "Coal mines", "1B1", "Coal mining",
       SectorGroup::CoalMining},
      {FacilityType::GasProcessing, "gas_processing", "Proc plants", "1B2", "Oil and natural gas",
       SectorGroup::OilAndGas},
      {FacilityType::RefineryTerminal, "refinery_terminal", "R&Ts", "1A1b", "Petroleum refining",
       SectorGroup::PetroleumRefining},
      {FacilityType::Wastewater, "wastewater", "WWTPs", "6B", "Waste water handling",
       SectorGroup::Wastewater},
      {FacilityType::Cement, "cement", "Cement plants", "2A1", "Cement production",
       SectorGroup::Cement},
      {FacilityType::MethanePlume, "methane_plume", "Methane plumes", "", "", SectorGroup::Other},
  };
  return kTable;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Letters and digits only, lower case: "Refineries & Terminals" ->
// "refineriesterminals", so spelling variants of one name compare equal.
std::string squash(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

struct Alias {
  const char* name;
  FacilityType type;
};

// Class names used by the models and their training data sets, squashed.
const std::vector<Alias>& aliases() {
  static const std::vector<Alias> kAliases{
      // METER-ML / DMFNet class names.
      {"cafos", FacilityType::Cafo},
      {"landfills", FacilityType::Landfill},
      {"mines", FacilityType::CoalMine},
      {"processingplants", FacilityType::GasProcessing},
      {"refineriesandterminals", FacilityType::RefineryTerminal},
      {"wwtreatment", FacilityType::Wastewater},
      {"negative", FacilityType::None},
      {"negatives", FacilityType::None},
      // Singular and paper spellings.
      {"coalmines", FacilityType::CoalMine},
      {"procplants", FacilityType::GasProcessing},
      {"naturalgasprocessingplants", FacilityType::GasProcessing},
      {"rts", FacilityType::RefineryTerminal},
      {"refineriesterminals", FacilityType::RefineryTerminal},
      {"wwtps", FacilityType::Wastewater},
      {"wastewatertreatmentplants", FacilityType::Wastewater},
      // FusionNet and the plume models.
      {"cementplants", FacilityType::Cement},
      {"noncement", FacilityType::None},
      {"background", FacilityType::None},
      {"plume", FacilityType::MethanePlume},
      {"plumes", FacilityType::MethanePlume},
      {"methaneplumes", FacilityType::MethanePlume},
  };
  return kAliases;
}

}  // namespace

const FacilityTypeInfo& info(FacilityType type) {
  for (const auto& i : table()) {
    if (i.type == type) return i;
  }
  return table().front();
}

const std::vector<FacilityType>& allFacilityTypes() {
  static const std::vector<FacilityType> kAll = [] {
    std::vector<FacilityType> v;
    for (const auto& i : table()) v.push_back(i.type);
    return v;
  }();
  return kAll;
}

std::string toString(FacilityType type) { return info(type).id; }

std::optional<FacilityType> facilityTypeFromName(const std::string& text) {
  const std::string key = squash(text);
  if (key.empty()) return std::nullopt;
  for (const auto& i : table()) {
    if (key == squash(i.id) || key == squash(i.displayName)) return i.type;
  }
  for (const auto& a : aliases()) {
    if (key == a.name) return a.type;
  }
  return std::nullopt;
}

FacilityType parseFacilityType(const std::string& text) {
  if (auto t = facilityTypeFromName(text)) return *t;
  std::string valid;
  for (const auto& i : table()) valid += std::string(valid.empty() ? "" : ", ") + i.id;
  throw InputError("unknown facility type '" + text + "' (expected one of: " + valid +
                   "; or a DMFNet/METER-ML class name such as Landfills, ProcessingPlants)");
}

const char* toString(SectorGroup group) {
  switch (group) {
    case SectorGroup::Agriculture: return "agriculture";
    case SectorGroup::CoalMining: return "coal_mining";
    case SectorGroup::OilAndGas: return "oil_and_gas";
    case SectorGroup::PetroleumRefining: return "petroleum_refining";
    case SectorGroup::SolidWaste: return "solid_waste";
    case SectorGroup::Wastewater: return "waste_water";
    case SectorGroup::Cement: return "cement";
    case SectorGroup::Other: return "other";
  }
  return "other";
}

const char* displayName(SectorGroup group) {
  switch (group) {
    case SectorGroup::Agriculture: return "Agriculture";
    case SectorGroup::CoalMining: return "Coal mining";
    case SectorGroup::OilAndGas: return "Oil & gas";
    case SectorGroup::PetroleumRefining: return "Petroleum refining";
    case SectorGroup::SolidWaste: return "Solid waste";
    case SectorGroup::Wastewater: return "Waste water";
    case SectorGroup::Cement: return "Cement";
    case SectorGroup::Other: return "Other";
  }
  return "Other";
}

const std::vector<SectorGroup>& allSectorGroups() {
  static const std::vector<SectorGroup> kAll{
      SectorGroup::SolidWaste,        SectorGroup::OilAndGas, SectorGroup::PetroleumRefining,
      SectorGroup::Wastewater,        SectorGroup::Agriculture, SectorGroup::CoalMining,
      SectorGroup::Cement,            SectorGroup::Other};
  return kAll;
}

SectorGroup sectorGroupForIpccCode(const std::string& code) {
  const std::string c = lower(code);
  if (c.rfind("4a", 0) == 0 || c.rfind("4b", 0) == 0) return SectorGroup::Agriculture;
  if (c.rfind("1b1", 0) == 0) return SectorGroup::CoalMining;
  if (c.rfind("1b2", 0) == 0) return SectorGroup::OilAndGas;
  if (c.rfind("1a1b", 0) == 0) return SectorGroup::PetroleumRefining;
  if (c.rfind("6a", 0) == 0) return SectorGroup::SolidWaste;
  if (c.rfind("6b", 0) == 0 || c.rfind("6d", 0) == 0) return SectorGroup::Wastewater;
  if (c.rfind("2a1", 0) == 0) return SectorGroup::Cement;
  return SectorGroup::Other;
}

SectorGroup sectorGroupForReferenceLabel(const std::string& label) {
  const std::string l = lower(label);
  // An explicit IPCC code ("Solid Waste (6A)", "1B2") is the most reliable cue.
  static const std::regex kCode(R"((^|[^0-9a-z])([1-6][a-d][0-9]?[a-d]?)($|[^0-9a-z]))");
  std::smatch m;
  if (std::regex_search(l, m, kCode)) {
    const SectorGroup g = sectorGroupForIpccCode(m[2].str());
    if (g != SectorGroup::Other) return g;
  }
  auto has = [&](const char* word) { return l.find(word) != std::string::npos; };
  if (has("wastewater") || has("waste water") || has("waste_water") || has("wwt") ||
      has("sewage")) {
    return SectorGroup::Wastewater;
  }
  if (has("landfill") || has("solid waste") || has("solid_waste") || has("msw")) {
    return SectorGroup::SolidWaste;
  }
  if (has("refin") || has("petroleum")) return SectorGroup::PetroleumRefining;
  if (has("coal")) return SectorGroup::CoalMining;
  if (has("cement")) return SectorGroup::Cement;
  if (has("cafo") || has("livestock") || has("dairy") || has("manure") || has("enteric") ||
      has("feedlot") || has("agricultur")) {
    return SectorGroup::Agriculture;
  }
  if (has("gas") || has("oil") || has("lng") || has("pipeline") || has("compressor") ||
      has("well")) {
    return SectorGroup::OilAndGas;
  }
  return SectorGroup::Other;
}

}  // namespace emitrace::inventory
