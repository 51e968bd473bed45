package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// File names inside a model directory.
const (
	ManifestFile = "manifest.json"
	ONNXFile     = "model.onnx"
	// ProfileFile is the latency and memory profile `costguard model check`
	// writes next to the manifest; the constructs right-size from it.
	ProfileFile = "profile.json"
)

// Tasks a manifest may declare: what an instance is and how it becomes the
// model's input tensors.
const (
	// TaskImage instances are {"b64": "<base64 PNG or JPEG>"}.
	TaskImage = "image-classification"
	// TaskText instances are JSON strings, tokenized (Hugging Face WordPiece)
	// or featurized by hashed words.
	TaskText = "text-classification"
	// TaskTabular instances are arrays of numbers in the model's feature
	// order, or objects keyed by feature name.
	TaskTabular = "tabular"
)

// Tasks lists the tasks, for messages.
var Tasks = []string{TaskImage, TaskText, TaskTabular}

// What the output tensor holds.
const (
	// ScoresLogits: softmax is applied to each row.
	ScoresLogits = "logits"
	// ScoresProbabilities: each row is used as it is.
	ScoresProbabilities = "probabilities"
)

// Manifest describes a model directory. `costguard model init` writes it
// (the trainer of the built-in MLPs too) and [Load] checks it.
type Manifest struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Description is a one-line summary shown by GET /health.
	Description string `json:"description,omitempty"`
	// Task is TaskImage, TaskText or TaskTabular.
	Task string `json:"task"`
	// Labels are the class names, in the order of the output's columns.
	Labels []string `json:"labels"`
	// Engine names the engine the model is checked with and served by;
	// empty means the binary's default.
	Engine string `json:"engine,omitempty"`
	// Inputs are the graph's inputs as `model init` saw them.
	Inputs []TensorInfo `json:"inputs,omitempty"`
	// Output is the name of the output tensor holding one score per label.
	Output string `json:"output"`
	// Scores says whether Output holds logits or probabilities.
	Scores string `json:"scores"`

	Image   *ImageSpec   `json:"image,omitempty"`
	Text    *TextSpec    `json:"text,omitempty"`
	Tabular *TabularSpec `json:"tabular,omitempty"`

	ONNX ONNXInfo `json:"onnx"`
	// Training records how the model was made, for humans; Load ignores it.
	Training *Training `json:"training,omitempty"`
}

// TensorInfo is one graph input or output.
type TensorInfo struct {
	Name  string `json:"name"`
	DType string `json:"dtype"`
	// Shape has -1 for a dynamic axis.
	Shape []int64 `json:"shape"`
}

// ImageSpec is the preprocessing of an image model (see package imageproc).
type ImageSpec struct {
	// Input is the graph input the image tensor goes to.
	Input  string `json:"input"`
	Height int    `json:"height"`
	Width  int    `json:"width"`
	// ResizeShorter, when set, resizes the shorter side to it and then
	// crops the centre; otherwise images are resized straight to the size.
	ResizeShorter int        `json:"resize_shorter,omitempty"`
	Scale         float32    `json:"scale"`
	Mean          [3]float32 `json:"mean"`
	Std           [3]float32 `json:"std"`
	// Layout is NCHW or NHWC.
	Layout string `json:"layout"`
	// ChannelOrder is RGB or BGR.
	ChannelOrder string `json:"channel_order"`
	// MaxPixels refuses an image whose header declares more pixels, before
	// it is decoded. Zero means the default.
	MaxPixels int64 `json:"max_pixels,omitempty"`
}

// TextSpec is the preprocessing of a text model: a Hugging Face tokenizer
// feeding input ids, attention mask and token types, or (the built-in spam
// MLP) hashed words feeding one float vector.
type TextSpec struct {
	// Tokenizer is a file in the model directory: tokenizer.json or vocab.txt.
	Tokenizer string `json:"tokenizer,omitempty"`
	// MaxLength counts [CLS] and [SEP]; longer texts are truncated.
	MaxLength int `json:"max_length,omitempty"`
	// Lowercase overrides the tokenizer file's setting (vocab.txt only).
	Lowercase *bool `json:"lowercase,omitempty"`
	// The graph inputs; TokenTypeIDs is empty when the graph has none.
	InputIDs      string `json:"input_ids,omitempty"`
	AttentionMask string `json:"attention_mask,omitempty"`
	TokenTypeIDs  string `json:"token_type_ids,omitempty"`

	// Hashed replaces the tokenizer with the hashed-words featurizer.
	Hashed *HashedWords `json:"hashed_words,omitempty"`
}

