#pragma once
// Choosing where models run: "cpu" (default), "cuda" or "cuda:N". Debian's
// LibTorch is CPU-only; a user who builds against the official CUDA
// LibTorch (Torch_DIR) gets GPU training and scanning with the same code.
#include <string>

namespace c10 {
struct Device;
}

namespace emitrace::models {

// Throws InputError for an unknown device or CUDA without CUDA support.
c10::Device parseDevice(const std::string& name);

}  // namespace emitrace::models
