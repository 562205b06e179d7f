#pragma once
// Locates data shipped with Emitrace (CH4 look-up table, sample scenes, demo
// models). Search order: $EMITRACE_DATA_DIR, the install prefix
// (share/emitrace), then the source tree the binary was built from.
#include <string>

namespace emitrace {

// Returns the absolute path of `relative` under the first data root that has
// it ("resources/ch4_lut/ch4.hdr", "samples/..." ). Throws IoError naming every
// place it looked if none does.
std::string findDataFile(const std::string& relative);

}  // namespace emitrace
