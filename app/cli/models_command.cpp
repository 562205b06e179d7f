// `emitrace models list|new|info|run`: model files from the command line.
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/terminal_progress.h"
#include "core/error.h"
#include "core/models/model_commands.h"

namespace emitrace::cli {
namespace {

// "key=value" -> (key, value); throws InputError.
std::pair<std::string, std::string> splitAssignment(const std::string& text, const std::string& flag) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(flag + " expects NAME=VALUE, got '" + text + "'");
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace

void addModelsCommand(CLI::App& app) {
  CLI::App* models = app.add_subcommand("models", "Model files: create, describe, run, inspect PyTorch weights");
  models->require_subcommand(1);
  addModelsInspectStateDictCommand(*models);

  CLI::App* list = models->add_subcommand("list", "List the model kinds this Emitrace knows");
  list->callback([] {
    for (const auto& k : models::listModelKinds()) {
      std::cout << k["kind"].get<std::string>() << "\t" << k["description"].get<std::string>()
                << "\n\tvariants: " << k["variants"].dump() << "\n";
    }
  });

  struct NewArgs {
    models::NewModelOptions options;
    std::vector<std::string> settings;
    bool json = false;
  };
  auto newArgs = std::make_shared<NewArgs>();
  CLI::App* create = models->add_subcommand("new", "Create an untrained model file from a configuration");
  create->add_option("--kind", newArgs->options.kind, "Model kind (see `emitrace models list`)")->required();
  create->add_option("--variant", newArgs->options.variant, "Configuration of that kind (default: its first)");
  create->add_option("--set", newArgs->settings, "Hyper-parameter override KEY=VALUE (repeatable)");
  create->add_option("--seed", newArgs->options.seed, "Weight initialisation seed")->capture_default_str();
  create->add_option("--out,-o", newArgs->options.output, "Model file to write")->required();
  create->add_flag("--json", newArgs->json, "Print the description as JSON");
  create->callback([newArgs] {
    for (const auto& s : newArgs->settings) newArgs->options.settings.insert(splitAssignment(s, "--set"));
    const auto description = models::createModelFile(newArgs->options);
    if (newArgs->json) std::cout << description.dump(2) << "\n";
    else std::cout << models::formatModelDescription(description);
  });

  struct InfoArgs {
    std::string path;
    bool json = false;
  };
  auto infoArgs = std::make_shared<InfoArgs>();
  CLI::App* info = models->add_subcommand("info", "Describe a model file: kind, configuration, inputs, outputs");
  info->add_option("model", infoArgs->path, "Model file")->required();
  info->add_flag("--json", infoArgs->json, "Print JSON for scripts");
  info->callback([infoArgs] {
    const auto description = models::describeModelFile(infoArgs->path);
    if (infoArgs->json) std::cout << description.dump(2) << "\n";
    else std::cout << models::formatModelDescription(description);
  });

  struct RunArgs {
    models::RunModelOptions options;
    std::vector<std::string> inputs;
    bool quiet = false;
  };
  auto runArgs = std::make_shared<RunArgs>();
  CLI::App* run = models->add_subcommand("run", "One forward pass on raw tensors (.npy in, one .npy per output)");
  run->add_option("--model,-m", runArgs->options.model, "Model file")->required();
  run->add_option("--input,-i", runArgs->inputs, "Input NAME=tensor.npy (repeatable)")->required();
  run->add_option("--out-dir,-o", runArgs->options.outDir, "Folder for the output .npy files")->required();
  run->add_option("--device", runArgs->options.device, "cpu | cuda | cuda:N")->capture_default_str();
  run->add_flag("--quiet,-q", runArgs->quiet, "No progress bar");
  run->callback([runArgs] {
    for (const auto& s : runArgs->inputs) runArgs->options.inputs.insert(splitAssignment(s, "--input"));
    TerminalProgress progress(runArgs->quiet);
    const auto written = models::runModelOnArrays(runArgs->options, progress);
    progress.done();
    for (const auto& p : written) std::cout << p << "\n";
  });
}

}  // namespace emitrace::cli
