#!/usr/bin/env python3
"""Writes the PyTorch checkpoints that tests/models/test_torch_import.cpp reads.

Usage: make_fixtures.py OUT_DIR   (run with a Python that has Debian's python3-torch)

Every checkpoint is written by torch.save itself (or torch.jit.save), except
the few that re-pack a torch.save archive to exercise what this machine's
torch does not write: zip64 extra fields (archives over 4 GiB), a big-endian
archive, a deflated archive, and damaged files. Next to the checkpoints it
writes manifest.json and, per checkpoint, <name>.ref: the expected value of
each tensor, row-major and little-endian, made by numpy (not by torch.save),
so the C++ test compares every element exactly.
"""
import argparse
import collections
import copy
import json
import os
import pickle
import struct
import sys
import zipfile
import zlib

import numpy as np
import torch
import torch.nn as nn

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(20240607)
MANIFEST = {"torch_version": torch.__version__, "fixtures": {}}


def path(name):
    return os.path.join(OUT, name)


def dtype_name(t):
    return str(t.dtype).replace("torch.", "")


def reference_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: take its bits
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def record(name, filename, tensors, location=""):
    """Writes <name>.ref and the manifest entry for a state dict `tensors`."""
    entries, blob = [], bytearray()
    for key, t in tensors.items():
        data = reference_bytes(t)
        entries.append({"name": key, "dtype": dtype_name(t), "shape": list(t.shape),
                        "offset": len(blob), "nbytes": len(data)})
        blob += data
    with open(path(name + ".ref"), "wb") as f:
        f.write(blob)
    MANIFEST["fixtures"][name] = {"file": filename, "location": location,
                                  "ref": name + ".ref", "tensors": entries}


