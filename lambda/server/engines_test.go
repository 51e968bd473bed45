package server_test

// The golden answers come from gonnx in every build (golden_test.go).
import _ "github.com/costguard-ml/costguard/lambda/model/gonnxengine"