// HashedWords is the featurizer of the built-in spam model: a float vector
// of Dims buckets fed to Input.
type HashedWords struct {
	Input string `json:"input"`
	Dims  int    `json:"dims"`
	// Kind is FeaturizerHashedWords. HashText lowercases text, splits it
	// into runs of letters and digits, hashes each word (and each pair of
	// neighbouring words when Bigrams is set) with 32-bit FNV-1a into Dims
	// buckets, takes log(1+count) and scales the row to unit L2 norm.
	Kind    string `json:"kind"`
	Bigrams bool   `json:"bigrams,omitempty"`
	// MaxBytes: only the first MaxBytes of a text are read; 0 reads all.
	MaxBytes int `json:"max_bytes,omitempty"`
}

// TabularSpec is the input of a tabular model: one float row of Width
// features fed to Input.
type TabularSpec struct {
	Input string `json:"input"`
	Width int    `json:"width"`
	// Features names the columns, in order; requests may then send objects.
	Features []string `json:"features,omitempty"`
	// Scale multiplies every value; zero means 1.
	Scale float64 `json:"scale,omitempty"`
}

// ONNXInfo pins the ONNX file.
type ONNXInfo struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	Opset  int64  `json:"opset"`
	// Operators are the graph's operator types ("Conv", "ai.onnx.ml.LinearClassifier").
	Operators []string `json:"operators,omitempty"`
}

// Training records the training run behind an artifact.
type Training struct {
	Data         string  `json:"data"`
	Split        string  `json:"split,omitempty"`
	Seed         uint64  `json:"seed,omitempty"`
	Epochs       int     `json:"epochs,omitempty"`
	Hidden       int     `json:"hidden,omitempty"`
	TrainSize    int     `json:"train_size,omitempty"`
	TestSize     int     `json:"test_size,omitempty"`
	TestAccuracy float64 `json:"test_accuracy,omitempty"`
	Command      string  `json:"command,omitempty"`
}

// ReadManifest reads and validates dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("invalid %s: %w", path, err)
	}
	return &m, nil
}

// Validate reports every problem with the manifest at once, one per line.
func (m *Manifest) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if m.Name == "" {
		add("name is empty")
	}
	if m.Version == "" {
		add("version is empty")
	}
	if len(m.Labels) < 1 {
		add("labels is empty")
	}
	for i, l := range m.Labels {
		if l == "" || slices.Index(m.Labels, l) != i {
			add("labels[%d] %q is empty or repeated", i, l)
		}
	}
	if m.Output == "" {
		add("output is empty")
	}
	if m.Scores != ScoresLogits && m.Scores != ScoresProbabilities {
		add("scores %q is not one of %q, %q", m.Scores, ScoresLogits, ScoresProbabilities)
	}
	sections := 0
	for _, set := range []bool{m.Image != nil, m.Text != nil, m.Tabular != nil} {
		if set {
			sections++
		}
	}
	switch {
	case !slices.Contains(Tasks, m.Task):
		add("task %q is not one of %q", m.Task, Tasks)
	case sections != 1:
		add("task %q needs exactly one of image, text, tabular; the manifest has %d", m.Task, sections)
	case m.Task == TaskImage && m.Image == nil, m.Task == TaskText && m.Text == nil, m.Task == TaskTabular && m.Tabular == nil:
		add("task %q needs its own section (%q)", m.Task, strings.SplitN(m.Task, "-", 2)[0])
	case m.Image != nil:
		errs = append(errs, m.Image.validate())
	case m.Text != nil:
		errs = append(errs, m.Text.validate())
	case m.Tabular != nil:
		errs = append(errs, m.Tabular.validate())
	}
	if m.ONNX.File == "" || filepath.Base(m.ONNX.File) != m.ONNX.File {
		add("onnx.file %q must be a plain file name", m.ONNX.File)
	}
	if _, err := hex.DecodeString(m.ONNX.SHA256); err != nil || len(m.ONNX.SHA256) != 64 {
		add("onnx.sha256 %q is not 64 hex digits", m.ONNX.SHA256)
	}
	return errors.Join(errs...)
}