class Net(nn.Module):
    """The small network of the apply tests: Conv2d + BatchNorm2d + Linear."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
        self.head = nn.Linear(4 * 5 * 5, 3)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


net = Net()
net.train()
for _ in range(3):  # non-trivial running statistics, num_batches_tracked = 3
    net(torch.randn(8, 3, 5, 5) * 2 + 0.5)
net.eval()
x = torch.randn(2, 3, 5, 5)
with torch.no_grad():
    y = net(x)
sd = net.state_dict()

# --- state dicts in the shapes checkpoints come in -----------------------
torch.save(sd, path("ordered_dict.pt"))
record("ordered_dict", "ordered_dict.pt", sd)
record("apply_io", "", {"input": x, "output": y})

plain = {
    "f32": torch.randn(3, 4),
    "f64": torch.randn(5, dtype=torch.float64),
    "f16": torch.randn(2, 3).half(),
    "bf16": torch.randn(4).bfloat16(),
    "c64": torch.randn(3, dtype=torch.complex64),
    "i64": torch.arange(-3, 3, dtype=torch.int64) * 1000000000000,
    "i32": torch.tensor([-2147483648, 0, 2147483647], dtype=torch.int32),
    "i16": torch.tensor([-32768, 5, 32767], dtype=torch.int16),
    "i8": torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
    "u8": torch.arange(0, 256, 37, dtype=torch.uint8),
    "flags": torch.tensor([True, False, True, True]),
    "num_batches_tracked": torch.tensor(42, dtype=torch.int64),
    "empty": torch.zeros(0, 3),
}
assert type(plain) is dict
torch.save(plain, path("plain_dict.pt"))
record("plain_dict", "plain_dict.pt", plain)

# A real optimizer state (Adam moments are tensors too), from a copy of the
# network so that `net` and `sd` keep the values the references hold.
trained = copy.deepcopy(net).train()
opt = torch.optim.Adam(trained.parameters(), lr=2e-3)
trained(torch.randn(4, 3, 5, 5)).sum().backward()
opt.step()
args = argparse.Namespace(lr=2e-3, bands=list(range(72)), name="starcop", scale=np.float64(0.5),
                          offsets=np.arange(3, dtype=np.float32), device=torch.device("cpu"),
                          dtype=torch.float32)
torch.save({"model": sd, "epoch": 12, "optimizer": opt.state_dict(), "args": args,
            "best_f1": 0.71, "blob": b"\x00\x01\xff", "tags": {"a", "b"}, "huge": 2 ** 70,
            "history": [0.5, 0.25, None, True]},
           path("nested_model.pt"))
record("nested_model", "nested_model.pt", sd, "model")

torch.save({"model_state_dict": sd, "epoch": 1}, path("model_state_dict.pt"))
record("model_state_dict", "model_state_dict.pt", sd, "model_state_dict")

dp = collections.OrderedDict(("module." + k, v) for k, v in sd.items())
torch.save({"state_dict": dp, "epoch": 3}, path("dataparallel.pt"))
record("dataparallel", "dataparallel.pt", dp, "state_dict")

torch.save({"outer": {"inner": sd, "step": 1}}, path("nested_key.pt"))
record("nested_key", "nested_key.pt", sd, "outer/inner")

torch.save({"generator": sd, "discriminator": {"w": torch.ones(2)}}, path("two_state_dicts.pt"))

torch.save(sd, path("protocol4.pt"), pickle_protocol=4)
record("protocol4", "protocol4.pt", sd)

params = {"weight": nn.Parameter(torch.randn(2, 3)), "buffer": torch.randn(3)}
torch.save(params, path("parameters.pt"))
record("parameters", "parameters.pt", params)

double_sd = Net().double().state_dict()
torch.save(double_sd, path("double_weights.pt"))
record("double_weights", "double_weights.pt", double_sd)

# Complex spectral weights stored as real [..., 2], as FLAME's checkpoints do.
cw = torch.randn(2, 2, 3, 3, dtype=torch.complex64)
torch.save({"spectral.weights1": torch.view_as_real(cw)}, path("complex_as_real.pt"))
record("complex_as_real", "complex_as_real.pt", {"spectral.weights1": cw})

# --- views onto shared storages and tied weights --------------------------
base = torch.arange(60, dtype=torch.float32).reshape(6, 10)
w = torch.randn(3, 3)
views = {
    "base": base,
    "transposed": base.t(),
    "row": base[2],
    "column": base[:, 3],
    "strided_slice": base[1:4, 2:8:2],
    "flat_offset": base.view(-1)[7:19],
    "tied_a": w,
    "tied_b": w,
    "expanded": torch.tensor([1.0, 2.0, 3.0]).expand(4, 3),
}
torch.save(views, path("views.pt"))
record("views", "views.pt", views)

g = torch.Generator().manual_seed(7)
big = {"weight": torch.randn(1000, 1000, generator=g)}
torch.save(big, path("big.pt"))
record("big", "big.pt", big)

# A quantized tensor outside the state dict must not stop the import; inside
# it, it must fail by name.
q = torch.quantize_per_tensor(torch.randn(4), 0.1, 0, torch.quint8)
torch.save({"model": sd, "calibration": q}, path("quantized_extra.pt"))
record("quantized_extra", "quantized_extra.pt", sd, "model")
torch.save({"w": torch.randn(2), "q": q}, path("quantized_in_state_dict.pt"))


# --- re-packed archives ---------------------------------------------------
def read_entries(src):
    with zipfile.ZipFile(src) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def write_zip(dst, entries, zip64_fields=False):
    """A stored zip with torch's 64-byte data alignment. With zip64_fields
    every size and offset lives in zip64 extra fields, as in archives over
    4 GiB (the 32-bit fields hold 0xFFFFFFFF)."""
    out, central = bytearray(), bytearray()
    for name, data in entries:
        nb = name.encode()
        crc = zlib.crc32(data) & 0xFFFFFFFF
        offset = len(out)
        local_extra = struct.pack("<HHQQ", 1, 16, len(data), len(data)) if zip64_fields else b""
        pad = (-(offset + 30 + len(nb) + len(local_extra) + 4)) % 64
        local_extra += struct.pack("<HH", 0x4246, pad) + b"Z" * pad  # torch's "FB" padding field
        size32 = 0xFFFFFFFF if zip64_fields else len(data)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, size32, size32,
                           len(nb), len(local_extra)) + nb + local_extra + data
        cextra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset) if zip64_fields else b""
        off32 = 0xFFFFFFFF if zip64_fields else offset
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, size32,
                               size32, len(nb), len(cextra), 0, 0, 0, 0, off32) + nb + cextra
    cd_offset = len(out)
    out += central
    z64 = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries),
                       len(central), cd_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                       cd_offset, 0)
    with open(dst, "wb") as f:
        f.write(out)
    with zipfile.ZipFile(dst) as z:  # self-check: Python's zipfile reads it back
        assert [(i.filename, z.read(i.filename)) for i in z.infolist()] == list(entries)


write_zip(path("zip64.pt"), read_entries(path("ordered_dict.pt")), zip64_fields=True)
record("zip64", "zip64.pt", sd)
with zipfile.ZipFile(path("zip64.pt")) as z:
    assert all(i.header_offset < 2 ** 32 for i in z.infolist())


def storage_element_sizes(pickle_bytes):
    """Storage key -> (element size, is complex), from data.pkl's persistent ids."""
    sizes = {}

    class Reader(pickle.Unpickler):
        def persistent_load(self, pid):
            _, storage_type, key, _, numel = pid
            dtype = storage_type(0).dtype
            sizes[key] = (torch.empty(0, dtype=dtype).element_size(), dtype.is_complex)
            return storage_type(numel)

    Reader(__import__("io").BytesIO(pickle_bytes)).load()
    return sizes


