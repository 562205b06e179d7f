#!/usr/bin/env bash
# Installs every Debian 12 package that Emitrace's build, tests and demo need.
# Idempotent: packages already present are skipped, so re-running is cheap.
# Usage (as root, or with sudo available): packaging/install-deps.sh
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # core: GDAL, LibTorch (CPU) on OpenBLAS, JSON, CLI
  libgdal-dev gdal-bin libtorch-dev libopenblas0-pthread
  nlohmann-json3-dev libcli11-dev
  # analyst application: Qt 6 Widgets + Charts + Linguist
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libgl-dev
  # QGIS plugin: QGIS 3.22 (Qt 5), Qwt, Linguist for Qt 5, qgis_process
  libqgis-dev qgis qgis-providers python3-qgis libqwt-qt5-dev
  qtbase5-dev qttools5-dev qttools5-dev-tools
  # tests and benchmarks: headless display, sqlite for GeoPackage checks
  xvfb xauth libbenchmark-dev sqlite3 dpkg-dev file
  # PyTorch checkpoint importer: zlib's CRC-32; its tests' fixtures are written by torch.save
  zlib1g-dev python3-torch
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Debian's libtorch links libblas.so.3; make sure the alternative points at
# OpenBLAS (a 1024x1024 GEMM is ~32x slower on the reference BLAS).
arch_dir=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for lib in libblas.so.3 liblapack.so.3; do
  target="/usr/lib/${arch_dir}/openblas-pthread/${lib}"
  if [ -e "$target" ]; then
    current=$(update-alternatives --query "${lib}-${arch_dir}" 2>/dev/null | awk '/^Value:/{print $2}')
    if [ "$current" != "$target" ]; then
      ${SUDO:-} update-alternatives --set "${lib}-${arch_dir}" "$target"
    fi
  fi
done
echo "install-deps: done"
