#!/usr/bin/env bash
# Builds Flux's source-controller and kustomize-controller from the Go module
# proxy into a cache directory outside the repository, keyed by version, for
# the GitOps engine test tier (test/gitops-engines/). Their CRDs are not copied:
# the tests read them from the same module versions in the Go module cache
# (config/crd/bases), see test/support/gitops-engines/.
#
# Usage: build.sh [assets-dir]
#   With an asset directory (e.g. $KUBEBUILDER_ASSETS), links both binaries
#   into it, envtest-style, so tests find every binary in one place.
#
# Prints exactly one line on stdout: the directory holding the binaries (the
# asset directory when given). Progress, and how long each build took, goes to
#
# Environment:
#   KUBE_ASSETS_CACHE  cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex)
#   FLUX_GOTOOLCHAIN   Go toolchain to build with (default: local; go.mod asks for Go 1.26)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${KUBE_ASSETS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex}
export GOTOOLCHAIN=${FLUX_GOTOOLCHAIN:-local}
log() { printf 'flux build: %s\n' "$*" >&2; }
required() { awk -v m="$1" '($1 == "require" && $2 == m) || ($1 == m && $2 ~ /^v/) { print ($1 == m ? $2 : $3); exit }' "$here/go.mod"; }

components=(source-controller kustomize-controller)
dirs=()
for component in "${components[@]}"; do
  module="github.com/fluxcd/$component"
  version=$(required "$module")
  [ -n "$version" ] || { log "no $module version in go.mod"; exit 1; }
  dir="$cache_root/flux/$component/$version"
  dirs+=("$dir")
  # The binary is moved into its versioned directory only after a build
  # succeeded, so its presence there means it is complete.
  if [ -x "$dir/$component" ]; then
    log "reusing $dir/$component ($version)"
    continue
  fi
  command -v go >/dev/null 2>&1 || { log "Go is required to build $component"; exit 1; }
  mkdir -p "$dir"
  log "building $component $version with $GOTOOLCHAIN"
  started=$SECONDS
  tmp="$dir/$component.partial.$$"
  trap 'rm -f "$tmp"' EXIT
  # -mod=readonly: go.mod and go.sum are committed; a build must not rewrite them.
  (cd "$here" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "-s -w" \
      -o "$tmp" "$module") >&2
  mv "$tmp" "$dir/$component"
  trap - EXIT
  log "built $component $version in $((SECONDS - started))s"
done

if [ $# -gt 0 ]; then
  mkdir -p "$1"
  for i in "${!components[@]}"; do ln -sf "${dirs[$i]}/${components[$i]}" "$1/${components[$i]}"; done
  echo "$1"
else
  echo "$cache_root/flux"
fi
