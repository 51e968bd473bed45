package model_test

import (
	"math"
	"testing"

	"github.com/costguard-ml/costguard/internal/modelref"
	"github.com/costguard-ml/costguard/lambda/model"
)

// TestExporterReferences serves every committed test model (torch and
// scikit-learn exports) with every engine of this build that accepts the
// graph (ONNX Runtime in a cgo build; gonnx and gomlx in a pure-Go build:
// `CGO_ENABLED=0 go test`) and compares the scores with what the
// exporter's framework computed: within 1e-4 where the input decodes the
// same everywhere (PNG at the model's size, texts, rows), the same top
// label where decoders differ (JPEG, resized images).
func TestExporterReferences(t *testing.T) {
	names, err := modelref.Names("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 7 {
		t.Fatalf("found %d test models with references (%q), want the 7 committed ones", len(names), names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ref, err := modelref.Load("../..", name)
			if err != nil {
				t.Fatal(err)
			}
			if len(ref.Cases) == 0 {
				t.Fatal("reference has no cases")
			}
			served := 0
			for _, engine := range model.Engines() {
				if model.ValidateDir("../models/"+name, engine) != nil {
					continue // the engine lacks an operator: TestValidateDir covers the refusal
				}
				served++
				t.Run(engine, func(t *testing.T) { checkReference(t, "../models/"+name, engine, ref) })
			}
			// ONNX Runtime serves every model; a pure-Go build serves the
			// torch exports, not the scikit-learn (ai.onnx.ml) tabular ones.
			if served == 0 && (model.HasEngine(model.NativeEngine) || ref.Task != model.TaskTabular) {
				t.Errorf("no engine of this build (%q) serves %s", model.Engines(), name)
			}
		})
	}
}

// checkReference serves the model in dir with engine and compares each of
// the reference's cases and batches with the exporter's scores.
func checkReference(t *testing.T, dir, engine string, ref *modelref.Reference) {
	m, err := model.Load(dir, model.Options{Engine: engine})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			b := m.NewBatch(1)
			if err := m.Add(b, c.Instance); err != nil {
				t.Fatal(err)
			}
			preds, err := m.Predict(b)
			if err != nil {
				t.Fatal(err)
			}
			checkPrediction(t, ref.Labels, preds[0], c.Probabilities, c.Top, c.Exact)
		})
	}
	for _, bt := range ref.Batches {
		t.Run(bt.Name, func(t *testing.T) {
			b := m.NewBatch(len(bt.Instances))
			for _, in := range bt.Instances {
				if err := m.Add(b, in); err != nil {
					t.Fatal(err)
				}
			}
			preds, err := m.Predict(b)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range preds {
				checkPrediction(t, ref.Labels, p, bt.Probabilities[i], "", true)
			}
		})
	}
}

func checkPrediction(t *testing.T, labels []string, p model.Prediction, want []float64, top string, exact bool) {
	t.Helper()
	if top != "" && p.Label != top {
		t.Errorf("label %q, exporter says %q (scores %v)", p.Label, top, p.Scores)
	}
	if !exact {
		return
	}
	if len(want) != len(labels) {
		t.Fatalf("reference has %d probabilities for %d labels", len(want), len(labels))
	}
	for i, l := range labels {
		if d := math.Abs(p.Scores[l] - want[i]); d > 1e-4 {
			t.Errorf("score of %q is %.6f, exporter says %.6f (|Δ| %.2g > 1e-4)", l, p.Scores[l], want[i], d)
		}
	}
}
