#!/usr/bin/env bash
# Builds KWOK's controller (sigs.k8s.io/kwok/cmd/kwok) from the Go module proxy
# into a cache directory outside the repository, keyed by version, together
# with KWOK's default "fast" Stage definitions read from the same module
# (kwok v0.8.0 loads stages only from --config files or Stage objects).
#
# Usage: build.sh [assets-dir]
#   With an asset directory (e.g. $KUBEBUILDER_ASSETS), links `kwok` and
#   `kwok-stages.yaml` into it, envtest-style, so tests find every binary there.
#
# Prints exactly one line on stdout: the directory holding kwok and
# kwok-stages.yaml (the asset directory when given). Progress, and how long the
# build took, goes to stderr. About 4 minutes on 2 cores the first time.
#
# Environment:
#   KUBE_ASSETS_CACHE  cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
version=$(awk '$1 == "require" && $2 == "sigs.k8s.io/kwok" { print $3 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no sigs.k8s.io/kwok version in go.mod" >&2; exit 1; }
cache_root=${KUBE_ASSETS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex}
dir="$cache_root/kwok/$version"
log() { printf 'kwok build: %s\n' "$*" >&2; }
# What `kwok --version` prints for a build stamped with $version.
stamped() { "$1" --version 2>/dev/null | grep -q -- "${version#v}"; }

mkdir -p "$dir"
if [ -x "$dir/kwok" ] && stamped "$dir/kwok" && [ -s "$dir/kwok-stages.yaml" ]; then
  log "reusing $dir/kwok ($version)"
else
  command -v go >/dev/null 2>&1 || { log "Go is required to build kwok"; exit 1; }
  log "building kwok $version"
  started=$SECONDS
  tmp="$dir/kwok.partial.$$"
  trap 'rm -f "$tmp"' EXIT
  (cd "$here" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
      -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${version#v}" \
      -o "$tmp" sigs.k8s.io/kwok/cmd/kwok) >&2
  # The fast stages, exactly as KWOK ships them (kustomize/stage/fast lists them).
  src=$(cd "$here" && go mod download -json "sigs.k8s.io/kwok@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src/kustomize/stage" ] || { log "no kustomize/stage in $src"; exit 1; }
  # Follow the kustomizations' `resources:` lists rather than naming files here.
  resources() { sed -n 's/^- \(.*\)$/\1/p' "$1/kustomization.yaml"; }
  : > "$dir/kwok-stages.yaml.partial"
  for sub in $(resources "$src/kustomize/stage/fast"); do
    for f in $(resources "$src/kustomize/stage/fast/$sub"); do
      { echo "---"; cat "$src/kustomize/stage/fast/$sub/$f"; } >> "$dir/kwok-stages.yaml.partial"
    done
  done
  grep -q '^kind: Stage' "$dir/kwok-stages.yaml.partial" || { log "no Stage found under $src/kustomize/stage/fast"; exit 1; }
  mv "$dir/kwok-stages.yaml.partial" "$dir/kwok-stages.yaml"
  mv "$tmp" "$dir/kwok"
  trap - EXIT
  log "built kwok $version in $((SECONDS - started))s"
fi

if [ $# -gt 0 ]; then
  mkdir -p "$1"
  ln -sf "$dir/kwok" "$1/kwok"
  ln -sf "$dir/kwok-stages.yaml" "$1/kwok-stages.yaml"
  echo "$1"
else
  echo "$dir"
fi
