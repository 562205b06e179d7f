#include "core/partial_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/error.h"

namespace fs = std::filesystem;

namespace emitrace {
namespace {

std::string partialNameFor(const std::string& finalPath) {
  fs::path p(finalPath);
  fs::path ext = p.extension();
  fs::path stem = p.stem();
  return (p.parent_path() / (stem.string() + ".partial" + ext.string())).string();
}

}  // namespace

void checkWritableLocation(const std::string& path) {
  if (path.empty()) throw InputError("no output path given");
  fs::path p(path);
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    throw IoError("cannot write '" + path + "': folder '" + dir.string() +
                  "' does not exist; create it first or choose another output path");
  }
  if (!fs::is_directory(dir, ec)) {
    throw IoError("cannot write '" + path + "': '" + dir.string() + "' is not a folder");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    throw IoError("cannot write '" + path + "': folder '" + dir.string() +
                  "' is not writable (" + std::strerror(errno) + ")");
  }
  if (fs::is_directory(p, ec)) {
    throw IoError("cannot write '" + path + "': a folder of that name exists");
  }
}

void removeWithSidecars(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".aux.xml", ".ovr", ".msk"}) {
    fs::remove(path + suffix, ec);
  }
}

PartialOutput::PartialOutput(std::string finalPath, bool overwrite)
    : finalPath_(std::move(finalPath)), partialPath_(partialNameFor(finalPath_)) {
  checkWritableLocation(finalPath_);
  std::error_code ec;
  if (!overwrite && fs::exists(finalPath_, ec)) {
    throw IoError("'" + finalPath_ + "' exists; remove it or choose another output path");
  }
  // A stale partial file from a crashed run is garbage by definition.
  removeWithSidecars(partialPath_);
}

PartialOutput::PartialOutput(PartialOutput&& other) noexcept
    : finalPath_(std::move(other.finalPath_)),
      partialPath_(std::move(other.partialPath_)),
      committed_(other.committed_) {
  other.committed_ = true;  // the moved-from object owns nothing
}

PartialOutput::~PartialOutput() {
  if (!committed_) discard();
}

void PartialOutput::discard() {
  if (!partialPath_.empty()) removeWithSidecars(partialPath_);
}

void PartialOutput::commit() {
  if (committed_) return;
  std::error_code ec;
  if (!fs::exists(partialPath_, ec)) {
    throw IoError("cannot finish '" + finalPath_ + "': the partial file '" + partialPath_ +
                  "' was not written");
  }
  // Old sidecars of the final name would be misread as belonging to the new file.
  for (const char* suffix : {"-wal", "-shm", "-journal", ".aux.xml", ".ovr", ".msk"}) {
    fs::remove(finalPath_ + suffix, ec);
  }
  if (std::rename(partialPath_.c_str(), finalPath_.c_str()) != 0) {
    throw IoError("cannot move '" + partialPath_ + "' to '" + finalPath_ + "': " +
                  std::strerror(errno));
  }
  for (const char* suffix : {".aux.xml", ".ovr", ".msk"}) {
    if (fs::exists(partialPath_ + suffix, ec)) {
      std::rename((partialPath_ + suffix).c_str(), (finalPath_ + suffix).c_str());
    }
  }
  committed_ = true;
}

}  // namespace emitrace
