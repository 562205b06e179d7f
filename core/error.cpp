#include "core/error.h"

namespace emitrace {

Canceled::Canceled() : Error("cancelled by the user") {}
Canceled::Canceled(const std::string& what) : Error(what) {}

}  // namespace emitrace
