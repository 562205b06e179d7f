#pragma once
// SHA-256 (FIPS 180-4) of bytes or of a file, for provenance: which model
// file produced which detections.
#include <cstddef>
#include <cstdint>
#include <string>

namespace emitrace {

// Lower-case hex digest of `size` bytes.
std::string sha256Hex(const void* data, std::size_t size);

// Lower-case hex digest of a file's content, read in chunks. Throws IoError
// if the file cannot be read.
std::string sha256OfFile(const std::string& path);

}  // namespace emitrace
