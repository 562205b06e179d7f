// `emitrace demo --out DIR`: the main job on data shipped in the repository.
// Runs every step (or --only one), prints what each found, and writes
// DIR/summary.json.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/demo_steps.h"
#include "app/cli/terminal_progress.h"
#include "core/error.h"
#include "core/version.h"

namespace emitrace::cli {

std::vector<DemoStep> demoSteps() {
  return {
      {"raster", "Real Sentinel-2/Sentinel-1 scenes: band info, common 10 m grid, 720 m tile grids",
       demoRaster},
      {"inventory",
       "Facility inventory from synthetic detections on real EPA facilities (Los Angeles): merge, review, "
       "validate, Tables 5/6",
       demoInventory},
  };
}

void addDemoCommand(CLI::App& app) {
  struct Args {
    std::string out = "emitrace-demo";
    std::string only;
    bool list = false;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("demo", "Run the main job on the sample data shipped with Emitrace");
  cmd->add_option("--out,-o", args->out, "Output folder (created)")->capture_default_str();
  cmd->add_option("--only", args->only, "Run only this step");
  cmd->add_flag("--list", args->list, "List the steps and exit");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress bar");
  cmd->callback([args] {
    const auto steps = demoSteps();
    if (args->list) {
      for (const auto& s : steps) std::cout << s.name << "\t" << s.description << "\n";
      return;
    }
    std::vector<DemoStep> selected;
    for (const auto& s : steps) {
      if (args->only.empty() || s.name == args->only) selected.push_back(s);
    }
    if (selected.empty()) throw InputError("no demo step named '" + args->only + "' (see --list)");

    std::error_code ec;
    std::filesystem::create_directories(args->out, ec);
    if (ec) throw IoError("cannot create the output folder '" + args->out + "': " + ec.message());

    nlohmann::json summary;
    summary["emitrace_version"] = kVersion;
    TerminalProgress progress(args->quiet);
    for (size_t i = 0; i < selected.size(); ++i) {
      const auto& step = selected[i];
      progress.done();
      std::cout << "== " << step.name << ": " << step.description << "\n" << std::flush;
      std::filesystem::create_directories(std::filesystem::path(args->out) / step.name, ec);
      auto sub = progress.sub(double(i) / selected.size(), double(i + 1) / selected.size());
      nlohmann::json stepSummary;
      DemoContext context{(std::filesystem::path(args->out) / step.name).string(), sub, std::cout,
                          stepSummary};
      context.progress.report(0.0, step.name);
      step.run(context);
      progress.done();
      summary["steps"][step.name] = stepSummary;
    }
    progress.done();
    const auto summaryPath = std::filesystem::path(args->out) / "summary.json";
    std::ofstream(summaryPath) << summary.dump(2) << "\n";
    std::cout << "demo finished: results in " << args->out << " (summary: " << summaryPath.string()
              << ")\n";
  });
}

}  // namespace emitrace::cli
