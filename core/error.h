#pragma once
// Typed errors thrown by the core. Every message says what failed, where
// (file, band, parameter), what was expected, and what the user can do next.
// Front ends catch emitrace::Error: the CLI prints it and exits non-zero, the
// GUIs show it, QGIS turns it into a QgsProcessingException.
#include <stdexcept>
#include <string>

namespace emitrace {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user's input is wrong: a missing band, an AOI outside the raster, a bad
// parameter value, an unsupported format.
class InputError : public Error {
 public:
  using Error::Error;
};

// A model file is unreadable, of another kind or version, or its tensors do
// not match the architecture its metadata describes.
class ModelFileError : public Error {
 public:
  using Error::Error;
};

// Reading or writing failed: unreadable file, unwritable folder, full disk.
class IoError : public Error {
 public:
  using Error::Error;
};

// The user cancelled. Thrown from Progress::throwIfCanceled(); outputs of the
// cancelled operation have been removed by the time it reaches the caller.
class Canceled : public Error {
 public:
  Canceled();
  explicit Canceled(const std::string& what);
};

}  // namespace emitrace
