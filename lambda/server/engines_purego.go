//go:build !cgo || purego || gonnx

package server

// gonnx is the default engine of a cgo-free build; -tags gonnx adds it to
// a cgo one. The native Lambda build leaves it out, and with it gonnx's
// dependency tree (see package gonnxengine).
import _ "github.com/costguard-ml/costguard/lambda/model/gonnxengine"
