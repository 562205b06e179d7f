#pragma once
// One file per trained model: a LibTorch archive holding every parameter and
// buffer under its dotted module path ("layer1.0.conv1.weight") plus the JSON
// metadata under the key "emitrace_metadata". Files are written atomically.
#include <string>

#include "core/models/model_metadata.h"

namespace torch::nn {
class Module;
}

namespace emitrace::models {

// Writes `module`'s parameters and buffers and `metadata` to `path`.
// Throws IoError if the file cannot be written.
void saveModelFile(const std::string& path, const ModelMetadata& metadata,
                   const torch::nn::Module& module);

// Reads only the metadata. Throws ModelFileError for a file that is not an
// Emitrace model file (not a LibTorch archive, no metadata, newer format).
ModelMetadata readModelMetadata(const std::string& path);

// Copies the stored tensors into `module`. Every parameter and buffer of
// the module must be present with the same shape, and the file may hold no
// tensor the module lacks; otherwise ModelFileError lists each offending
// tensor by name with expected and stored shapes.
void loadModelWeights(const std::string& path, torch::nn::Module& module);


}  // namespace emitrace::models
