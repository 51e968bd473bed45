package gonnxengine

import (
	"fmt"
	"runtime"
	"slices"

	"github.com/advancedclimatesystems/gonnx"
	"github.com/costguard-ml/costguard/lambda/model"
	"gorgonia.org/tensor"
)

// Name is the engine's name in manifests, ENGINE and model.Options.
const Name = "gonnx"

func init() { model.RegisterEngine(Name, newEngine) }

// engine runs the graph with github.com/advancedclimatesystems/gonnx, pure
// Go, opset 13 only, a short operator list (see model.CheckEngine). gonnx
// builds fresh operators and a fresh tensor map on every Run and clones
// shared parameters before reshaping them, so one *gonnx.Model serves
// concurrent requests.
type engine struct {
	m    *gonnx.Model
	spec model.EngineSpec
	// arena holds the initializers' float data (nil: on the heap); gonnx
	// uses those slices as tensor backings.
	arena *floatArena
}

func newEngine(spec model.EngineSpec) (model.Engine, error) {
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
	e := &engine{m: m, spec: spec, arena: arena}
	if arena != nil {
		// The weights are needed for as long as e can run.
		runtime.AddCleanup(e, (*floatArena).release, arena)
	}
	return e, nil
}

func (e *engine) Run(inputs []model.Tensor, outputs []string) ([]model.Tensor, error) {
	if err := e.spec.CheckRun(inputs, outputs); err != nil {
		return nil, fmt.Errorf("gonnx: %w", err)
	}
	in := make(gonnx.Tensors, len(inputs))
	for _, t := range inputs {
		shape := make([]int, len(t.Shape))
		for i, d := range t.Shape {
			shape[i] = int(d)
		}
		switch t.DType {
		case model.Float32:
			in[t.Name] = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(t.Float32))
		case model.Int64:
			in[t.Name] = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(t.Int64))
		}
	}
	out, err := e.m.Run(in)
	if err != nil {
		return nil, fmt.Errorf("gonnx: run: %w", err)
	}
	res := make([]model.Tensor, len(outputs))
	for i, name := range outputs {
		t, ok := out[name]
		if !ok || t == nil {
			return nil, fmt.Errorf("gonnx: output %q missing", name)
		}
		r := model.Tensor{Name: name}
		for _, d := range t.Shape() {
			r.Shape = append(r.Shape, int64(d))
		}
		switch v := tensor.Materialize(t).Data().(type) {
		case []float32:
			if e.arena != nil && len(v) > 0 && e.arena.contains(&v[0]) {
				v = slices.Clone(v) // an initializer as the output: never hand out arena memory
			}
			r.DType, r.Float32 = model.Float32, v
		case []int64:
			r.DType, r.Int64 = model.Int64, v
		case float32:
			r.DType, r.Float32 = model.Float32, []float32{v}
		case int64:
			r.DType, r.Int64 = model.Int64, []int64{v}
		default:
			return nil, fmt.Errorf("gonnx: output %q is %v, want float32 or int64", name, t.Dtype())
		}
		if err := r.Check(); err != nil {
			return nil, fmt.Errorf("gonnx: %w", err)
		}
		res[i] = r
	}
	runtime.KeepAlive(e) // the arena must outlive the run
	return res, nil
}

func (e *engine) Close() error { return nil }
