#!/usr/bin/env bash
# Reads a ResNet-50-sized torch.save checkpoint (~102 MB) with Emitrace's
# importer and with PyTorch's torch.load in the same session, and prints the
# ratio. Usage: bench/run_torch_import_bench.sh <build-dir> [scratch-dir]
set -euo pipefail
build=${1:?build dir}
scratch=${2:-$(mktemp -d)}
python=${EMITRACE_TORCH_PYTHON:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
ckpt="$scratch/resnet50_shaped.pt"
[ -f "$ckpt" ] || "$python" "$here/torch_import_reference.py" make "$ckpt"
ours=$("$build/bench/bench_torch_import" "$ckpt" 5)
theirs=$("$python" "$here/torch_import_reference.py" load "$ckpt" 5)
echo "$ours"
echo "$theirs"
med() { sed -E 's/.*median ([0-9.]+) s.*/\1/' <<<"$1"; }
awk -v a="$(med "$(head -1 <<<"$ours")")" -v b="$(med "$theirs")" \
  'BEGIN { printf("emitrace (crc on) / torch.load time ratio = %.2f\n", a / b) }'
