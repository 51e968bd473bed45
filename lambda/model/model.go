package model

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Options tune Load.
type Options struct {
	// Engine names the inference engine; empty means the manifest's, else
	// DefaultEngine.
	Engine string
	// IntraOpThreads is the engine's thread count for one inference; zero
	// means one.
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
	// Graph is the ONNX file the engine was built from: the manifest's, or
	// ORTOptimizedFile.
	Graph   string
	engine  Engine
	pipe    pipeline
	outputs []string
}

// Load reads dir/manifest.json and the files it names, checks the ONNX
// file's sha256 (for ONNX Runtime, the offline-optimized graph's when the
// directory holds one: see ORTOptimizedFile), builds the task's pipeline
// and the engine, and runs one warm-up inference. Any failure is returned
// with the path at fault.
func Load(dir string, opts Options) (*Model, error) {
	start := time.Now()
	man, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	// The task's pipeline (for a text model, its tokenizer file: ~1 ms)
	// is built on another thread while this one checks the model file and
	// builds the engine, which ONNX Runtime wants on the main thread (see
	// lambda/cmd/bootstrap). Its error, if any, is the one returned.
	var pipe pipeline
	pipeErr := make(chan error, 1)
	go func() {
		var err error
		pipe, err = newPipeline(dir, man)
		pipeErr <- err
	}()
	waitPipe := func() error {
		if err := <-pipeErr; err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
		}
		return nil
	}
	// fail returns err, unless the pipeline failed too: its error came
	// first when the pipeline was built first, and still does.
	fail := func(err error) (*Model, error) {
		if perr := waitPipe(); perr != nil {
			return nil, perr
		}
		return nil, err
	}
	name := opts.Engine
	if name == "" {
		name = man.Engine
	}
	if name == "" {
		name = DefaultEngine
	}
	g, err := graphFile(dir, man, name)
	if err != nil {
		return fail(err)
	}
	path := filepath.Join(dir, g.file)
	b, release, err := readModelFile(path)
	if err != nil {
		return fail(fmt.Errorf("read model: %w", err))
	}
	// Engines copy what they keep (see EngineSpec.ONNX), so the file's
	// bytes are released as soon as the engine is built.
	defer release()
	// The sha256 is computed on another thread while this one runs the
	// engine's set-up that needs no model; no engine sees the bytes
	// before they are checked.
	sum := make(chan string, 1)
	go func() { sum <- SHA256Hex(b) }()
	prepareEngine(name)
	if got := <-sum; got != g.sha256 {
		return fail(fmt.Errorf("%s: sha256 is %s, %s says %s", path, got, recordOf(g.file, man), g.sha256))
	}
	factory, err := engineFactory(name)
	if err != nil {
		return fail(err)
	}
	outputs := []string{man.Output}
	var inputs []string // the pipeline's inputNames, from the manifest alone
	for _, bd := range man.bindingsOf() {
		inputs = append(inputs, bd.name)
	}
	eng, err := factory(EngineSpec{ONNX: b, Inputs: inputs, Outputs: outputs, IntraOpThreads: opts.IntraOpThreads, Optimized: g.optimized})
	if perr := waitPipe(); perr != nil {
		if err == nil {
			_ = eng.Close()
		}
		return nil, perr
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !slices.Equal(pipe.inputNames(), inputs) {
		_ = eng.Close()
		return nil, fmt.Errorf("%s: internal error: the pipeline fills %q, the manifest names %q", path, pipe.inputNames(), inputs)
	}
	m := &Model{Manifest: *man, EngineName: name, Graph: g.file, engine: eng, pipe: pipe, outputs: outputs}
	if err := m.warmUp(); err != nil {
		_ = eng.Close()
		return nil, fmt.Errorf("%s: warm-up inference failed, the model cannot serve: %w", path, err)
	}
	m.LoadTime = time.Since(start)
	return m, nil
}

// warmUp runs one neutral instance through the graph: an operator the
// engine lacks, or an input the pipeline fills wrongly, fails here, at
// init, rather than on the first request.
func (m *Model) warmUp() error {
	b := m.NewBatch(1)
	if err := m.pipe.addNeutral(b); err != nil {
		return err
	}
	b.N++
	preds, err := m.Predict(b)
	if err != nil {
		return err
	}
	for _, p := range preds {
		for l, s := range p.Scores {
			if math.IsNaN(s) || math.IsInf(s, 0) {
				return fmt.Errorf("score of %q is %v", l, s)
			}
		}
	}
	return nil
}

// Close releases the engine.
func (m *Model) Close() error { return m.engine.Close() }

// Prediction is the model's answer for one instance.
type Prediction struct {
	Label  string             `json:"label"`
	Score  float64            `json:"score"`
	Scores map[string]float64 `json:"scores"`
}

