//go:build !cgo || purego

package model

// DefaultEngine is the engine used when none is named: the pure-Go engine
// in a build without cgo (CGO_ENABLED=0 or -tags purego).
const DefaultEngine = "gonnx"
