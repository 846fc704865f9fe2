//go:build tools

// Package tools pins Flux's source-controller and kustomize-controller so that
// `go mod tidy` keeps their dependencies; build.sh builds them with `go build`.
package tools

import (
	_ "github.com/fluxcd/kustomize-controller"
	_ "github.com/fluxcd/source-controller"
)
