//go:build tools

// Pins kube-score for build.sh: `go mod tidy` keeps what this file imports.
package tools

import _ "github.com/zegl/kube-score/cmd/kube-score"
