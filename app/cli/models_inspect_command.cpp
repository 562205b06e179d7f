// `emitrace models inspect-state-dict F.pt [--key K] [--strip-module-prefix] [--verify] [--json]`:
// lists the tensors (name, dtype, shape) of a PyTorch checkpoint written by
// torch.save, without reading their data and without Python.
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "core/models/torch_import/checkpoint_summary.h"

namespace emitrace::cli {

void addModelsInspectStateDictCommand(CLI::App& modelsGroup) {
  struct Args {
    std::string input;
    models::torch_import::ReadOptions read;
    bool json = false;
    bool verify = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = modelsGroup.add_subcommand(
      "inspect-state-dict",
      "List the tensors (name, dtype, shape) of a PyTorch checkpoint written by torch.save");
  cmd->add_option("input", args->input, "Checkpoint file (.pt/.pth, PyTorch 1.6+ zip format)")->required();
  cmd->add_option("--key", args->read.key,
                  "Key of the state dict in the checkpoint ('model', or 'outer/inner'); default: found automatically");
  cmd->add_flag("--strip-module-prefix", args->read.stripModulePrefix,
                "Remove the 'module.' that DataParallel puts in front of every name");
  cmd->add_flag("--verify", args->verify,
                "Also read every record and check its CRC-32 (finds files damaged in transfer)");
  cmd->add_flag("--json", args->json, "Print JSON for scripts");
  cmd->callback([args] {
    const auto summary = models::torch_import::inspectCheckpoint(args->input, args->read, args->verify);
    if (args->json) std::cout << models::torch_import::toJson(summary).dump(2) << "\n";
    else std::cout << models::torch_import::formatCheckpointSummary(summary);
  });
}

}  // namespace emitrace::cli
