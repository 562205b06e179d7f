#!/usr/bin/env python3
"""Companion of bench_torch_import: writes a checkpoint with the names and
shapes of torchvision's ResNet-50 state_dict (25,557,032 parameters, random
values) and times PyTorch's own torch.load on it.

  torch_import_reference.py make <out.pt>
  torch_import_reference.py load <file.pt> [repeats]
"""
import collections
import statistics
import sys
import time

import torch


def resnet50_state_dict():
    sd = collections.OrderedDict()

    def conv(name, cin, cout, k):
        sd[name + ".weight"] = torch.randn(cout, cin, k, k)

    def bn(name, c):
        sd[name + ".weight"] = torch.rand(c)
        sd[name + ".bias"] = torch.randn(c)
        sd[name + ".running_mean"] = torch.randn(c)
        sd[name + ".running_var"] = torch.rand(c)
        sd[name + ".num_batches_tracked"] = torch.tensor(0)

    conv("conv1", 3, 64, 7)
    bn("bn1", 64)
    cin = 64
    for layer, (blocks, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)], 1):
        for b in range(blocks):
            p = "layer%d.%d" % (layer, b)
            conv(p + ".conv1", cin, width, 1)
            bn(p + ".bn1", width)
            conv(p + ".conv2", width, width, 3)
            bn(p + ".bn2", width)
            conv(p + ".conv3", width, width * 4, 1)
            bn(p + ".bn3", width * 4)
            if b == 0:
                conv(p + ".downsample.0", cin, width * 4, 1)
                bn(p + ".downsample.1", width * 4)
            cin = width * 4
    sd["fc.weight"] = torch.randn(1000, 2048)
    sd["fc.bias"] = torch.randn(1000)
    params = sum(v.numel() for k, v in sd.items()
                 if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert params == 25557032, params  # torchvision's ResNet-50 with the 1000-class head
    return sd


if sys.argv[1] == "make":
    torch.manual_seed(0)
    torch.save(resnet50_state_dict(), sys.argv[2])
else:
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sd = torch.load(sys.argv[2], map_location="cpu")
        times.append(time.perf_counter() - t0)
    mb = sum(v.numel() * v.element_size() for v in sd.values()) / 1e6
    med = statistics.median(times)
    print("torch.load (PyTorch %s): %d tensors, %.1f MB, median %.3f s of %d (%.0f MB/s)"
          % (torch.__version__, len(sd), mb, med, repeats, mb / med))
