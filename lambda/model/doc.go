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
// # Engines
//
// Engines sit behind the [Engine] interface: named float32 and int64
// tensors in and out, dynamic shapes, safe for concurrent use. They register
// by name with [RegisterEngine]; [InspectONNX] reads a graph's signature,
// opsets and operators in pure Go, and [CheckEngine] says in one line why an
// engine cannot run it, so `costguard model init` and synth can refuse a
// model before it is deployed.
//
//   - "onnxruntime" (engine_onnxruntime.go): ONNX Runtime 1.24.1 through
//     cgo, the default of every cgo build, the Lambda build included. It runs
//     every ai.onnx (up to opset 25) and ai.onnx.ml (up to 5) operator: torch exports
//     (MobileNet, BERT-class encoders, CNNs with pooling and BatchNorm) and
//     scikit-learn's classifiers. The library comes from internal/ortlib.
//     A model directory packaged for it holds the graph ONNX Runtime
//     optimized once at synth ([ORTOptimizedFile], [WriteORTOptimized]),
//     which [Load] builds the session from, so a cold start skips ORT's
//     graph optimizations.
//   - "gonnx" (package gonnxengine, registered when imported): pure Go,
//     opset 13 only, a short operator list (Gemm/MatMul, activations, Conv
//     without pooling, GRU/LSTM). It serves the project's MLPs and is the
//     default of a cgo-free build (-tags purego or CGO_ENABLED=0), where
//     package server links it; the native Lambda build does not (gonnx's
//     dependency tree is a third of its executable and 1 ms of its start),
//     -tags gonnx adds it back.
//   - "gomlx" (engine_gomlx.go): github.com/gomlx/onnx-gomlx on GoMLX's
//     pure-Go simplego backend, in cgo-free builds (and with -tags gomlx).
//     It runs what gonnx cannot (Clip, pooling, BatchNormalization,
//     LayerNormalization, Erf, opsets past 13) for users who want one
//     static binary, but not ai.onnx.ml.
//
// Why gonnx stays the pure-Go default, measured on the spam MLP
// (4096-32-2), the three engines side by side in one run on a shared 2-core
// x86 (go test -tags gomlx -bench Spam -count 3, one thread, medians):
//
//	engine        warm, 1 instance   warm, batch 16, per instance   Load (decode+build+warm-up)
//	onnxruntime    17 µs              4.6 µs                          3.3 ms
//	gonnx          27 µs              6.6 µs                          1.4 ms
//	gomlx          1,513 µs           289 µs                          23 ms
//
// gomlx is 40-55× slower than gonnx on small MLPs (it allocates 560 KB per
// run and compiles a graph for each new input shape) and adds 4 MB to the binary (amd64 18.7 →
// 22.7 MB) and 2.4 ms of package initialisation (GODEBUG=inittrace) to
// every cold start, so it is the pure-Go engine for the models only it can
// run, and gonnx the one for MLPs. The probes put gomlx at 20× (BERT)
// to 700× (MobileNet) ONNX Runtime's time: acceptable for a small text
// model at low traffic, not for images.
package model
