package model_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"github.com/costguard-ml/costguard/lambda/model"
	"google.golang.org/protobuf/proto"
)

// TestCommittedSpamModel pins the committed artifact: the manifest's sha256
// matches the file, the model is small, and it labels known messages right.
func TestCommittedSpamModel(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(spamDir, model.ONNXFile))
	if err != nil {
		t.Fatal(err)
	}
	man, err := model.ReadManifest(spamDir)
	if err != nil {
		t.Fatal(err)
	}
	if got := model.SHA256Hex(b); got != man.ONNX.SHA256 {
		t.Fatalf("model.onnx sha256 %s, manifest says %s", got, man.ONNX.SHA256)
	}
	if int64(len(b)) != man.ONNX.Bytes || len(b) > 5<<20 {
		t.Errorf("model.onnx is %d bytes, manifest says %d (limit 5 MiB)", len(b), man.ONNX.Bytes)
	}
	if man.Training == nil || man.Training.TestAccuracy < 0.98 {
		t.Errorf("manifest records held-out accuracy %+v, want ≥ 0.98", man.Training)
	}
	m, err := model.Load(spamDir, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	samples, err := os.ReadFile("testdata/samples.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name, Label, Text string
	}
	if err := json.Unmarshal(samples, &cases); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			batch := m.NewBatch(1)
			if err := m.AddText(batch, tc.Text); err != nil {
				t.Fatal(err)
			}
			preds, err := m.Predict(batch)
			if err != nil {
				t.Fatal(err)
			}
			if preds[0].Label != tc.Label {
				t.Errorf("label %s (scores %v), want %s", preds[0].Label, preds[0].Scores, tc.Label)
			}
			if s := preds[0].Scores["ham"] + preds[0].Scores["spam"]; s < 0.9999 || s > 1.0001 {
				t.Errorf("scores sum to %v", s)
			}
		})
	}
}

// TestPredictBatchMatchesSingles checks that batching does not change answers.
func TestPredictBatchMatchesSingles(t *testing.T) {
	m, err := model.Load(spamDir, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"cheap meds online, no prescription, order now", "the build broke again after the merge", "", "ünïcödé wörds ✓ 12345"}
	batch := m.NewBatch(len(texts))
	for _, s := range texts {
		if err := m.AddText(batch, s); err != nil {
			t.Fatal(err)
		}
	}
	all, err := m.Predict(batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		one := m.NewBatch(1)
		_ = m.AddText(one, s)
		p, err := m.Predict(one)
		if err != nil {
			t.Fatal(err)
		}
		if d := p[0].Scores["spam"] - all[i].Scores["spam"]; d > 1e-5 || d < -1e-5 {
			t.Errorf("instance %d: alone %v, in batch %v", i, p[0].Scores, all[i].Scores)
		}
	}
}

// writeArtifact copies the committed model into a temp dir after applying
// edit to its manifest and onnx bytes, fixing the sha256 unless keepSHA.
func writeArtifact(t *testing.T, editManifest func(*model.Manifest), editONNX func([]byte) []byte, keepSHA bool) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(spamDir, model.ONNXFile))
	if err != nil {
		t.Fatal(err)
	}
	man, err := model.ReadManifest(spamDir)
	if err != nil {
		t.Fatal(err)
	}
	if editONNX != nil {
		b = editONNX(b)
	}
	if !keepSHA {
		man.ONNX.SHA256 = model.SHA256Hex(b)
	}
	if editManifest != nil {
		editManifest(man)
	}
	mb, err := json.Marshal(man)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, model.ManifestFile), mb, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, model.ONNXFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// replaceOp rewrites the graph, swapping operator from for to.
