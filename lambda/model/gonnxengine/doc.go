// Package gonnxengine registers the "gonnx" engine of package model:
// github.com/advancedclimatesystems/gonnx, pure Go, opset 13 only, a short
// operator list (model.CheckEngine knows it without this package). Import
// it for its side effect:
//
//	import _ "github.com/costguard-ml/costguard/lambda/model/gonnxengine"
//
// Why a package of its own: gonnx brings gorgonia's tensor package, gonum,
// arrow, flatbuffers, two protobuf runtimes and encoding/gob, whose package
// initialisation and size (about 6 MB of a 20 MB executable) every cold
// start of a binary that links them pays. The registry decides which
// engines a build links: package server imports this package in cgo-free
// builds (-tags purego or CGO_ENABLED=0), where gonnx is the default
// engine, and with -tags gonnx; the native Lambda build, whose engine is
// ONNX Runtime, leaves it out. The costguard CLI and the trainer always
// link it.
//
// Loading decodes the subset of the ONNX protobuf gonnx reads with
// protowire (onnxwire.go) and, for models of 256 KiB or more on Linux,
// places the float initializers in a huge-page arena (arena_linux.go).
package gonnxengine
