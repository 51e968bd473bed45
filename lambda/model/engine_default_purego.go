//go:build !cgo || purego

package model

// DefaultEngine is the engine used when none is named: the pure-Go engine
// in a build without cgo (CGO_ENABLED=0 or -tags purego).
const DefaultEngine = "gonnx"

// ortVersion is empty: this build has no ONNX Runtime, so no
// offline-optimized graph is ever served (graphFile), and internal/ortlib,
// which only names the version, stays out of it.
const ortVersion = ""
