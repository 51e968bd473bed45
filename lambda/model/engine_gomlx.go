//go:build purego || !cgo || gomlx

package model

import (
	"fmt"
	"slices"

	"github.com/gomlx/exceptions"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/onnx-gomlx/onnx"
)

// The gomlx engine converts the ONNX graph to a GoMLX graph
// (github.com/gomlx/onnx-gomlx) and runs it on GoMLX's pure-Go backend
// (simplego): no cgo, and far more operators than gonnx (convolutions,
// pooling, BatchNormalization, LayerNormalization, Erf, opsets past 13).
// It is in the cgo-free builds (-tags purego or CGO_ENABLED=0), where
// ONNX Runtime is not; -tags gomlx adds it to a cgo build. See doc.go for
// what it costs.
func init() { RegisterEngine("gomlx", newGomlxEngine) }

type gomlxEngine struct {
	spec    EngineSpec
	backend backends.Backend
	exec    *context.Exec
}

func newGomlxEngine(spec EngineSpec) (e Engine, err error) {
	// GoMLX and onnx-gomlx report errors by panicking.
	if p := exceptions.TryCatch[error](func() { e, err = buildGomlx(spec) }); p != nil {
		return nil, fmt.Errorf("gomlx: %w", p)
	}
	return e, err
}

func buildGomlx(spec EngineSpec) (Engine, error) {
	m, err := onnx.Parse(spec.ONNX)
	if err != nil {
		return nil, fmt.Errorf("gomlx: decode model: %w", err)
	}
	ctx := context.New()
	if err := m.VariablesToContext(ctx); err != nil {
		return nil, fmt.Errorf("gomlx: load weights: %w", err)
	}
	backend, err := simplego.New("")
	if err != nil {
		return nil, fmt.Errorf("gomlx: backend: %w", err)
	}
	inputs, outputs := slices.Clone(spec.Inputs), slices.Clone(spec.Outputs)
	exec, err := context.NewExec(backend, ctx.Reuse(), func(ctx *context.Context, in []*graph.Node) []*graph.Node {
		feeds := make(map[string]*graph.Node, len(in))
		for i, n := range in {
			feeds[inputs[i]] = n
		}
		return m.CallGraph(ctx, in[0].Graph(), feeds, outputs...)
	})
	if err != nil {
		backend.Finalize()
		return nil, fmt.Errorf("gomlx: %w", err)
	}
	// Each new input shape compiles a graph; batch sizes and sequence
	// lengths vary, so keep more than the default 32.
	exec.SetMaxCache(256)
	spec.ONNX = nil // only valid during this call
	return &gomlxEngine{spec: spec, backend: backend, exec: exec}, nil
}

// Run is safe for concurrent use: a compiled GoMLX executable may run from
// several goroutines.
func (e *gomlxEngine) Run(inputs []Tensor, outputs []string) (res []Tensor, err error) {
	if err := e.spec.CheckRun(inputs, outputs); err != nil {
		return nil, fmt.Errorf("gomlx: %w", err)
	}
	args := make([]any, len(e.spec.Inputs))
	for _, t := range inputs {
		i := slices.Index(e.spec.Inputs, t.Name)
		dims := make([]int, len(t.Shape))
		for j, d := range t.Shape {
			dims[j] = int(d)
		}
		switch t.DType {
		case Float32:
			args[i] = tensors.FromFlatDataAndDimensions(t.Float32, dims...)
		case Int64:
			args[i] = tensors.FromFlatDataAndDimensions(t.Int64, dims...)
		}
	}
	if slices.Contains(args, nil) {
		return nil, fmt.Errorf("gomlx: an input is given twice")
	}
	var outs []*tensors.Tensor
	if p := exceptions.TryCatch[error](func() { outs, err = e.exec.Exec(args...) }); p != nil {
		return nil, fmt.Errorf("gomlx: run: %w", p)
	}
	if err != nil {
		return nil, fmt.Errorf("gomlx: run: %w", err)
	}
	defer func() {
		for _, o := range outs {
			_ = o.FinalizeAll()
		}
	}()
	res = make([]Tensor, len(outputs))
	for i, name := range outputs {
		o := outs[slices.Index(e.spec.Outputs, name)]
		r := Tensor{Name: name}
		for _, d := range o.Shape().Dimensions {
			r.Shape = append(r.Shape, int64(d))
		}
		switch o.DType() {
		case dtypes.Float32:
			r.DType = Float32
			r.Float32, err = tensors.CopyFlatData[float32](o)
		case dtypes.Int64:
			r.DType = Int64
			r.Int64, err = tensors.CopyFlatData[int64](o)
		default:
			return nil, fmt.Errorf("gomlx: output %q is %s, want float32 or int64", name, o.DType())
		}
		if err != nil {
			return nil, fmt.Errorf("gomlx: output %q: %w", name, err)
		}
		res[i] = r
	}
	return res, nil
}

func (e *gomlxEngine) Close() error {
	e.exec.Finalize()
	e.backend.Finalize()
	return nil
}
