#!/usr/bin/env bash
# Builds autoscale, then runs the main job on data/samples: learns the gears a
# text recognition model needs from the sample detection labels, and converts
# the sample ONNX model to them with the embedded ONNX backend.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/build.sh"
cd "$root"
out="$root/output/demo"
rm -rf "$out"
set -x
build/bin/autoscale convert \
  --model_path data/samples/sample_det.onnx \
  --input_shape=-1,3,48,-1 \
  --dataset_path data/samples/det_label.txt \
  --output_path "$out" \
  --report "$out/report.html"
{ set +x; } 2>/dev/null
echo
echo "files written to $out:"
ls -l "$out"
