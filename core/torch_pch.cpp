// Anchor translation unit for the shared LibTorch precompiled header
// (see emitrace_core_module in core/CMakeLists.txt).
namespace emitrace::detail {
int torchPchAnchor() { return 0; }
}  // namespace emitrace::detail
