#!/usr/bin/env bash
# Builds everything and runs every test:
#  1. Release build, all unit and end-to-end tests (ctest);
#  2. the unit and end-to-end tests again under AddressSanitizer + UBSan;
#  3. every fuzz target (clang + libFuzzer) for a bounded time over its corpus.
# The real PP-OCRv4 models the end-to-end tests use are fetched first into
# cache/models (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="$(nproc)"
"$root/scripts/install-deps.sh"
"$root/scripts/fetch-models.sh"

echo "== release build and tests" >&2
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$jobs"
(cd "$root/build" && ctest --output-on-failure -j"$jobs")

if [ "${AUTOSCALE_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== sanitizer build and tests" >&2
  cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DAUTOSCALE_SANITIZE=ON \
    -DAUTOSCALE_BENCH=OFF >/dev/null
  cmake --build "$root/build-asan" -j"$jobs"
  (cd "$root/build-asan" && ctest --output-on-failure -j"$jobs")
fi

if [ "${AUTOSCALE_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz targets" >&2
  CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_BUILD_TYPE=Debug \
    -DAUTOSCALE_FUZZ=ON -DAUTOSCALE_TESTS=OFF -DAUTOSCALE_BENCH=OFF >/dev/null
  cmake --build "$root/build-fuzz" -j"$jobs" --target all
  (cd "$root/build-fuzz" && ctest --output-on-failure -R '^fuzz: ')
fi
echo "all tests passed" >&2
