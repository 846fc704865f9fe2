#!/usr/bin/env bash
# npm run bench [-- options of bench/run.ts]
# Compiles src/ and bench/ into a private temp dir (so a concurrent
# `npm run build` cannot swap lib/ under a running benchmark), runs the
# benchmark from there, and removes the build. Results: see bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
build="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-synth-bench-build-XXXXXX")"
trap 'rm -rf "$build"' EXIT
# Type errors (say, another change in flight) do not stop the emit; the
# benchmark measures the emitted JavaScript and says so.
npx tsc -p bench/tsconfig.json --outDir "$build" || echo "bench: WARNING: type errors above; measuring the emitted JavaScript anyway" >&2
NODE_PATH="$PWD/node_modules${NODE_PATH:+:$NODE_PATH}" node "$build/bench/run.js" --repo "$PWD" --lib "$build" "$@"