def big_endian(entries):
    prefix = entries[0][0].split("/")[0] + "/"
    sizes = storage_element_sizes(dict(entries)[prefix + "data.pkl"])
    out = []
    for name, data in entries:
        if name.startswith(prefix + "data/"):
            width, is_complex = sizes[name[len(prefix + "data/"):]]
            width = width // 2 if is_complex else width
            a = np.frombuffer(data, dtype="<u%d" % width) if width > 1 else np.frombuffer(data, np.uint8)
            data = a.byteswap().tobytes() if width > 1 else data
        out.append((name, data))
    out.append((prefix + "byteorder", b"big"))
    return out


write_zip(path("big_endian.pt"), big_endian(read_entries(path("plain_dict.pt"))))
record("big_endian", "big_endian.pt", plain)



def torch2_layout(entries):
    """The records PyTorch 2.x writes around the same pickle and storages:
    .format_version, .storage_alignment and byteorder after data.pkl, the
    version moved to .data/version, and a .data/serialization_id."""
    prefix = entries[0][0].split("/")[0] + "/"
    out = []
    for name, data in entries:
        if name == prefix + "version":
            continue
        out.append((name, data))
        if name == prefix + "data.pkl":
            out += [(prefix + ".format_version", b"1"), (prefix + ".storage_alignment", b"64"),
                    (prefix + "byteorder", b"little")]
    return out + [(prefix + ".data/version", b"3\n"), (prefix + ".data/serialization_id", b"0123456789")]


write_zip(path("torch2_layout.pt"), torch2_layout(read_entries(path("nested_model.pt"))))
record("torch2_layout", "torch2_layout.pt", sd, "model")

with zipfile.ZipFile(path("deflated.pt"), "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in read_entries(path("ordered_dict.pt")):
        z.writestr(name, data)

# --- files the importer must refuse --------------------------------------
torch.save(sd, path("legacy.pt"), _use_new_zipfile_serialization=False)
torch.jit.save(torch.jit.script(Net().eval()), path("torchscript.pt"))
torch.save(nn.Linear(2, 2), path("pickled_module.pt"))
torch.save({"epoch": 3, "note": "no weights here"}, path("no_state_dict.pt"))
with open(path("text.txt"), "w") as f:
    f.write("This is a text file, not a checkpoint.\n")
open(path("empty.pt"), "wb").close()
with open(path("plain.pkl"), "wb") as f:
    pickle.dump({"a": 1}, f, protocol=2)
with zipfile.ZipFile(path("plain.zip"), "w") as z:
    z.writestr("readme.txt", "hello")
good = open(path("ordered_dict.pt"), "rb").read()
with open(path("truncated.pt"), "wb") as f:
    f.write(good[: len(good) * 3 // 5])
with zipfile.ZipFile(path("ordered_dict.pt")) as z:
    info = next(i for i in z.infolist() if i.filename.endswith("/data/0"))
    name_len, extra_len = struct.unpack("<HH", good[info.header_offset + 26: info.header_offset + 30])
    data_at = info.header_offset + 30 + name_len + extra_len
corrupt = bytearray(good)
corrupt[data_at + 5] ^= 0x40  # flips one bit of a weight: only the CRC can tell
with open(path("corrupt.pt"), "wb") as f:
    f.write(corrupt)
MANIFEST["corrupt_byte"] = data_at + 5

with open(path("manifest.json"), "w") as f:
    json.dump(MANIFEST, f, indent=1)
print("wrote %d checkpoints to %s" % (len(MANIFEST["fixtures"]), OUT))
