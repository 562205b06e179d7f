#pragma once
// The steps of `emitrace demo`. Each model/feature adds one step in its own
// demo_<name>.cpp and one line in demoSteps() (demo_command.cpp).
#include <nlohmann/json.hpp>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "core/progress.h"

namespace emitrace::cli {

struct DemoContext {
  std::string outDir;         // the step writes below outDir/<step name>/
  Progress& progress;
  std::ostream& log;          // human-readable report lines
  nlohmann::json& summary;    // machine-readable results, saved as summary.json
};

struct DemoStep {
  std::string name;
  std::string description;
  std::function<void(DemoContext&)> run;
};

std::vector<DemoStep> demoSteps();

void demoRaster(DemoContext& context);
void demoInventory(DemoContext& context);

}  // namespace emitrace::cli
