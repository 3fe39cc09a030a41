#!/usr/bin/env bash
# Predicted against measured: the time autoscale predicts for serving every
# crop of a dataset with the gears it chooses from a measured cost table, and
# the time the real PP-OCRv4 rec model takes on ONNX Runtime (CPU) to run
# exactly the calls the runtime library's router makes.
#
#   bench/ort/check_prediction.sh [DATASET] [OUT_DIR]
#
# DATASET defaults to ../shared/datasets/icdar2015_train/label.txt (a det
# label file; every box becomes a 48-pixel-high crop, batched per image);
# OUT_DIR to bench/cache/ort/check. Needs a Release build in build/ (with
# bench/route_runs), scripts/fetch-models.sh and bench/ort/setup.sh done.
# CLOCK=cpu (the default) prices and compares with the CPU time of the calls,
# which other work on a shared machine barely changes; CLOCK=wall with the
# wall-clock time (the same on an idle machine, as ONNX Runtime runs one
# thread). Steps:
#   1. autoscale stats --cost_plan: the shapes worth measuring, and the profile;
#   2. measure.js: their latencies on ONNX Runtime (the cost table: its ms
#      column is the chosen clock's);
#   3. autoscale convert --cost_table: gears chosen for that cost, gears.json;
#   4. route_runs: the calls runtime::Deployment makes for every image, and
#      the predicted total;
#   5. run_runs.js: those calls on ONNX Runtime, timed;
#   6. the two totals side by side.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dataset="${1:-$repo/../shared/datasets/icdar2015_train/label.txt}"
out="${2:-$repo/bench/cache/ort/check}"
bin="$repo/build/bin"
models="${AUTOSCALE_MODELS_DIR:-$repo/cache/models}"
model="$models/ch_PP-OCRv4_rec_infer.onnx"
shape="-1,3,48,-1"
threads="${ORT_THREADS:-1}"
clock="${CLOCK:-cpu}"

for f in "$bin/autoscale" "$bin/route_runs" "$model" "$dataset"; do
  [ -e "$f" ] || { echo "check_prediction: $f is missing (see the header of this script)" >&2; exit 1; }
done
mkdir -p "$out"

echo "== 1. plan and profile" >&2
"$bin/autoscale" stats --dataset_path "$dataset" --input_shape="$shape" --quiet \
  --cost_plan "$out/plan.csv" --save_profile "$out/profile.json"
echo "   $(($(wc -l < "$out/plan.csv") - 1)) shapes to measure" >&2

echo "== 2. measure the plan" >&2
# A measurement of the same shapes is kept: measuring takes minutes.
if ! [ -s "$out/measured_table.csv" ] ||
   ! diff -q <(cut -d, -f1-3 "$out/plan.csv") <(cut -d, -f1-3 "$out/measured_table.csv") >/dev/null; then
  node "$repo/bench/ort/measure.js" --model "$model" --plan "$out/plan.csv" \
    --out "$out/measured_table.csv" --threads "$threads" --reps "${REPS:-5}" --warmup 1 \
    --budget-seconds "${BUDGET:-600}"
fi
# The cost table autoscale reads: batch,height,width,ms with the chosen clock.
awk -F, -v clock="$clock" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i;
    print "batch,height,width,ms"; next }
  { print $col["batch"] "," $col["height"] "," $col["width"] "," \
      (clock == "cpu" ? $col["cpu_ms"] : $col["ms"]) }' "$out/measured_table.csv" > "$out/table.csv"

echo "== 3. gears for the measured cost" >&2
rm -rf "$out/model"
"$bin/autoscale" convert --model_path "$model" --profile "$out/profile.json" \
  --cost_table "$out/table.csv" --output_path "$out/model" --json "$out/convert.json"

echo "== 4. the runtime's calls" >&2
"$bin/route_runs" "$out/model/gears.json" "$out/profile.json" > "$out/runs.csv" \
  2> "$out/predicted.json"

echo "== 5. run them" >&2
node "$repo/bench/ort/run_runs.js" --model "$model" --runs "$out/runs.csv" --threads "$threads" \
  > "$out/measured.json"

echo "== 6. predicted against measured" >&2
node -e '
const fs = require("fs");
const [convert, predicted, measured] = process.argv.slice(1, 4).map(f => JSON.parse(fs.readFileSync(f, "utf8")));
const clock = process.argv[4];
const evaluated = convert.evaluation.cost.total;
const p = predicted.predicted;
const m = clock === "cpu" ? measured.total_cpu_ms : measured.total_ms;
console.log(`gears: batch ${convert.gears.batch_size.join(",")}; widths ${convert.gears.width.length}`);
console.log(`calls: ${predicted.runs} routed, ${measured.runs} run`);
console.log(`predicted (${clock} table): evaluation ${evaluated.toFixed(1)} ms, runtime router ${p.toFixed(1)} ${predicted.unit}`);
console.log(`measured: ${measured.total_ms.toFixed(1)} ms wall, ${measured.total_cpu_ms.toFixed(1)} ms CPU`);
console.log(`measured ${clock} / predicted - 1: ${((m / p - 1) * 100).toFixed(1)}%`);
' "$out/convert.json" "$out/predicted.json" "$out/measured.json" "$clock" | tee "$out/summary.txt"