func (s *ImageSpec) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.Input == "" {
		add("image.input is empty")
	}
	if s.Height < 1 || s.Height > 8192 || s.Width < 1 || s.Width > 8192 {
		add("image.height×width %d×%d is not in [1, 8192]", s.Height, s.Width)
	}
	if s.ResizeShorter != 0 && (s.ResizeShorter < min(s.Height, s.Width) || s.ResizeShorter > 8192) {
		add("image.resize_shorter %d must be at least the crop's shorter side %d and at most 8192", s.ResizeShorter, min(s.Height, s.Width))
	}
	if !finite32(s.Scale) || s.Scale == 0 {
		add("image.scale %v must be a finite non-zero number", s.Scale)
	}
	for c := range 3 {
		if !finite32(s.Mean[c]) {
			add("image.mean[%d] %v is not finite", c, s.Mean[c])
		}
		if !finite32(s.Std[c]) || s.Std[c] <= 0 {
			add("image.std[%d] %v must be a finite positive number", c, s.Std[c])
		}
	}
	if s.Layout != "NCHW" && s.Layout != "NHWC" {
		add("image.layout %q is not NCHW or NHWC", s.Layout)
	}
	if s.ChannelOrder != "RGB" && s.ChannelOrder != "BGR" {
		add("image.channel_order %q is not RGB or BGR", s.ChannelOrder)
	}
	if s.MaxPixels < 0 {
		add("image.max_pixels %d is negative", s.MaxPixels)
	}
	return errors.Join(errs...)
}

func (s *TextSpec) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if (s.Tokenizer == "") == (s.Hashed == nil) {
		add("text needs exactly one of tokenizer (a file in the model directory) and hashed_words")
	}
	if s.Hashed != nil {
		if s.Hashed.Input == "" {
			add("text.hashed_words.input is empty")
		}
		if s.Hashed.Dims < 1 || s.Hashed.Dims > 1<<20 {
			add("text.hashed_words.dims %d is not in [1, %d]", s.Hashed.Dims, 1<<20)
		}
		if s.Hashed.Kind != FeaturizerHashedWords {
			add("text.hashed_words.kind %q must be %q", s.Hashed.Kind, FeaturizerHashedWords)
		}
		if s.Hashed.MaxBytes < 0 {
			add("text.hashed_words.max_bytes %d is negative", s.Hashed.MaxBytes)
		}
	}
	if s.Tokenizer != "" {
		if filepath.Base(s.Tokenizer) != s.Tokenizer {
			add("text.tokenizer %q must be a plain file name in the model directory", s.Tokenizer)
		}
		if s.MaxLength < 2 || s.MaxLength > 8192 {
			add("text.max_length %d is not in [2, 8192] ([CLS] and [SEP] count)", s.MaxLength)
		}
		if s.InputIDs == "" {
			add("text.input_ids is empty: name the graph input of the token ids")
		}
	}
	return errors.Join(errs...)
}

func (s *TabularSpec) validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.Input == "" {
		add("tabular.input is empty")
	}
	if s.Width < 1 || s.Width > 1<<20 {
		add("tabular.width %d is not in [1, %d]", s.Width, 1<<20)
	}
	if len(s.Features) != 0 && len(s.Features) != s.Width {
		add("tabular.features has %d names, the row has %d columns", len(s.Features), s.Width)
	}
	for i, f := range s.Features {
		if f == "" || slices.Index(s.Features, f) != i {
			add("tabular.features[%d] %q is empty or repeated", i, f)
		}
	}
	if math.IsNaN(s.Scale) || math.IsInf(s.Scale, 0) {
		add("tabular.scale %v is not finite", s.Scale)
	}
	return errors.Join(errs...)
}

func finite32(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }

// SHA256Hex returns the lowercase hex sha256 of b.
func SHA256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
