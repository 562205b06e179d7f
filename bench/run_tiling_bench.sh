#!/usr/bin/env bash
# Tiles and reads generated 5000^2 and 20000^2 rasters window by window and
# compares peak RSS (it must stay flat, within 20%).
# Usage: bench/run_tiling_bench.sh <build-dir> [scratch-dir]
set -euo pipefail
build=${1:?build dir}
scratch=${2:-$(mktemp -d)}
bin="$build/bench/bench_tiling"
for n in 5000 20000; do
  [ -f "$scratch/r$n.tif" ] || "$bin" generate "$n" "$scratch/r$n.tif"
done
small=$("$bin" read "$scratch/r5000.tif")
large=$("$bin" read "$scratch/r20000.tif")
echo "$small"
echo "$large"
rss() { sed -E 's/.*peak RSS ([0-9.]+) MiB.*/\1/' <<<"$1"; }
awk -v a="$(rss "$small")" -v b="$(rss "$large")" 'BEGIN {
  r = b / a; printf("peak RSS ratio 20000^2 / 5000^2 = %.3f (%s)\n", r, (r <= 1.2 ? "flat" : "NOT flat"));
  exit (r <= 1.2 ? 0 : 1) }'
