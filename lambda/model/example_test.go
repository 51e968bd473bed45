package model_test

import (
	"fmt"
	"log"
	"os"

	"github.com/costguard-ml/costguard/lambda/model"
)

// Load a model directory once, then featurize instances into a batch and
// predict. The batch can be reset and reused to avoid allocations.
func ExampleLoad() {
	m, err := model.Load("../models/spam", model.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	b := m.NewBatch(2)
	_ = m.AddText(b, "Make money fast working from home!!! Earn $5000 a week guaranteed. Order now.")
	_ = m.AddText(b, "Re: patch for the build script\n\nThanks, I applied it to CVS.")
	preds, err := m.Predict(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Manifest.Name, m.Manifest.Labels)
	for _, p := range preds {
		fmt.Println(p.Label)
	}
	// Output:
	// spam [ham spam]
	// spam
	// ham
}

// Inspect a model file and ask each engine whether it can run it, as
// `costguard model init` and synth do before anything is deployed.
func ExampleCheckEngine() {
	b, err := os.ReadFile("../models/spam/model.onnx")
	if err != nil {
		log.Fatal(err)
	}
	g, err := model.InspectONNX(b)
	if err != nil {
		log.Fatal(err)
	}
	in := g.Inputs[0]
	fmt.Println(in.Name, in.DType, in.Dims[0].Param, in.Dims[1].Size, g.Operators)
	for _, engine := range []string{"onnxruntime", "gonnx", "gomlx"} {
		fmt.Println(engine, model.CheckEngine(engine, g))
	}
	// Output:
	// features float32 batch 4096 [Add MatMul Relu Softmax]
	// onnxruntime <nil>
	// gonnx <nil>
	// gomlx <nil>
}
