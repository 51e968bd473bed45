package model_test

// The tests run the gonnx engine in every build, the cgo one included,
// against ONNX Runtime and the exporters' references.
import _ "github.com/costguard-ml/costguard/lambda/model/gonnxengine"
