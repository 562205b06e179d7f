#pragma once
// Write-then-rename for every file the core produces, so that a cancelled,
// failed or crashed run never leaves a half-written output under the final
// name.
//
//   PartialOutput out("enh.tif");   // checks the folder is writable
//   write(out.path());              // "enh.partial.tif"
//   out.commit();                   // renames onto "enh.tif"
//
// ".partial" goes before the extension rather than after it because GDAL
// drivers (GeoPackage in particular) pick behaviour from the extension.
// If commit() is never reached the destructor deletes the partial file and
// its sidecars (-wal, -shm, -journal, .aux.xml, .ovr).
#include <string>

namespace emitrace {

class PartialOutput {
 public:
  // Throws IoError if the folder does not exist or is not writable, or if
  // finalPath exists and overwrite is false.
  explicit PartialOutput(std::string finalPath, bool overwrite = true);
  ~PartialOutput();
  PartialOutput(const PartialOutput&) = delete;
  PartialOutput& operator=(const PartialOutput&) = delete;
  PartialOutput(PartialOutput&& other) noexcept;
  PartialOutput& operator=(PartialOutput&&) = delete;

  // Where to write now.
  const std::string& path() const { return partialPath_; }
  const std::string& finalPath() const { return finalPath_; }
  bool committed() const { return committed_; }

  // Atomically moves the partial file onto the final path (replacing it).
  void commit();
  // Deletes the partial file now (also done by the destructor).
  void discard();

 private:
  std::string finalPath_;
  std::string partialPath_;
  bool committed_ = false;
};

// Removes a file and the sidecars GDAL/SQLite may have created beside it.
void removeWithSidecars(const std::string& path);

// Throws IoError unless a file can be created in path's folder.
void checkWritableLocation(const std::string& path);

}  // namespace emitrace
