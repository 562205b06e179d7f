#!/usr/bin/env bash
# Writes and merges 100,000 detections through the inventory core and reports
# times and file sizes (bench_inventory prints a plain-OGR baseline of the
# same polygons in the same run, so the ratio holds on a loaded machine).
# Usage: bench/run_inventory_bench.sh <build-dir> [count] [scratch-dir]
set -euo pipefail
build=${1:?build dir}
count=${2:-100000}
scratch=${3:-$(mktemp -d)}
"$build/bench/bench_inventory" "$count" "$scratch"
