#include "core/models/device.h"

#include <torch/torch.h>

#include "core/error.h"

namespace emitrace::models {

c10::Device parseDevice(const std::string& name) {
  if (name.empty() || name == "cpu") return torch::Device(torch::kCPU);
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw InputError("device '" + name +
                       "' requested, but this LibTorch has no CUDA support or sees no GPU "
                       "(Debian's LibTorch is CPU-only; build Emitrace against the official CUDA "
                       "LibTorch with -DTorch_DIR=... to use a GPU)");
    }
    try {
      return torch::Device(name);
    } catch (const c10::Error&) {
    }
  }
  throw InputError("unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
}

}  // namespace emitrace::models
