#!/usr/bin/env bash
# Builds kube-apiserver from the published k8s.io/kubernetes Go module into a
# cache directory outside the repository, keyed by version, and lays out an
# envtest-style asset directory (kube-apiserver, etcd) there.
#
# Prints exactly one line on stdout: the directory to use as KUBEBUILDER_ASSETS.
# Progress goes to stderr. A cached build is reused; the first build takes
# about 10 minutes on 2 cores.
#
# Environment:
#   KUBE_ASSETS_CACHE  cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no k8s.io/kubernetes version in go.mod" >&2; exit 1; }
cache_root=${KUBE_ASSETS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex}
assets="$cache_root/kubebuilder-assets/$version"
log() { printf 'kube-apiserver build: %s\n' "$*" >&2; }

mkdir -p "$assets"
if [ -x "$assets/kube-apiserver" ] && [ "$("$assets/kube-apiserver" --version 2>/dev/null)" = "Kubernetes $version" ]; then
  log "reusing $assets/kube-apiserver ($("$assets/kube-apiserver" --version))"
else
  command -v go >/dev/null 2>&1 || { log "Go is required to build kube-apiserver"; exit 1; }
  log "building kube-apiserver $version (about 10 minutes on 2 cores)"
  tmp="$assets/kube-apiserver.partial.$$"
  trap 'rm -f "$tmp"' EXIT
  # -mod=readonly: go.mod and go.sum are committed; a build must not rewrite them.
  # A module build has no git tree to stamp the version from; /version and
  # kubectl's skew check read these.
  minor=$(echo "$version" | cut -d. -f2)
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version"
  ldflags="$ldflags -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  ldflags="$ldflags -X k8s.io/component-base/version.gitTreeState=clean"
  (cd "$here" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" \
      -o "$tmp" k8s.io/kubernetes/cmd/kube-apiserver) >&2
  mv "$tmp" "$assets/kube-apiserver"
  trap - EXIT
  log "built $("$assets/kube-apiserver" --version)"
fi

# envtest's layout keeps etcd beside kube-apiserver. Debian's etcd-server is
# used when etcd is not already in the asset directory.
if [ ! -x "$assets/etcd" ]; then
  if ! command -v etcd >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      log "installing Debian's etcd-server"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >&2
    else
      log "etcd not found: install Debian's etcd-server (apt-get install etcd-server)"; exit 1
    fi
  fi
  ln -sf "$(command -v etcd)" "$assets/etcd"
fi

echo "$assets"
