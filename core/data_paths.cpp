#include "core/data_paths.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "core/data_paths_config.h"
#include "core/error.h"

namespace fs = std::filesystem;

namespace emitrace {

std::string findDataFile(const std::string& relative) {
  // Installed layout: share/emitrace/{resources,samples}; source layout:
  // resources/ and tests/data/ (which holds the samples).
  std::string sourceRelative = relative;
  if (relative.rfind("samples/", 0) == 0) sourceRelative = "tests/data/" + relative.substr(8);

  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("EMITRACE_DATA_DIR"); env && *env) {
    candidates.push_back(fs::path(env) / relative);
  }
  candidates.push_back(fs::path(detail::kInstallDataDir) / relative);
  candidates.push_back(fs::path(detail::kSourceDataDir) / sourceRelative);

  std::error_code ec;
  for (const auto& c : candidates) {
    if (fs::exists(c, ec)) return fs::absolute(c, ec).string();
  }
  std::string looked;
  for (const auto& c : candidates) looked += "\n  " + c.string();
  throw IoError("shipped data file '" + relative + "' not found; looked in:" + looked +
                "\nset EMITRACE_DATA_DIR to the folder that holds resources/ and samples/");
}

}  // namespace emitrace
