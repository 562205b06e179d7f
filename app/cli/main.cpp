// emitrace: the command-line front end. Parses flags, calls the core, prints
// results; errors become one clear line on stderr and a non-zero exit status
// (1 = error, 2 = usage, 130 = cancelled).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/cli/commands.h"
#include "core/error.h"
#include "core/version.h"

int main(int argc, char** argv) {
  CLI::App app{"Emitrace: find greenhouse-gas emitting infrastructure in satellite imagery"};
  app.name("emitrace");
  app.set_version_flag("--version", std::string("emitrace ") + emitrace::kVersion);
  app.require_subcommand(1);
  emitrace::cli::addInfoCommand(app);
  emitrace::cli::addTilesCommand(app);
  emitrace::cli::addDemoCommand(app);
  emitrace::cli::addModelsCommand(app);
  emitrace::cli::addInventoryCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const emitrace::Canceled& e) {
    std::fprintf(stderr, "emitrace: cancelled; no output was kept\n");
    return 130;
  } catch (const emitrace::Error& e) {
    std::fprintf(stderr, "emitrace: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "emitrace: internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
