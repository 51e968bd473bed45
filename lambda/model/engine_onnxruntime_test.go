//go:build onnxruntime && cgo

package model_test

import (
	"math"
	"os"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
)

// TestONNXRuntimeMatchesGonnx runs the committed model on both engines and
// expects the same probabilities. Run it with
//
//	ONNXRUNTIME_LIB=/path/to/libonnxruntime.so go test -tags onnxruntime ./lambda/model
func TestONNXRuntimeMatchesGonnx(t *testing.T) {
	if os.Getenv("ONNXRUNTIME_LIB") == "" {
		t.Fatal("ONNXRUNTIME_LIB is not set: point it at libonnxruntime.so (npm onnxruntime-node ships one)")
	}
	g, err := model.Load(spamDir, model.Options{Engine: "gonnx"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := model.Load(spamDir, model.Options{Engine: "onnxruntime"})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"Make money fast working from home!!! Order now.", "Re: patch\n\nThanks, applied to CVS.", ""}
	bg, bo := g.NewBatch(3), o.NewBatch(3)
	for _, s := range texts {
		_ = g.AddText(bg, s)
		_ = o.AddText(bo, s)
	}
	pg, err := g.Predict(bg)
	if err != nil {
		t.Fatal(err)
	}
	po, err := o.Predict(bo)
	if err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		if pg[i].Label != po[i].Label || math.Abs(pg[i].Scores["spam"]-po[i].Scores["spam"]) > 1e-4 {
			t.Errorf("instance %d: gonnx %v, onnxruntime %v", i, pg[i], po[i])
		}
	}
}
