package model

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"
)

// Options tune Load.
type Options struct {
	// Engine names the inference engine; empty means DefaultEngine.
	Engine string
	// IntraOpThreads is how many threads one inference may use. Default
	// (0): 1. See IntraOpThreads for the server's choice.
	IntraOpThreads int
}

// Model is a loaded, warmed-up model. It is safe for concurrent use.
type Model struct {
	Manifest Manifest
	// LoadTime is how long Load took: reading, checking, building the
	// engine and the warm-up inference.
	LoadTime time.Duration
	// EngineName is the engine that serves the model.
	EngineName string
	engine     Engine
}

// Load reads dir/manifest.json and the ONNX file it names, checks the file's
// sha256, builds the engine and runs one warm-up inference on an empty
// instance. Any failure is returned with the path at fault.
func Load(dir string, opts Options) (*Model, error) {
	start := time.Now()
	man, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, man.ONNX.File)
	b, release, err := readModelFile(path)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	// Engines copy what they keep (see EngineSpec.ONNX), so the file's
	// bytes are released as soon as the engine is built.
	defer release()
	if got := SHA256Hex(b); got != man.ONNX.SHA256 {
		return nil, fmt.Errorf("%s: sha256 is %s, manifest says %s", path, got, man.ONNX.SHA256)
	}
	name := opts.Engine
	if name == "" {
		name = DefaultEngine
	}
	factory, err := engineFactory(name)
	if err != nil {
		return nil, err
	}
	eng, err := factory(EngineSpec{ONNX: b, Inputs: []string{man.Input.Tensor}, Outputs: []string{man.Output}, IntraOpThreads: opts.IntraOpThreads})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := &Model{Manifest: *man, EngineName: name, engine: eng}
	if err := m.warmUp(); err != nil {
		_ = eng.Close()
		return nil, fmt.Errorf("%s: warm-up inference failed, the model cannot serve: %w", path, err)
	}
	m.LoadTime = time.Since(start)
	return m, nil
}

// warmUp runs one zero row through the graph: an operator the engine lacks
// fails here, at init, rather than on the first request.
func (m *Model) warmUp() error {
	out, err := m.run(make([]float32, m.Manifest.Input.Dims), 1)
	if err != nil {
		return err
	}
	for i, p := range out {
		if math.IsNaN(float64(p)) || math.IsInf(float64(p), 0) {
			return fmt.Errorf("output %d is %v", i, p)
		}
	}
	return nil
}

// run scores n rows of x: the manifest's input tensor [n, dims] float32 in,
// its output [n, labels] float32 out.
func (m *Model) run(x []float32, n int) ([]float32, error) {
	in := Tensor{Name: m.Manifest.Input.Tensor, DType: Float32, Shape: []int64{int64(n), int64(m.Manifest.Input.Dims)}, Float32: x}
	out, err := m.engine.Run([]Tensor{in}, []string{m.Manifest.Output})
	if err != nil {
		return nil, err
	}
	o := out[0]
	if o.DType != Float32 || len(o.Shape) != 2 || o.Shape[0] != int64(n) || o.Shape[1] != int64(len(m.Manifest.Labels)) {
		return nil, fmt.Errorf("output %q is %v %v, want float32 [%d %d]", o.Name, o.DType, o.Shape, n, len(m.Manifest.Labels))
	}
	return o.Float32, nil
}

// Close releases the engine.
func (m *Model) Close() error { return m.engine.Close() }

// Prediction is the model's answer for one instance.
type Prediction struct {
	Label  string             `json:"label"`
	Score  float64            `json:"score"`
	Scores map[string]float64 `json:"scores"`
}

// Batch holds the feature rows of one request. Reuse avoids allocating the
// input tensor per request.
type Batch struct {
	X    []float32
	N    int
	dims int
}

// NewBatch returns an empty batch for m.
func (m *Model) NewBatch(capacity int) *Batch {
	return &Batch{X: make([]float32, 0, capacity*m.Manifest.Input.Dims), dims: m.Manifest.Input.Dims}
}

// Row appends a zeroed row and returns it for a featurizer to fill.
func (b *Batch) Row() []float32 {
	start := len(b.X)
	b.X = append(b.X, make([]float32, b.dims)...)
	b.N++
	return b.X[start : start+b.dims : start+b.dims]
}

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() { b.X, b.N = b.X[:0], 0 }

// AddText featurizes a text instance into a new row.
func (m *Model) AddText(b *Batch, text string) error {
	if m.Manifest.Input.Kind != KindText {
		return fmt.Errorf("model %s takes %s instances, not text", m.Manifest.Name, m.Manifest.Input.Kind)
	}
	m.Manifest.Featurizer.HashText(text, b.Row())
	return nil
}

// AddVector featurizes a vector instance into a new row.
func (m *Model) AddVector(b *Batch, v []float64) error {
	if m.Manifest.Input.Kind != KindVector {
		return fmt.Errorf("model %s takes %s instances, not vectors", m.Manifest.Name, m.Manifest.Input.Kind)
	}
	if len(v) != m.Manifest.Input.Dims {
		return fmt.Errorf("%w: got %d numbers, want %d", ErrVectorLength, len(v), m.Manifest.Input.Dims)
	}
	return m.Manifest.Featurizer.ScaleVector(v, b.Row())
}

// ErrEmptyBatch is returned by Predict for a batch without rows.
var ErrEmptyBatch = errors.New("empty batch")

// Predict runs the batch and returns one prediction per row.
func (m *Model) Predict(b *Batch) ([]Prediction, error) {
	if b.N == 0 {
		return nil, ErrEmptyBatch
	}
	out, err := m.run(b.X, b.N)
	if err != nil {
		return nil, err
	}
	labels := m.Manifest.Labels
	preds := make([]Prediction, b.N)
	for i := range preds {
		row := out[i*len(labels) : (i+1)*len(labels)]
		scores := make(map[string]float64, len(labels))
		best := 0
		for j, p := range row {
			scores[labels[j]] = round6(float64(p))
			if p > row[best] {
				best = j
			}
		}
		preds[i] = Prediction{Label: labels[best], Score: round6(float64(row[best])), Scores: scores}
	}
	return preds, nil
}

// round6 keeps six decimals: float32 noise beyond that only bloats JSON.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// readAll reads f to the end into a buffer sized for size bytes, as
// os.ReadFile does.
func readAll(f *os.File, size int64) ([]byte, error) {
	b := make([]byte, 0, max(size, 0)+512)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
