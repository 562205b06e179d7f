#include "core/models/builtin_kinds.h"

namespace emitrace::models {

void registerBuiltinModelKinds() {
  // One line per model family, e.g. flame::registerModelKind();
}

}  // namespace emitrace::models
