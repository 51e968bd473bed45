//go:build cgo && !purego

package model

// DefaultEngine is the engine used when none is named: ONNX Runtime in a
// cgo build (see engine_onnxruntime.go).
const DefaultEngine = "onnxruntime"
