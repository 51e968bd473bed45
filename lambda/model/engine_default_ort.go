//go:build cgo && !purego

package model

import "github.com/costguard-ml/costguard/internal/ortlib"

// DefaultEngine is the engine used when none is named: ONNX Runtime in a
// cgo build (see engine_onnxruntime.go).
const DefaultEngine = "onnxruntime"

// ortVersion is the ONNX Runtime release this build loads: an
// offline-optimized graph made by another one is passed over (graphFile).
const ortVersion = ortlib.Version
