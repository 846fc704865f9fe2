#!/usr/bin/env bash
# Builds kube-score from the published github.com/zegl/kube-score Go module
# into a cache directory outside the repository, keyed by version (the same
# scheme as tools/kube-apiserver/build.sh).
#
# Prints exactly one line on stdout: the path of the kube-score binary (use it
# as KUBE_SCORE). Progress goes to stderr. A cached build is reused; the first
# build takes about a minute on 2 cores.
#
# Environment:
#   KUBE_ASSETS_CACHE  cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
version=$(awk '$1 == "require" && $2 == "github.com/zegl/kube-score" { print $3 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no github.com/zegl/kube-score version in go.mod" >&2; exit 1; }
cache_root=${KUBE_ASSETS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex}
dir="$cache_root/kube-score/$version"
bin="$dir/kube-score"
log() { printf 'kube-score build: %s\n' "$*" >&2; }

mkdir -p "$dir"
# `kube-score version` prints "kube-score version: <v>, commit: ..., built: ...".
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "version: $version,"; then
  log "reusing $bin ($version)"
else
  command -v go >/dev/null 2>&1 || { log "Go is required to build kube-score"; exit 1; }
  log "building kube-score $version"
  tmp="$dir/kube-score.partial.$$"
  trap 'rm -f "$tmp"' EXIT
  # -mod=readonly: go.mod and go.sum are committed; a build must not rewrite them.
  # A module build has no release stamping; `kube-score version` reads main.version.
  (cd "$here" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
      -ldflags "-s -w -X main.version=$version -X main.commit=module -X main.date=module" \
      -o "$tmp" github.com/zegl/kube-score/cmd/kube-score) >&2
  mv "$tmp" "$bin"
  trap - EXIT
  log "built $("$bin" version)"
fi

echo "$bin"
