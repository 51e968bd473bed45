// Package model loads a model artifact (an ONNX file plus its manifest),
// turns request instances into input tensors and runs them through an
// inference engine.
//
// An artifact is a directory holding model.onnx and manifest.json. The
// manifest names the model, lists its labels, describes how an instance
// becomes a feature vector (the featurizer) and pins the ONNX file's sha256,
// which [Load] checks before anything else. Load then runs one warm-up
// inference, so a model that the engine cannot run (an unsupported operator
// fails only when executed) fails the cold start instead of the first user.
//
// Engines sit behind the [Engine] interface. The default, "gonnx", runs
// opset-13 graphs in pure Go, so the Lambda binary stays static and cgo-free.
// Other engines register themselves with [RegisterEngine] from files guarded
// by build tags (see engine_onnxruntime.go, tag onnxruntime).
package model
