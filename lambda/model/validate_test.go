package model_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/testmodel"

	"github.com/costguard-ml/costguard/lambda/model"
)

// copyModel copies a committed model directory into a temporary one and
// applies edit to its manifest.
func copyModel(t *testing.T, name string, edit func(*model.Manifest)) string {
	t.Helper()
	return testmodel.Copy(t, "../..", name, edit)
}

// TestValidateDir is what synth runs on every model directory: one row per
// way a directory can be unfit, each refused in one line naming it.
func TestValidateDir(t *testing.T) {
	for _, name := range []string{"spam", "digits", "mobilenet", "mobilenet17", "cnn", "bert", "bert13", "iris-linear", "wine-forest"} {
		t.Run("committed/"+name, func(t *testing.T) {
			// ONNX Runtime serves them all, whatever the engines of this build.
			if err := model.ValidateDir(filepath.Join("..", "models", name), "onnxruntime"); err != nil {
				t.Fatal(err)
			}
		})
	}
	tests := []struct {
		name   string
		dir    func(t *testing.T) string
		engine string
		want   string
	}{
		{"no manifest", func(t *testing.T) string { return t.TempDir() }, "", "read manifest"},
		{"no model file", func(t *testing.T) string {
			d := copyModel(t, "iris-linear", nil)
			_ = os.Remove(filepath.Join(d, model.ONNXFile))
			return d
		}, "", "model.onnx (named by manifest.json's onnx.file) is missing or unreadable"},
		{"sha256 mismatch", func(t *testing.T) string {
			return copyModel(t, "iris-linear", func(m *model.Manifest) { m.ONNX.SHA256 = strings.Repeat("0", 64) })
		}, "", "model.onnx has sha256 913a63e3"},
		{"operator the engine lacks", func(t *testing.T) string { return copyModel(t, "mobilenet", nil) }, "gonnx", "Clip"},
		{"manifest's engine lacks an operator", func(t *testing.T) string {
			return copyModel(t, "wine-forest", func(m *model.Manifest) { m.Engine = "gonnx" })
		}, "", "TreeEnsembleClassifier"},
		{"input the pipeline cannot fill", func(t *testing.T) string {
			return copyModel(t, "bert", func(m *model.Manifest) { m.Text.TokenTypeIDs = "" })
		}, "", `input "token_type_ids" (int64 [batch,sequence]): the text-classification pipeline cannot fill it`},
		{"input the graph lacks", func(t *testing.T) string {
			return copyModel(t, "cnn", func(m *model.Manifest) { m.Image.Input = "pixels" })
		}, "", `input "pixels": the graph has no such input`},
		{"image size", func(t *testing.T) string {
			return copyModel(t, "mobilenet", func(m *model.Manifest) { m.Image.Height = 32 })
		}, "", `input "input" has shape [batch,3,64,64]; the pipeline sends [-1 3 32 64]`},
		{"layout", func(t *testing.T) string {
			return copyModel(t, "cnn", func(m *model.Manifest) { m.Image.Layout = "NHWC" })
		}, "", `the pipeline sends [-1 32 32 3]`},
		{"feature count", func(t *testing.T) string {
			return copyModel(t, "wine-forest", func(m *model.Manifest) { m.Tabular.Width, m.Tabular.Features = 12, nil })
		}, "", "the pipeline sends [-1 12]"},
		{"labels", func(t *testing.T) string {
			return copyModel(t, "bert", func(m *model.Manifest) { m.Labels = append(m.Labels, "phishing") })
		}, "", `labels: 3 given, output "logits" has 2 columns`},
		{"integer output", func(t *testing.T) string {
			return copyModel(t, "wine-forest", func(m *model.Manifest) { m.Output = "label" })
		}, "", `output "label" is int64`},
		{"missing tokenizer", func(t *testing.T) string {
			d := copyModel(t, "bert", nil)
			_ = os.Remove(filepath.Join(d, "tokenizer.json"))
			return d
		}, "", "text.tokenizer: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := model.ValidateDir(tt.dir(t), tt.engine)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ValidateDir = %v, want an error with %q", err, tt.want)
			}
		})
	}
}
