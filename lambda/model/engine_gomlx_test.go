//go:build purego || !cgo || gomlx

package model_test

import (
	"math"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
)

// TestGomlxMatchesGonnx runs the committed models on gomlx and gonnx and
// expects the same probabilities within 1e-5.
func TestGomlxMatchesGonnx(t *testing.T) {
	for _, dir := range []string{spamDir, "../models/digits"} {
		t.Run(dir, func(t *testing.T) {
			g, err := model.Load(dir, model.Options{Engine: "gonnx"})
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			x, err := model.Load(dir, model.Options{Engine: "gomlx"})
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			bg, bx := g.NewBatch(3), x.NewBatch(3)
			for i := range 3 {
				if g.Manifest.Task == model.TaskText {
					s := []string{"Make money fast working from home!!! Order now.", "Re: patch\n\nThanks, applied to CVS.", ""}[i]
					_ = g.AddText(bg, s)
					_ = x.AddText(bx, s)
					continue
				}
				v := make([]float64, g.Manifest.Tabular.Width)
				for j := range v {
					v[j] = float64((i*7 + j*3) % 17)
				}
				_ = g.AddRow(bg, v)
				_ = x.AddRow(bx, v)
			}
			pg, err := g.Predict(bg)
			if err != nil {
				t.Fatal(err)
			}
			px, err := x.Predict(bx)
			if err != nil {
				t.Fatal(err)
			}
			for i := range pg {
				for l, s := range pg[i].Scores {
					if d := math.Abs(s - px[i].Scores[l]); d > 1e-5 || pg[i].Label != px[i].Label {
						t.Errorf("instance %d label %s: gonnx %v, gomlx %v", i, l, s, px[i].Scores[l])
					}
				}
			}
		})
	}
}