func replaceOp(t *testing.T, from, to string) func([]byte) []byte {
	return func(b []byte) []byte {
		mp := &onnx.ModelProto{}
		if err := proto.Unmarshal(b, mp); err != nil {
			t.Fatal(err)
		}
		for _, n := range mp.Graph.Node {
			if n.OpType == from {
				n.OpType = to
			}
		}
		out, err := proto.MarshalOptions{Deterministic: true}.Marshal(mp)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// TestLoadFailures: every way an artifact can be unfit fails Load with a
// message that says what is wrong.
func TestLoadFailures(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
		opts model.Options
		want string
	}{
		{"missing directory", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope") }, model.Options{}, "read manifest"},
		{"sha256 mismatch", func(t *testing.T) string {
			return writeArtifact(t, nil, func(b []byte) []byte { b[len(b)-1] ^= 1; return b }, true)
		}, model.Options{}, "manifest says"},
		{"unsupported operator fails the warm-up", func(t *testing.T) string {
			return writeArtifact(t, nil, replaceOp(t, "Relu", "Celu"), false)
		}, model.Options{Engine: "gonnx"}, "warm-up inference failed"},
		{"unknown operator fails the default engine", func(t *testing.T) string {
			return writeArtifact(t, nil, replaceOp(t, "Relu", "NoSuchOp"), false)
		}, model.Options{}, "NoSuchOp"},
		{"wrong input name", func(t *testing.T) string {
			return writeArtifact(t, func(m *model.Manifest) { m.Text.Hashed.Input = "pixels" }, nil, false)
		}, model.Options{}, "warm-up inference failed"},
		{"wrong dims", func(t *testing.T) string {
			return writeArtifact(t, func(m *model.Manifest) { m.Text.Hashed.Dims = 100 }, nil, false)
		}, model.Options{}, "warm-up inference failed"},
		{"too many labels", func(t *testing.T) string {
			return writeArtifact(t, func(m *model.Manifest) { m.Labels = []string{"a", "b", "c"} }, nil, false)
		}, model.Options{}, "warm-up inference failed"},
		{"not onnx", func(t *testing.T) string {
			return writeArtifact(t, nil, func([]byte) []byte { return []byte("not a model") }, false)
		}, model.Options{Engine: "gonnx"}, "gonnx"},
		{"unknown engine", func(t *testing.T) string { return spamDir }, model.Options{Engine: "tensorrt"}, `engine "tensorrt" is not built into this binary`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.Load(tt.dir(t), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestManifestValidate has one row per rule.
func TestManifestValidate(t *testing.T) {
	good := func() model.Manifest {
		m, err := model.ReadManifest(spamDir)
		if err != nil {
			t.Fatal(err)
		}
		return *m
	}
	tests := []struct {
		name string
		edit func(*model.Manifest)
		want string // empty: valid
	}{
		{"committed manifest", func(*model.Manifest) {}, ""},
		{"no name", func(m *model.Manifest) { m.Name = "" }, "name is empty"},
		{"no version", func(m *model.Manifest) { m.Version = "" }, "version is empty"},
		{"no labels", func(m *model.Manifest) { m.Labels = nil }, "labels is empty"},
		{"repeated label", func(m *model.Manifest) { m.Labels = []string{"a", "a"} }, `labels[1] "a" is empty or repeated`},
		{"bad task", func(m *model.Manifest) { m.Task = "audio" }, `task "audio" is not one of`},
		{"task without its section", func(m *model.Manifest) { m.Task = model.TaskImage }, `task "image-classification" needs its own section ("image")`},
		{"two sections", func(m *model.Manifest) { m.Tabular = &model.TabularSpec{Input: "x", Width: 1} }, "needs exactly one of image, text, tabular; the manifest has 2"},
		{"bad scores", func(m *model.Manifest) { m.Scores = "odds" }, `scores "odds" is not one of "logits", "probabilities"`},
		{"no hashed input", func(m *model.Manifest) { m.Text.Hashed.Input = "" }, "text.hashed_words.input is empty"},
		{"zero dims", func(m *model.Manifest) { m.Text.Hashed.Dims = 0 }, "text.hashed_words.dims 0 is not in"},
		{"tokenizer and hashed words", func(m *model.Manifest) { m.Text.Tokenizer = "vocab.txt" }, "text needs exactly one of tokenizer"},
		{"unknown featurizer", func(m *model.Manifest) { m.Text.Hashed.Kind = "bert" }, `text.hashed_words.kind "bert" must be "hashed-words"`},
		{"tokenizer path", func(m *model.Manifest) {
			m.Text = &model.TextSpec{Tokenizer: "../vocab.txt", MaxLength: 64, InputIDs: "input_ids"}
		}, `text.tokenizer "../vocab.txt" must be a plain file name`},
		{"max length", func(m *model.Manifest) {
			m.Text = &model.TextSpec{Tokenizer: "vocab.txt", MaxLength: 1, InputIDs: "input_ids"}
		}, "text.max_length 1 is not in [2, 8192]"},
		{"image size", func(m *model.Manifest) {
			m.Task, m.Text = model.TaskImage, nil
			m.Image = &model.ImageSpec{Input: "x", Height: 0, Width: 9000, Scale: 1, Std: [3]float32{1, 1, 1}, Layout: "NCHW", ChannelOrder: "RGB"}
		}, "image.height×width 0×9000 is not in [1, 8192]"},
		{"image std", func(m *model.Manifest) {
			m.Task, m.Text = model.TaskImage, nil
			m.Image = &model.ImageSpec{Input: "x", Height: 8, Width: 8, Scale: 1, Std: [3]float32{1, 0, 1}, Layout: "NCHW", ChannelOrder: "RGB"}
		}, "image.std[1] 0 must be a finite positive number"},
		{"image layout", func(m *model.Manifest) {
			m.Task, m.Text = model.TaskImage, nil
			m.Image = &model.ImageSpec{Input: "x", Height: 8, Width: 8, Scale: 1, Std: [3]float32{1, 1, 1}, Layout: "CHW", ChannelOrder: "RGB"}
		}, `image.layout "CHW" is not NCHW or NHWC`},
		{"tabular features", func(m *model.Manifest) {
			m.Task, m.Text = model.TaskTabular, nil
			m.Tabular = &model.TabularSpec{Input: "x", Width: 3, Features: []string{"a", "b"}}
		}, "tabular.features has 2 names, the row has 3 columns"},
		{"no output", func(m *model.Manifest) { m.Output = "" }, "output is empty"},
		{"path in file", func(m *model.Manifest) { m.ONNX.File = "../model.onnx" }, "must be a plain file name"},
		{"short sha", func(m *model.Manifest) { m.ONNX.SHA256 = "abc" }, "is not 64 hex digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			tt.edit(&m)
			err := m.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestHashText pins the featurizer: training and serving share it, and a
// silent change would invalidate every trained model.
func TestHashText(t *testing.T) {
	f := model.HashedWords{Kind: model.FeaturizerHashedWords, Bigrams: true}
	tests := []struct {
		name, a, b string
		same       bool
	}{
		{"case and punctuation are ignored", "Free MONEY!!!", "free money", true},
		{"word order matters through pairs", "money free", "free money", false},
		{"non-ASCII letters are words", "Grüße aus Köln", "grüße aus köln", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ra, rb := make([]float32, 64), make([]float32, 64)
			f.HashText(tt.a, ra)
			f.HashText(tt.b, rb)
			eq := true
			for i := range ra {
				if ra[i] != rb[i] {
					eq = false
				}
			}
			if eq != tt.same {
				t.Errorf("rows equal = %v, want %v", eq, tt.same)
			}
		})
	}
	t.Run("unit norm", func(t *testing.T) {
		r := make([]float32, 4096)
		f.HashText("one two two three three three", r)
		var s float64
		for _, v := range r {
			s += float64(v) * float64(v)
		}
		if s < 0.9999 || s > 1.0001 {
			t.Errorf("squared norm %v, want 1", s)
		}
	})
	t.Run("max bytes", func(t *testing.T) {
		g := f
		g.MaxBytes = 5
		r1, r2 := make([]float32, 64), make([]float32, 64)
		g.HashText("hello world", r1)
		g.HashText("hello", r2)
		for i := range r1 {
			if r1[i] != r2[i] {
				t.Fatal("text past max_bytes was featurized")
			}
		}
	})
}

// TestCommittedDigitsModel pins the image model: sha256, recorded accuracy,
// and the first image of each digit in the data set (testdata/digits.json,
// scikit-learn digits, BSD-3).
func TestCommittedDigitsModel(t *testing.T) {
	const dir = "../models/digits"
	b, err := os.ReadFile(filepath.Join(dir, model.ONNXFile))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(dir, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := model.SHA256Hex(b); got != m.Manifest.ONNX.SHA256 || m.Manifest.Training.TestAccuracy < 0.97 {
		t.Fatalf("sha256 %s (manifest %s), accuracy %v", got, m.Manifest.ONNX.SHA256, m.Manifest.Training.TestAccuracy)
	}
	raw, err := os.ReadFile("testdata/digits.json")
	if err != nil {
		t.Fatal(err)
	}
	var imgs []struct {
		Label  string
		Pixels []float64
	}
	if err := json.Unmarshal(raw, &imgs); err != nil {
		t.Fatal(err)
	}
	batch := m.NewBatch(len(imgs))
	for _, img := range imgs {
		if err := m.AddRow(batch, img.Pixels); err != nil {
			t.Fatal(err)
		}
	}
	preds, err := m.Predict(batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range preds {
		t.Run("digit "+imgs[i].Label, func(t *testing.T) {
			if p.Label != imgs[i].Label {
				t.Errorf("label %s (score %.3f), want %s", p.Label, p.Score, imgs[i].Label)
			}
		})
	}
	if err := m.AddRow(batch, []float64{1, 2, 3}); err == nil || !strings.Contains(err.Error(), "row has 3 numbers, want 64") {
		t.Errorf("short vector: %v", err)
	}
	if err := m.AddText(batch, "a text"); err == nil {
		t.Error("a text instance was accepted by a vector model")
	}
}

// TestModelsComeAndGo loads models, drops some and collects garbage while
// a kept one keeps predicting: the weights' memory (an arena outside the Go
// heap for large models) is released only with the model that uses it.
func TestModelsComeAndGo(t *testing.T) {
	kept, err := model.Load(spamDir, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := kept.NewBatch(1)
	if err := kept.AddText(b, "WIN a FREE vacation! Click here now to claim your prize"); err != nil {
		t.Fatal(err)
	}
	want, err := kept.Predict(b)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		m, err := model.Load(spamDir, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Predict(b); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		got, err := kept.Predict(b)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Score != want[0].Score {
			t.Fatalf("kept model's score changed from %v to %v", want[0].Score, got[0].Score)
		}
	}
}

// TestUnpaddedBase64: an image whose base64 lost its padding (some clients
// drop it) gets the padded image's scores, through the fast path and
// through encoding/json (an escaped "/"), for every length remainder.
func TestUnpaddedBase64(t *testing.T) {
	const dir = "../models/mobilenet"
	engine := "" // one of this build's that serves it (gonnx does not)
	for _, e := range model.Engines() {
		if model.ValidateDir(dir, e) == nil {
			engine = e
			break
		}
	}
	m, err := model.Load(dir, model.Options{Engine: engine})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	predict := func(t *testing.T, instance string) model.Prediction {
		t.Helper()
		b := m.NewBatch(1)
		if err := m.Add(b, []byte(instance)); err != nil {
			t.Fatalf("%.60s…: %v", instance, err)
		}
		preds, err := m.Predict(b)
		if err != nil {
			t.Fatal(err)
		}
		return preds[0]
	}
	for _, f := range []string{"circle.png", "gray.png", "triangle.png"} { // sizes 0, 1 and 2 mod 3
		t.Run(f, func(t *testing.T) {
			img, err := os.ReadFile(filepath.Join("../models/testdata/mobilenet", f))
			if err != nil {
				t.Fatal(err)
			}
			padded := base64.StdEncoding.EncodeToString(img)
			raw := base64.RawStdEncoding.EncodeToString(img)
			want := predict(t, `{"b64":"`+padded+`"}`)
			for name, instance := range map[string]string{
				"fast path":     `{"b64":"` + raw + `"}`,
				"encoding/json": `{"b64":"` + strings.ReplaceAll(raw, "/", `\/`) + `"}`,
			} {
				if got := predict(t, instance); got.Label != want.Label || got.Score != want.Score {
					t.Errorf("%s: %v, padded: %v", name, got, want)
				}
			}
		})
	}
}
