#pragma once
// Each CLI command lives in its own file and adds itself to the top-level
// CLI11 app here. A command only maps flags onto a core options struct and
// calls one core function (the gdal_translate_bin.cpp pattern).
#include <CLI/CLI.hpp>

namespace emitrace::cli {

void addInfoCommand(CLI::App& app);
void addTilesCommand(CLI::App& app);
void addDemoCommand(CLI::App& app);
void addModelsCommand(CLI::App& app);
// Adds `inspect-state-dict` to the `models` group.
void addModelsInspectStateDictCommand(CLI::App& modelsGroup);
void addInventoryCommand(CLI::App& app);

}  // namespace emitrace::cli
