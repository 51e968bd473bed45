//go:build cgo && !purego

package model

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/costguard-ml/costguard/internal/ortlib"
	ort "github.com/yalue/onnxruntime_go"
)

// The onnxruntime engine runs models with ONNX Runtime through
// github.com/yalue/onnxruntime_go (cgo). It is the default engine of every
// cgo build, the Lambda build included; a build with -tags purego or
// CGO_ENABLED=0 leaves it out. The shared library is found by
// internal/ortlib (ONNXRUNTIME_LIB, lib/ next to the executable, /var/task/lib,
// /opt/lib, the user cache that `make deps` fills, .tools/ort).
func init() {
	RegisterEngine("onnxruntime", newORTEngine)
	RegisterEnginePrepare("onnxruntime", initORT)
}

var (
	ortOnce sync.Once
	ortErr  error
)

// initORT loads the shared library once per process.
func initORT() error {
	ortOnce.Do(func() {
		lib, err := ortlib.Find(runtime.GOARCH)
		if err != nil {
			ortErr = fmt.Errorf("onnxruntime: %w", err)
			return
		}
		ort.SetSharedLibraryPath(lib)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			ortErr = fmt.Errorf("onnxruntime: initialize with %s: %w", lib, err)
		}
	})
	return ortErr
}

type ortEngine struct {
	s    *ort.DynamicAdvancedSession
	spec EngineSpec
}

func newORTEngine(spec EngineSpec) (Engine, error) {
	if err := initORT(); err != nil {
		return nil, err
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("onnxruntime: session options: %w", err)
	}
	defer opts.Destroy()
	threads := max(spec.IntraOpThreads, 1)
	// One run at a time uses the intra-op pool; inter-op parallelism only
	// pays for graphs with independent branches and costs a second pool.
	for _, set := range []func() error{
		func() error { return opts.SetIntraOpNumThreads(threads) },
		func() error { return opts.SetInterOpNumThreads(1) },
		func() error { return opts.SetGraphOptimizationLevel(ort.GraphOptimizationLevelEnableAll) },
	} {
		if err := set(); err != nil {
			return nil, fmt.Errorf("onnxruntime: session options: %w", err)
		}
	}
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(spec.ONNX, spec.Inputs, spec.Outputs, opts)
	if err != nil {
		return nil, fmt.Errorf("onnxruntime: load model: %w", err)
	}
	spec.ONNX = nil // only valid during this call
	return &ortEngine{s: s, spec: spec}, nil
}

// Run is safe for concurrent use: ONNX Runtime sessions allow concurrent
// Run calls and each call has its own tensors. ORT allocates the outputs
// (their shapes may depend on the inputs); their data is copied to Go
// memory before the values are released.
func (e *ortEngine) Run(inputs []Tensor, outputs []string) ([]Tensor, error) {
	if err := e.spec.CheckRun(inputs, outputs); err != nil {
		return nil, fmt.Errorf("onnxruntime: %w", err)
	}
	in := make([]ort.Value, len(e.spec.Inputs))
	defer destroyAll(in)
	for _, t := range inputs {
		i := indexOf(e.spec.Inputs, t.Name)
		if in[i] != nil {
			return nil, fmt.Errorf("onnxruntime: input %q given twice", t.Name)
		}
		v, err := ortTensor(t)
		if err != nil {
			return nil, fmt.Errorf("onnxruntime: input %q: %w", t.Name, err)
		}
		in[i] = v
	}
	// The session computes every output it was built with; nil asks ORT
	// to allocate each.
	out := make([]ort.Value, len(e.spec.Outputs))
	if err := e.s.Run(in, out); err != nil {
		destroyAll(out)
		return nil, fmt.Errorf("onnxruntime: run: %w", err)
	}
	defer destroyAll(out)
	res := make([]Tensor, len(outputs))
	for i, name := range outputs {
		v := out[indexOf(e.spec.Outputs, name)]
		r := Tensor{Name: name, Shape: v.GetShape()}
		switch t := v.(type) {
		case *ort.Tensor[float32]:
			r.DType, r.Float32 = Float32, t.GetData()
		case *ort.Tensor[int64]:
			r.DType, r.Int64 = Int64, t.GetData()
		default:
			return nil, fmt.Errorf("onnxruntime: output %q is %v of %v, want a float32 or int64 tensor", name, v.GetONNXType(), v.DataType())
		}
		res[i] = r
	}
	return res, nil
}

func ortTensor(t Tensor) (ort.Value, error) {
	shape := ort.NewShape(t.Shape...)
	if t.Len() == 0 {
		// NewTensor cannot take an empty slice's address; an empty
		// tensor needs no data.
		switch t.DType {
		case Int64:
			return ort.NewEmptyTensor[int64](shape)
		default:
			return ort.NewEmptyTensor[float32](shape)
		}
	}
	switch t.DType {
	case Int64:
		return ort.NewTensor(shape, t.Int64)
	default:
		return ort.NewTensor(shape, t.Float32)
	}
}

func destroyAll(vs []ort.Value) {
	for _, v := range vs {
		if v != nil {
			_ = v.Destroy()
		}
	}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

func (e *ortEngine) Close() error { return e.s.Destroy() }