// Batch holds the encoded instances of one request. Reuse avoids
// allocating the input tensors per request.
type Batch struct {
	// N is the number of instances added.
	N int
	// f32 holds fixed-width float rows (images, tabular rows, hashed words).
	f32 []float32
	// ids, mask and types hold tokenized texts, unpadded, one slice per row.
	ids, mask, types [][]int64
	// width is the float row width.
	width int
}

// NewBatch returns an empty batch for m with room for capacity instances.
func (m *Model) NewBatch(capacity int) *Batch {
	w := m.pipe.rowWidth()
	return &Batch{f32: make([]float32, 0, capacity*w), width: w}
}

// row appends a zeroed float row and returns it for a pipeline to fill.
func (b *Batch) row() []float32 {
	start := len(b.f32)
	b.f32 = append(b.f32, make([]float32, b.width)...)
	return b.f32[start : start+b.width : start+b.width]
}

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() {
	b.f32, b.N = b.f32[:0], 0
	b.ids, b.mask, b.types = b.ids[:0], b.mask[:0], b.types[:0]
}

// Add decodes one instance, the raw JSON value of one element of
// "instances", into the batch. The error says what is wrong with the
// instance in one line, without naming it (the caller knows its index).
func (m *Model) Add(b *Batch, raw []byte) error {
	if err := m.pipe.add(b, raw); err != nil {
		return err
	}
	b.N++
	return nil
}

// AddText adds a text instance (text models only).
func (m *Model) AddText(b *Batch, text string) error {
	t, ok := m.pipe.(textAdder)
	if !ok {
		return fmt.Errorf("model %s takes %s instances, not text", m.Manifest.Name, m.Manifest.Task)
	}
	if err := t.addText(b, text); err != nil {
		return err
	}
	b.N++
	return nil
}

// AddRow adds a tabular row given as numbers (tabular models only).
func (m *Model) AddRow(b *Batch, v []float64) error {
	t, ok := m.pipe.(*tabularPipeline)
	if !ok {
		return fmt.Errorf("model %s takes %s instances, not rows", m.Manifest.Name, m.Manifest.Task)
	}
	if err := t.addRow(b, v); err != nil {
		return err
	}
	b.N++
	return nil
}

// ErrEmptyBatch is returned by Predict for a batch without instances.
var ErrEmptyBatch = errors.New("empty batch")

// Predict runs the batch and returns one prediction per instance.
func (m *Model) Predict(b *Batch) ([]Prediction, error) {
	scores, err := m.Scores(b)
	if err != nil {
		return nil, err
	}
	labels := m.Manifest.Labels
	preds := make([]Prediction, b.N)
	for i := range preds {
		row := scores[i*len(labels) : (i+1)*len(labels)]
		all := make(map[string]float64, len(labels))
		best := 0
		for j, p := range row {
			all[labels[j]] = round6(float64(p))
			if p > row[best] {
				best = j
			}
		}
		preds[i] = Prediction{Label: labels[best], Score: all[labels[best]], Scores: all}
	}
	return preds, nil
}

// Scores runs the batch and returns the row-major [N, labels] probabilities
// (softmax applied when the model's output is logits).
func (m *Model) Scores(b *Batch) ([]float32, error) {
	if b.N == 0 {
		return nil, ErrEmptyBatch
	}
	in, err := m.pipe.tensors(b)
	if err != nil {
		return nil, err
	}
	out, err := m.engine.Run(in, m.outputs)
	if err != nil {
		return nil, err
	}
	if len(out) != 1 {
		return nil, fmt.Errorf("engine returned %d outputs, want 1 (%s)", len(out), m.Manifest.Output)
	}
	o := out[0]
	labels := len(m.Manifest.Labels)
	if o.DType != Float32 {
		return nil, fmt.Errorf("output %s is %s, want float32 scores", m.Manifest.Output, o.DType)
	}
	if len(o.Float32) != b.N*labels {
		return nil, fmt.Errorf("output %s has %d values (shape %v), want %d×%d", m.Manifest.Output, len(o.Float32), o.Shape, b.N, labels)
	}
	if m.Manifest.Scores == ScoresLogits {
		for i := range b.N {
			softmax(o.Float32[i*labels : (i+1)*labels])
		}
	}
	return o.Float32, nil
}

// softmax turns a row of logits into probabilities in place, stably.
func softmax(row []float32) {
	mx := math.Inf(-1)
	for _, v := range row {
		mx = max(mx, float64(v))
	}
	var sum float64
	for i, v := range row {
		e := math.Exp(float64(v) - mx)
		row[i] = float32(e)
		sum += e
	}
	for i := range row {
		row[i] = float32(float64(row[i]) / sum)
	}
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

// InputNames are the graph inputs the model's pipeline fills.
func (m *Model) InputNames() []string { return m.pipe.inputNames() }
