package model

import (
	"fmt"
	"runtime"
	"slices"

	"github.com/advancedclimatesystems/gonnx"
	"gorgonia.org/tensor"
)

func init() { RegisterEngine("gonnx", newGonnxEngine) }

// gonnxEngine runs the graph with github.com/advancedclimatesystems/gonnx,
// pure Go, opset 13. gonnx builds fresh operators and a fresh tensor map on
// every Run and clones shared parameters before reshaping them, so one
// *gonnx.Model serves concurrent requests.
type gonnxEngine struct {
	m    *gonnx.Model
	spec EngineSpec
	// arena holds the initializers' float data (nil: on the heap); gonnx
	// uses those slices as tensor backings.
	arena *floatArena
}

func newGonnxEngine(spec EngineSpec) (Engine, error) {
	arena := newFloatArena(len(spec.ONNX))
	var alloc floatAlloc
	if arena != nil {
		alloc = arena.floats
	}
	mp, err := decodeONNXInto(spec.ONNX, alloc)
	if err != nil {
		if arena != nil {
			arena.release()
			arena = nil
		}
		// Outside the fast decoder's subset, or malformed: let the
		// protobuf runtime decide.
		if mp, err = gonnx.ModelProtoFromBytes(spec.ONNX); err != nil {
			return nil, fmt.Errorf("gonnx: decode model: %w", err)
		}
	}
	m, err := gonnx.NewModel(mp)
	if err != nil {
		if arena != nil {
			arena.release()
		}
		return nil, fmt.Errorf("gonnx: load model: %w", err)
	}
	spec.ONNX = nil // only valid during this call
	e := &gonnxEngine{m: m, spec: spec, arena: arena}
	if arena != nil {
		// The weights are needed for as long as e can run.
		runtime.AddCleanup(e, (*floatArena).release, arena)
	}
	return e, nil
}

func (e *gonnxEngine) Run(x []float32, n int) ([]float32, error) {
	if n < 1 || len(x) != n*e.spec.Dims {
		return nil, fmt.Errorf("gonnx: input has %d values, want %d×%d", len(x), n, e.spec.Dims)
	}
	in := tensor.New(tensor.WithShape(n, e.spec.Dims), tensor.WithBacking(x))
	out, err := e.m.Run(gonnx.Tensors{e.spec.Input: in})
	if err != nil {
		return nil, fmt.Errorf("gonnx: run: %w", err)
	}
	t, ok := out[e.spec.Output]
	if !ok || t == nil {
		return nil, fmt.Errorf("gonnx: output %q missing", e.spec.Output)
	}
	if s := t.Shape(); len(s) != 2 || s[0] != n || s[1] != e.spec.Outputs {
		return nil, fmt.Errorf("gonnx: output %q has shape %v, want [%d %d]", e.spec.Output, s, n, e.spec.Outputs)
	}
	m := tensor.Materialize(t)
	v, ok := m.Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("gonnx: output %q is %v, want float32", e.spec.Output, t.Dtype())
	}
	if e.arena != nil && len(v) > 0 && e.arena.contains(&v[0]) {
		v = slices.Clone(v) // an initializer as the output: never hand out arena memory
	}
	runtime.KeepAlive(e) // the arena must outlive the run
	return v, nil
}

func (e *gonnxEngine) Close() error { return nil }
