#!/usr/bin/env bash
# Installs the dependencies, then builds autoscale (Release) into build/.
# The command lands at build/bin/autoscale.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release ${AUTOSCALE_CMAKE_ARGS:-} >/dev/null
cmake --build "$root/build" -j"$(nproc)"
echo "built $root/build/bin/autoscale" >&2
