#!/usr/bin/env bash
# Installs only the runtime component of a build into a fresh prefix, builds
# examples/runtime against it, and checks the runs it prints.
# usage: runtime_install_test.sh BUILD_DIR SOURCE_DIR [CXX_COMPILER [LINK_FLAGS]]
# LINK_FLAGS: what a program needs to link the library as this build made it
# (the sanitizer runtimes when the build is instrumented).
set -euo pipefail
build=$1
source=$2
cxx=${3:-c++}
link_flags=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --build "$build" --target autoscale_runtime >/dev/null
cmake --install "$build" --prefix "$work/prefix" --component runtime >/dev/null

# The component holds the runtime and nothing else of the tool.
test -f "$work/prefix/include/autoscale/runtime/router.h"
test -f "$work/prefix/include/autoscale/common/status.h"
if find "$work/prefix" -name "*_test*" -o -name "libautoscale_*" \
    | grep -v libautoscale_runtime.a; then
  echo "runtime component installs more than the runtime" >&2
  exit 1
fi

cmake -S "$source/examples/runtime" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >"$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/example" >"$work/build.log" || { cat "$work/build.log"; exit 1; }

cat >"$work/gears.json" <<'JSON'
{"source_model": "rec.onnx", "input_name": "x", "input_shape": "-1,3,48,-1", "backend": "onnx",
 "cost": {"kind": "pixels", "call_overhead": 10000},
 "models": [
   {"name": "rec_dynamic_bs1_hw", "file": "rec_dynamic_bs1_hw.onnx", "mode": "dynamic_bs1_hw",
    "input_name": "x", "input_shape": "1,3,48,-1", "gears": [[1,3,48,160],[1,3,48,320]],
    "runtime_call": "aclmdlSetDynamicHWSize"},
   {"name": "rec_dynamic_bs4_hw", "file": "rec_dynamic_bs4_hw.onnx", "mode": "dynamic_bs4_hw",
    "input_name": "x", "input_shape": "4,3,48,-1", "gears": [[4,3,48,160]],
    "runtime_call": "aclmdlSetDynamicHWSize"}],
 "failed": []}
JSON

# Crops 0, 2, 3, 4 map to widths 80..140 (one batch-4 call), crop 1 to 300 and
# crop 5 to 2000, shrunk to 320: one batch-1 call each.
expected="batch 4 gear 48x160 crops 3 4 0 2 cost 40720 px
batch 1 gear 48x320 crops 1 cost 25360 px
batch 1 gear 48x320 crops 5 cost 25360 px
total 3 calls, cost 91440 px, 1 shrunk"
actual=$("$work/example/route_crops" "$work/gears.json" 24 60 24 150 24 70 24 40 24 50 24 1000)
if [[ "$actual" != "$expected" ]]; then
  printf 'expected:\n%s\ngot:\n%s\n' "$expected" "$actual" >&2
  exit 1
fi
from_stdin=$(printf '24 60\n24 150\n24 70\n24 40\n24 50\n24 1000\n' |
             "$work/example/route_crops" "$work/gears.json")
[[ "$from_stdin" == "$expected" ]] || { echo "stdin input routed differently" >&2; exit 1; }

if "$work/example/route_crops" "$work/gears.json" 24 x 2>"$work/err"; then
  echo "a bad crop size was accepted" >&2
  exit 1
fi
grep -q "not a crop size: '24 x'" "$work/err"
echo "runtime install and example: ok"
