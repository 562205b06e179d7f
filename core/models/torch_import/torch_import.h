#pragma once
// Importing PyTorch weights (torch.save files) into Emitrace's LibTorch models.
//
// Why our own reader: LibTorch 1.13 (Debian 12) cannot load an ordinary
// `torch.save(model.state_dict(), f)` file with torch::pickle_load ("Expected
// GenericDict but got None": its unpickler turns collections.OrderedDict into
// None, pytorch/pytorch#100741). So this module reads the zip archive itself
// (zip_reader.h), decodes data.pkl with a strict unpickler that executes
// nothing (unpickler.h, torch_pickle.h) and builds tensors from the storage
// records (state_dict.h). Python is not needed.
//
// The API, in the order a model's import code uses it:
//
//   namespace ti = emitrace::models::torch_import;
//   ti::StateDict sd = ti::readStateDict(path);               // ReadOptions: key, strip "module.", CRC
//   ti::ApplyReport r = ti::applyStateDict(*model, sd, nameMap, options);
//
// readStateDict finds the state dict whether the file holds it directly
// (OrderedDict or plain dict) or a training checkpoint that holds it under
// 'state_dict', 'model_state_dict', 'model', 'net', 'network' or 'module'
// (or any other key, ReadOptions::key = "ema" or "outer/inner"). Other entries
// of the checkpoint (epoch, optimizer state, argparse.Namespace args, numpy
// scalars) are decoded as opaque values and never read or executed. dtypes are
// kept as saved; tensors that shared storage in the file share it here.
//
// applyStateDict copies into the module's parameters and buffers (names as
// register_module/register_parameter/register_buffer build them), after
// checking all of them; strict mode (the default) throws ModelFileError that
// lists every missing, unexpected, mis-shaped or wrongly typed tensor by name
// with the expected and the found shape, and leaves the module unchanged.
// inspectCheckpoint (checkpoint_summary.h) lists a file's tensors without
// reading their data (`emitrace models inspect-state-dict F.pt`).
//
// Example 1: FLAME, the authors' checkpoint, `reference` variant.
//   The file is {'model': OrderedDict, 'epoch': ..., ...}; readStateDict finds
//   'model'. Its names (shared/reference/flame_reference_state_dict_keys.txt)
//   are the Python attribute paths: lift, fno_layers.{0,1,2}.{spectral_conv.
//   weights1|weights2, skip, se.fc1, se.fc2}, ufno_layers.{0,1,2}.{...,
//   unet.enc1.{0,1}, unet.enc2.{0,1}.{0,1}, unet.enc3.{0,1}.{0,1},
//   unet.dec{3,2,1}.0, unet.out_conv}, bg_head, sw_head, seg_head.{0,1,3,4,6}
//   and the buffer ch4_spectrum. A FLAME module that registers its submodules
//   under those names (torch::nn::Sequential and ModuleList name children
//   "0", "1", ... as PyTorch does; keep the parameter-free SiLU at seg_head
//   indices 2 and 5 so the indices match) imports with an empty NameMap:
//     auto sd = ti::readStateDict(path);
//     ti::applyStateDict(*flame, sd);                      // strict; throws on any mismatch
//   weights1/weights2 are stored as real [in, out, m1, m2, 2] (real, imag).
//   Either register them as real tensors of that shape and use
//   torch::view_as_complex in forward, or register complex [in, out, m1, m2]
//   parameters and convert on import:
//     ti::ApplyOptions o;
//     o.transforms = {{R"(.*\.spectral_conv\.weights[12])",
//                      [](const at::Tensor& t) { return torch::view_as_complex(t.contiguous()); },
//                      "real [..., 2] -> complex"}};
//   ch4_spectrum must be a registered buffer so it is loaded as stored. If
//   the C++ names differ, add rules, e.g.
//     ti::NameMap().regex(R"(seg_head\.6\.(weight|bias))", "seg_head.out.$1");
//
// Example 2: torchvision's ImageNet ResNet-50 (resnet50-0676ba61.pth or
//   resnet50-11ad3fa6.pth; the 2017 file resnet50-19c8e357.pth uses the
//   legacy format and is refused with instructions to re-save it). The file is
//   a top-level OrderedDict with names conv1, bn1, layer1..layer4.<block>.
//   {conv1,bn1,conv2,bn2,conv3,bn3,downsample.0,downsample.1}, fc; BN buffers
//   include num_batches_tracked (int64 scalars). A ResNet-50 whose submodules
//   carry torchvision's names imports with an empty map:
//     ti::applyStateDict(*resnet, ti::readStateDict(path));
//   A DMFNet branch without the 1000-class head drops it on purpose:
//     ti::applyStateDict(*rgbBranch, sd, ti::NameMap().ignore(R"(fc\..*)"));
//   and the 2-channel SAR stem takes the RGB kernels' channel mean:
//     ti::ApplyOptions sar;
//     sar.transforms = {{"conv1\\.weight",
//                        [](const at::Tensor& w) { return w.mean(1, true).repeat({1, 2, 1, 1}); },
//                        "RGB kernels' channel mean, repeated for VV and VH"}};
//     ti::applyStateDict(*sarBranch, sd, ti::NameMap().ignore(R"(fc\..*)"), sar);
#include "core/models/torch_import/apply_state_dict.h"
#include "core/models/torch_import/checkpoint_summary.h"
#include "core/models/torch_import/name_map.h"
#include "core/models/torch_import/read_options.h"
#include "core/models/torch_import/state_dict.h"
