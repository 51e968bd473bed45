package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// File names inside a model directory.
const (
	ManifestFile = "manifest.json"
	ONNXFile     = "model.onnx"
)

// Input kinds a manifest may declare.
const (
	// KindText instances are JSON strings, featurized by hashed words.
	KindText = "text"
	// KindVector instances are JSON arrays of numbers of a fixed length
	// (for example an 8×8 image flattened row by row).
	KindVector = "vector"
)

// Manifest describes a model artifact. It is written by the trainer next to
// model.onnx and checked by [Load].
type Manifest struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Description is a one-line summary shown by GET /health.
	Description string `json:"description,omitempty"`
	// Labels are the class names, in the order of the output tensor's columns.
	Labels []string `json:"labels"`
	Input  Input    `json:"input"`
	// Output is the name of the output tensor holding one probability per label.
	Output string `json:"output"`
	// Featurizer turns one instance into a row of the input tensor.
	Featurizer Featurizer `json:"featurizer"`
	ONNX       ONNXInfo   `json:"onnx"`
	// Training records how the model was made, for humans; Load ignores it.
	Training *Training `json:"training,omitempty"`
}

// Input describes the model's input tensor.
type Input struct {
	// Kind is KindText or KindVector.
	Kind string `json:"kind"`
	// Tensor is the ONNX input name.
	Tensor string `json:"tensor"`
	// Dims is the feature count: the input tensor is [batch, Dims] float32.
	Dims int `json:"dims"`
}

// ONNXInfo pins the ONNX file.
type ONNXInfo struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	Opset  int64  `json:"opset"`
}

// Training records the training run behind an artifact.
type Training struct {
	Data         string  `json:"data"`
	Split        string  `json:"split"`
	Seed         uint64  `json:"seed"`
	Epochs       int     `json:"epochs"`
	Hidden       int     `json:"hidden"`
	TrainSize    int     `json:"train_size"`
	TestSize     int     `json:"test_size"`
	TestAccuracy float64 `json:"test_accuracy"`
	Command      string  `json:"command"`
}

// ReadManifest reads and validates dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("invalid %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}

// Validate reports every problem with the manifest at once.
func (m *Manifest) Validate() error {
	var errs []error
	if m.Name == "" {
		errs = append(errs, errors.New("name is empty"))
	}
	if m.Version == "" {
		errs = append(errs, errors.New("version is empty"))
	}
	if len(m.Labels) < 1 {
		errs = append(errs, errors.New("labels is empty"))
	}
	for i, l := range m.Labels {
		if l == "" || slices.Index(m.Labels, l) != i {
			errs = append(errs, fmt.Errorf("labels[%d] %q is empty or repeated", i, l))
		}
	}
	if m.Input.Kind != KindText && m.Input.Kind != KindVector {
		errs = append(errs, fmt.Errorf("input.kind %q is not one of %q, %q", m.Input.Kind, KindText, KindVector))
	}
	if m.Input.Tensor == "" {
		errs = append(errs, errors.New("input.tensor is empty"))
	}
	if m.Input.Dims < 1 || m.Input.Dims > 1<<20 {
		errs = append(errs, fmt.Errorf("input.dims %d is not in [1, %d]", m.Input.Dims, 1<<20))
	}
	if m.Output == "" {
		errs = append(errs, errors.New("output is empty"))
	}
	if err := m.Featurizer.validate(m.Input); err != nil {
		errs = append(errs, err)
	}
	if m.ONNX.File == "" || filepath.Base(m.ONNX.File) != m.ONNX.File {
		errs = append(errs, fmt.Errorf("onnx.file %q must be a plain file name", m.ONNX.File))
	}
	if len(m.ONNX.SHA256) != 64 {
		errs = append(errs, fmt.Errorf("onnx.sha256 %q is not 64 hex digits", m.ONNX.SHA256))
	} else if _, err := hex.DecodeString(m.ONNX.SHA256); err != nil {
		errs = append(errs, fmt.Errorf("onnx.sha256 %q is not 64 hex digits", m.ONNX.SHA256))
	}
	return errors.Join(errs...)
}

// SHA256Hex returns the lowercase hex sha256 of b.
func SHA256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
