#pragma once
// Registers every model kind shipped with Emitrace. Each model family adds
// one call to builtin_kinds.cpp.
namespace emitrace::models {

void registerBuiltinModelKinds();

}  // namespace emitrace::models
