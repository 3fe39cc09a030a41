#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests and the benchmarks
# need. Idempotent; runs as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libopencv-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev catch2
  libonnx-dev libprotobuf-dev protobuf-compiler libsimdjson-dev liblmdb-dev
  clang libclang-rt-14-dev
  python3 python3-pil
  python3-dask python3-distributed
  chromium

)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
