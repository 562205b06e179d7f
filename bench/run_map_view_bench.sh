#!/usr/bin/env bash
# Pan/zoom timings of the analyst map view on a generated 10000^2 scene,
# first without overviews (baseline), then with overviews 2..64.
# Usage: bench/run_map_view_bench.sh <build-dir> [scratch-dir] [size]
set -euo pipefail
build=${1:?build dir}
scratch=${2:-$(mktemp -d)}
size=${3:-10000}
bin="$build/bench/bench_map_view"
scene="$scratch/scene$size.tif"
[ -f "$scene" ] || "$bin" generate "$scene" "$size"
rm -f "$scene.ovr"
echo "== without overviews"
"$bin" run "$scene"
"$bin" overviews "$scene"
echo "== with overviews"
"$bin" run "$scene"
