package model

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"
)

// DType is a tensor's element type.
type DType uint8

// The element types the engines exchange with the server.
const (
	Float32 DType = iota + 1
	Int64
)

// String returns the ONNX name of the element type ("float32", "int64").
func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Int64:
		return "int64"
	}
	return "dtype(" + strconv.Itoa(int(d)) + ")"
}

// Tensor is a named, dense, row-major tensor. Exactly one of Float32 and
// Int64 holds the data, the one DType names.
type Tensor struct {
	Name    string
	DType   DType
	Shape   []int64
	Float32 []float32
	Int64   []int64
}

// Len is the number of elements the shape describes (1 for a scalar).
func (t Tensor) Len() int64 {
	n := int64(1)
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Check reports a tensor whose data does not match its type and shape.
func (t Tensor) Check() error {
	for _, d := range t.Shape {
		if d < 0 || d > 1<<40 {
			return fmt.Errorf("tensor %q: shape %v has a bad dimension", t.Name, t.Shape)
		}
	}
	var n int
	switch t.DType {
	case Float32:
		n = len(t.Float32)
	case Int64:
		n = len(t.Int64)
	default:
		return fmt.Errorf("tensor %q: element type %v is not float32 or int64", t.Name, t.DType)
	}
	if int64(n) != t.Len() {
		return fmt.Errorf("tensor %q: %d %s values for shape %v (%d elements)", t.Name, n, t.DType, t.Shape, t.Len())
	}
	return nil
}

// Engine runs a loaded ONNX graph.
//
// Run binds inputs by name, computes the named outputs and returns them in
// the order asked, each with the shape the graph produced (dynamic axes
// included). Inputs are only read during the call. Implementations must be
// safe for concurrent use: the HTTP faces serve requests in parallel.
type Engine interface {
	Run(inputs []Tensor, outputs []string) ([]Tensor, error)
	Close() error
}

// EngineSpec tells an engine factory what to load.
type EngineSpec struct {
	// ONNX is the model file. It is valid only while the factory runs (it
	// may be a read-only mapping of the file): an engine copies what it
	// keeps and never writes to it.
	ONNX []byte
	// Inputs and Outputs name the graph inputs Run will be given and the
	// outputs it may ask for.
	Inputs, Outputs []string
	// IntraOpThreads is how many threads one run may use. Default (0): 1.
	// Engines without a thread pool ignore it.
	IntraOpThreads int
	// Optimized says ONNX is ONNX Runtime's offline-optimized graph with
	// no operator that its layout level acts on (ORTOptimized.Layout
	// false): nothing is left to optimize, so ONNX Runtime builds the
	// session with graph optimizations off. Other engines ignore it.
	Optimized bool
}

// NativeEngine serves a model whose manifest names no engine: the Lambda
// asset and the container images are native builds with ONNX Runtime
// (internal/modelserver), whatever the engines of the binary that packages
// or checks the model.
const NativeEngine = "onnxruntime"

// EngineFactory builds an Engine from a model's bytes.
type EngineFactory func(spec EngineSpec) (Engine, error)

var (
	enginesMu sync.RWMutex
	engines   = map[string]EngineFactory{}
	prepares  = map[string]func() error{}
)

// RegisterEnginePrepare gives a registered engine a process-wide set-up
// that does not need the model (ONNX Runtime's library load and
// environment: ~13 ms). Load runs it on the calling goroutine while the
// model file's sha256 is computed on another, so the two overlap on a
// function with two vCPUs and the file is still checked before any engine
// reads it. prepare must be idempotent (the factory calls it too) and its
// error is the factory's to report.
func RegisterEnginePrepare(name string, prepare func() error) {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	if _, ok := engines[name]; !ok {
		panic("model: prepare for engine " + name + ", which is not registered")
	}
	prepares[name] = prepare
}

// prepareEngine runs the named engine's set-up, if it has one; its error
// is left to the factory.
func prepareEngine(name string) {
	enginesMu.RLock()
	p := prepares[name]
	enginesMu.RUnlock()
	if p != nil {
		_ = p()
	}
}

// RegisterEngine makes an engine available under name. It panics when the
// name is taken, like database/sql.Register.
func RegisterEngine(name string, f EngineFactory) {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	if _, dup := engines[name]; dup {
		panic("model: engine " + name + " registered twice")
	}
	engines[name] = f
}

// Engines lists the registered engine names, sorted.
func Engines() []string {
	enginesMu.RLock()
	defer enginesMu.RUnlock()
	names := make([]string, 0, len(engines))
	for n := range engines {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func engineFactory(name string) (EngineFactory, error) {
	enginesMu.RLock()
	defer enginesMu.RUnlock()
	f, ok := engines[name]
	if !ok {
		return nil, fmt.Errorf("engine %q is not built into this binary; available: %q", name, Engines())
	}
	return f, nil
}

// HasEngine reports whether name is registered.
func HasEngine(name string) bool {
	return slices.Contains(Engines(), name)
}

// NewEngine builds the named engine (empty: DefaultEngine) for spec.
func NewEngine(name string, spec EngineSpec) (Engine, error) {
	if name == "" {
		name = DefaultEngine
	}
	f, err := engineFactory(name)
	if err != nil {
		return nil, err
	}
	return f(spec)
}

// CheckRun validates a Run call against the spec: every input known and
// well formed, every output known. Engines call it first in Run.
func (spec EngineSpec) CheckRun(inputs []Tensor, outputs []string) error {
	var errs []error
	for _, in := range inputs {
		if !slices.Contains(spec.Inputs, in.Name) {
			errs = append(errs, fmt.Errorf("input %q is not one of %q", in.Name, spec.Inputs))
			continue
		}
		if err := in.Check(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(inputs) != len(spec.Inputs) {
		errs = append(errs, fmt.Errorf("got %d inputs, the model takes %d (%q)", len(inputs), len(spec.Inputs), spec.Inputs))
	}
	for _, o := range outputs {
		if !slices.Contains(spec.Outputs, o) {
			errs = append(errs, fmt.Errorf("output %q is not one of %q", o, spec.Outputs))
		}
	}
	if len(outputs) == 0 {
		errs = append(errs, errors.New("no output asked for"))
	}
	return errors.Join(errs...)
}
