#pragma once
// What an inventory entry is: the facility types Emitrace detects, their IPCC
// emission sectors, and the sector groups of the validation table.
//
// Types and sectors follow DMFNet (He et al. 2025, Table 2):
//   CAFOs                          4A/4B  enteric fermentation, manure management
//   landfills                      6A     solid waste disposal on land
//   coal mines                     1B1    coal mining
//   natural gas processing plants  1B2    oil and natural gas
//   refineries and oil terminals   1A1b   petroleum refining
//   wastewater treatment plants    6B     waste water handling
// plus cement plants (FusionNet, IPCC 2A1 cement production) and methane
// plumes (FLAME / matched filter), which take the sector of the facility they
// attach to when facilities are merged.
#include <optional>
#include <string>
#include <vector>

namespace emitrace::inventory {

enum class FacilityType {
  None,              // a negative patch/chip (never merged into a facility)
  Cafo,
  Landfill,
  CoalMine,
  GasProcessing,
  RefineryTerminal,
  Wastewater,
  Cement,
  MethanePlume,
};

// The sector groups of the validation table (the columns of the DMFNet
// paper's Table 6, extended to every sector Emitrace knows).
enum class SectorGroup {
  Agriculture,        // 4A/4B
  CoalMining,         // 1B1
  OilAndGas,          // 1B2
  PetroleumRefining,  // 1A1b
  SolidWaste,         // 6A
  Wastewater,         // 6B
  Cement,             // 2A1
  Other,              // unattributed (stand-alone plumes, unknown reference classes)
};

struct FacilityTypeInfo {
  FacilityType type;
  const char* id;           // stable identifier stored in the GeoPackage ("landfill")
  const char* displayName;  // for tables and legends ("Landfills")
  const char* ipccCode;     // "6A"; "" for None and unattached plumes
  const char* ipccSector;   // "Solid waste disposal on land"
  SectorGroup group;
};

const FacilityTypeInfo& info(FacilityType type);
// Every type, None first, in the order tables list them.
const std::vector<FacilityType>& allFacilityTypes();

std::string toString(FacilityType type);  // the stable id
// Accepts the stable id, the display name, and the class names models use:
// METER-ML/DMFNet (CAFOs, Landfills, Mines, ProcessingPlants,
// RefineriesAndTerminals, WWTreatment, Negative), cement/non-cement, plume.
// Case-insensitive. Throws InputError listing the valid names.
FacilityType parseFacilityType(const std::string& text);
// As parseFacilityType, but std::nullopt for an unknown name.
std::optional<FacilityType> facilityTypeFromName(const std::string& text);

const char* toString(SectorGroup group);     // "solid_waste"
const char* displayName(SectorGroup group);  // "Solid waste"
const std::vector<SectorGroup>& allSectorGroups();
// The group of an IPCC code ("1B2", "6A", "4B", "1A1b"); Other when unknown.
SectorGroup sectorGroupForIpccCode(const std::string& code);

// The sector group of a reference source's class or sector label, e.g. EPA
// GHGRP classes (landfill, gas_processing, refinery, industrial_wastewater,
// cement, coal_mine_underground, lng_terminal, lng_storage) or Carbon Mapper
// sector names ("Solid Waste (6A)", "Oil & Gas", "1B2"). An IPCC code in the
// label wins; otherwise keywords decide; Other when nothing matches.
SectorGroup sectorGroupForReferenceLabel(const std::string& label);

}  // namespace emitrace::inventory
