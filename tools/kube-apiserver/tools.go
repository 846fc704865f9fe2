//go:build tools

// Package tools pins the commands build.sh builds, so that `go mod tidy` keeps
// their dependencies in this one go.mod: kube-apiserver, kube-controller-manager
// and kube-scheduler always come from the same k8s.io/kubernetes version.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
