#pragma once
// NumPy .npy files (format versions 1-3, C order, little-endian) to and from
// tensors: METER-ML ships its patches as .npy, and `emitrace models run`
// exchanges raw tensors with other implementations through them.
//
// Read: bool, uint8, int8, int16, uint16 (as int32: LibTorch has no uint16),
// int32, int64, float32, float64. Anything else (Fortran order, big-endian,
// object arrays, structured dtypes) is an InputError naming the file.
#include <string>

namespace at {
class Tensor;
}

namespace emitrace::models {

at::Tensor readNpy(const std::string& path);

// Writes a CPU copy of `tensor` (made contiguous) atomically.
void writeNpy(const std::string& path, const at::Tensor& tensor);

}  // namespace emitrace::models
