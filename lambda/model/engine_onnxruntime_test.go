//go:build cgo && !purego

package model_test

import (
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/costguard-ml/costguard/internal/ortlib"
	"github.com/costguard-ml/costguard/lambda/model"
)

func needORT(t testing.TB) {
	t.Helper()
	if _, err := ortlib.Find(runtime.GOARCH); err != nil {
		t.Skipf("ONNX Runtime library missing (make deps fetches it): %v", err)
	}
}

// TestONNXRuntimeMatchesGonnx runs the committed models on both engines and
// expects the same probabilities within 1e-5.
func TestONNXRuntimeMatchesGonnx(t *testing.T) {
	needORT(t)
	t.Run("spam", func(t *testing.T) {
		g, o := loadBoth(t, spamDir)
		texts := []string{"Make money fast working from home!!! Order now.", "Re: patch\n\nThanks, applied to CVS.", ""}
		bg, bo := g.NewBatch(3), o.NewBatch(3)
		for _, s := range texts {
			_ = g.AddText(bg, s)
			_ = o.AddText(bo, s)
		}
		comparePredictions(t, g, o, bg, bo)
	})
	t.Run("digits", func(t *testing.T) {
		g, o := loadBoth(t, "../models/digits")
		bg, bo := g.NewBatch(3), o.NewBatch(3)
		for i := range 3 {
			v := make([]float64, 64)
			for j := range v {
				v[j] = float64((i*7 + j*3) % 17)
			}
			if err := g.AddRow(bg, v); err != nil {
				t.Fatal(err)
			}
			_ = o.AddRow(bo, v)
		}
		comparePredictions(t, g, o, bg, bo)
	})
}

func loadBoth(t *testing.T, dir string) (g, o *model.Model) {
	t.Helper()
	g, err := model.Load(dir, model.Options{Engine: "gonnx"})
	if err != nil {
		t.Fatal(err)
	}
	o, err = model.Load(dir, model.Options{Engine: "onnxruntime", IntraOpThreads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close(); _ = o.Close() })
	return g, o
}

func comparePredictions(t *testing.T, g, o *model.Model, bg, bo *model.Batch) {
	t.Helper()
	pg, err := g.Predict(bg)
	if err != nil {
		t.Fatal(err)
	}
	po, err := o.Predict(bo)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pg {
		if pg[i].Label != po[i].Label {
			t.Errorf("instance %d: gonnx says %s, onnxruntime %s", i, pg[i].Label, po[i].Label)
		}
		for l, s := range pg[i].Scores {
			if d := math.Abs(s - po[i].Scores[l]); d > 1e-5 {
				t.Errorf("instance %d label %s: gonnx %v, onnxruntime %v (|Δ| %.2g > 1e-5)", i, l, s, po[i].Scores[l], d)
			}
		}
	}
}

// TestONNXRuntimeTensors runs a graph with an int64 input, an int64 output
// (ArgMax, like an ai.onnx.ml classifier's label) and dynamic axes.
func TestONNXRuntimeTensors(t *testing.T) {
	needORT(t)
	e, err := model.NewEngine("onnxruntime", model.EngineSpec{ONNX: tensorsGraph(t), Inputs: []string{"x", "ids"}, Outputs: []string{"label", "probs", "twice"}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, n := range []int64{1, 3} {
		x := make([]float32, n*4)
		ids := make([]int64, n*2)
		for i := range n {
			x[i*4+(i%4)] = 5
			ids[i*2], ids[i*2+1] = i, -i
		}
		out, err := e.Run([]model.Tensor{
			{Name: "ids", DType: model.Int64, Shape: []int64{n, 2}, Int64: ids},
			{Name: "x", DType: model.Float32, Shape: []int64{n, 4}, Float32: x},
		}, []string{"twice", "label", "probs"})
		if err != nil {
			t.Fatal(err)
		}
		if tw := out[0]; tw.DType != model.Int64 || !slices.Equal(tw.Shape, []int64{n, 2}) || tw.Int64[len(tw.Int64)-2] != 2*(n-1) {
			t.Errorf("n=%d: twice = %+v", n, tw)
		}
		if l := out[1]; l.DType != model.Int64 || !slices.Equal(l.Shape, []int64{n}) || l.Int64[n-1] != (n-1)%4 {
			t.Errorf("n=%d: label = %+v", n, l)
		}
		if p := out[2]; p.DType != model.Float32 || !slices.Equal(p.Shape, []int64{n, 4}) || p.Float32[0] < 0.9 {
			t.Errorf("n=%d: probs = %+v", n, p)
		}
	}
	if _, err := e.Run([]model.Tensor{{Name: "x", DType: model.Float32, Shape: []int64{1, 4}, Float32: make([]float32, 3)}}, []string{"label"}); err == nil {
		t.Error("a tensor with 3 values for shape [1 4] and a missing input ran")
	}
}
