#!/usr/bin/env bash
# Builds Kubernetes control-plane components from the published
# k8s.io/kubernetes Go module into a cache directory outside the repository,
# keyed by version, and lays out an envtest-style asset directory there
# (kube-apiserver, etcd, and on request kube-controller-manager, kube-scheduler).
# Every component comes from this directory's one go.mod, so they always share
# one Kubernetes version.
#
# Usage: build.sh [component...]   (default: kube-apiserver)
#   components: kube-apiserver kube-controller-manager kube-scheduler, or `all`
#
# Prints exactly one line on stdout: the directory to use as KUBEBUILDER_ASSETS.
# Progress, and how long each build took, goes to stderr. A cached build is
# reused; on 2 cores kube-apiserver takes about 10 minutes the first time, each
# further component 4-6 minutes (the Go build cache is shared).
#
# Environment:
#   KUBE_ASSETS_CACHE  cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$here/go.mod")
[ -n "$version" ] || { echo "build.sh: no k8s.io/kubernetes version in go.mod" >&2; exit 1; }
cache_root=${KUBE_ASSETS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-abi-vecodex}
assets="$cache_root/kubebuilder-assets/$version"
log() { printf 'kubernetes build: %s\n' "$*" >&2; }

all=(kube-apiserver kube-controller-manager kube-scheduler)
components=("$@")
[ ${#components[@]} -gt 0 ] || components=(kube-apiserver)
[ "${components[*]}" != all ] || components=("${all[@]}")
for component in "${components[@]}"; do
  case " ${all[*]} " in *" $component "*) ;; *) log "unknown component '$component' (allowed: ${all[*]}, all)"; exit 2 ;; esac
done

mkdir -p "$assets"
tmp=
trap '[ -z "$tmp" ] || rm -f "$tmp"' EXIT
for component in "${components[@]}"; do
  binary="$assets/$component"
  if [ -x "$binary" ] && [ "$("$binary" --version 2>/dev/null)" = "Kubernetes $version" ]; then
    log "reusing $binary ($("$binary" --version))"
    continue
  fi
  command -v go >/dev/null 2>&1 || { log "Go is required to build $component"; exit 1; }
  log "building $component $version"
  started=$SECONDS
  tmp="$binary.partial.$$"
  # -mod=readonly: go.mod and go.sum are committed; a build must not rewrite them.
  # A module build has no git tree to stamp the version from; /version,
  # --version and kubectl's skew check read these.
  minor=$(echo "$version" | cut -d. -f2)
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version"
  ldflags="$ldflags -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  ldflags="$ldflags -X k8s.io/component-base/version.gitTreeState=clean"
  (cd "$here" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" \
      -o "$tmp" "k8s.io/kubernetes/cmd/$component") >&2
  mv "$tmp" "$binary"
  tmp=
  log "built $component $("$binary" --version) in $((SECONDS - started))s"
done

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
