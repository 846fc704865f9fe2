//go:build tools

// Package tools pins Argo CD's command so that `go mod tidy` keeps its
// dependencies; build.sh builds it with `go build`.
package tools

import _ "github.com/argoproj/argo-cd/v3/cmd"
