#!/usr/bin/env bash
# Builds Argo CD's one multi-call binary `argocd` (github.com/argoproj/argo-cd/v3/cmd)
# from the Go module proxy into a cache directory outside the repository, keyed
# by version, for the GitOps engine test tier (test/gitops-engines/). The
# binary picks its component from argv[0] (or ARGOCD_BINARY_NAME), so the
# application-controller and repo-server are links named
# argocd-application-controller and argocd-repo-server. Its CRDs are not
# copied: the tests read them from the same module version in the Go module
# cache (manifests/crds).
#
# Usage: build.sh [assets-dir]
#   With an asset directory (e.g. $KUBEBUILDER_ASSETS), links the binary and
#   its component names into it, envtest-style.
#
# Prints exactly one line on stdout: the directory holding the binaries (the
# asset directory when given). Progress, and how long the build took, goes to
# stderr. Argo CD's go.mod asks for Go 1.27; GOTOOLCHAIN fetches that toolchain
# through the Go module proxy when the installed Go is older.
#
# Environment:
#   KUBE_ASSETS_CACHE  cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex)
#   ARGOCD_GOTOOLCHAIN Go toolchain to build with (default: go1.27.4)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${KUBE_ASSETS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex}
export GOTOOLCHAIN=${ARGOCD_GOTOOLCHAIN:-go1.27.4}
log() { printf 'argocd build: %s\n' "$*" >&2; }
module=github.com/argoproj/argo-cd/v3
version=$(awk -v m="$module" '$1 == "require" && $2 == m { print $3 }' "$here/go.mod")
[ -n "$version" ] || { log "no $module version in go.mod"; exit 1; }
dir="$cache_root/argocd/$version"
components=(argocd-application-controller argocd-repo-server)

# The binary is moved into its versioned directory only after a build
# succeeded, so its presence there means it is complete.
if [ -x "$dir/argocd" ]; then
  log "reusing $dir/argocd ($version)"
else
  command -v go >/dev/null 2>&1 || { log "Go is required to build argocd"; exit 1; }
  mkdir -p "$dir"
  log "building argocd $version with $GOTOOLCHAIN"
  started=$SECONDS
  tmp="$dir/argocd.partial.$$"
  trap 'rm -f "$tmp"' EXIT
  # -mod=readonly: go.mod and go.sum are committed; a build must not rewrite them.
  # common.version is what `argocd version` and the components' logs report.
  (cd "$here" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
      -ldflags "-s -w -X $module/common.version=${version#v} -X $module/common.gitTreeState=clean" \
      -o "$tmp" "$module/cmd") >&2
  mv "$tmp" "$dir/argocd"
  trap - EXIT
  log "built argocd $version in $((SECONDS - started))s"
fi
for component in "${components[@]}"; do ln -sf argocd "$dir/$component"; done

if [ $# -gt 0 ]; then
  mkdir -p "$1"
  for name in argocd "${components[@]}"; do ln -sf "$dir/argocd" "$1/$name"; done
  echo "$1"
else
  echo "$dir"
fi
