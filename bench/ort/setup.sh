#!/usr/bin/env bash
# Installs the pinned onnxruntime-node (CPU runtime) into bench/cache/ort, where
# measure.js and run_runs.js load it from. Idempotent: an install of the pinned
# version already in place is kept. The package's install script is skipped: it
# only downloads GPU libraries, and the CPU runtime ships inside the package.
#
#   bench/ort/setup.sh
set -euo pipefail

version="1.30.0"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$repo/bench/cache/ort"
pkg_json="$dest/node_modules/onnxruntime-node/package.json"

fail() { echo "ort setup: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is not installed (Debian: apt-get install nodejs)"
command -v npm >/dev/null 2>&1 || fail "npm is not installed (Debian: apt-get install npm)"

installed_version() {
  [ -s "$pkg_json" ] || return 0
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$pkg_json"
}

if [ "$(installed_version)" = "$version" ]; then
  echo "ort setup: onnxruntime-node $version already in $dest"
  exit 0
fi

mkdir -p "$dest" || fail "cannot create $dest"
# A package.json of its own keeps npm from walking up to another project.
[ -s "$dest/package.json" ] ||
  printf '{"name":"autoscale-ort-bench","private":true}\n' >"$dest/package.json"
(cd "$dest" && npm install --ignore-scripts --no-audit --no-fund --save-exact \
  "onnxruntime-node@$version") || fail "npm install onnxruntime-node@$version failed"

[ "$(installed_version)" = "$version" ] ||
  fail "onnxruntime-node $version not found in $dest after install"
# Loading it proves the CPU binding for this platform is in the package.
(cd "$dest" && node -e 'require("onnxruntime-node")') ||
  fail "onnxruntime-node $version installed but does not load on this machine"
echo "ort setup: onnxruntime-node $version in $dest"
