//go:build cgo && !purego

package model

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
	level := ort.GraphOptimizationLevel(ort.GraphOptimizationLevelEnableAll)
	if spec.Optimized {
		level = ort.GraphOptimizationLevelDisableAll // see ORTOptimized.Layout
	}
	// One run at a time uses the intra-op pool; inter-op parallelism only
	// pays for graphs with independent branches and costs a second pool.
	for _, set := range []func() error{
		func() error { return opts.SetIntraOpNumThreads(threads) },
		func() error { return opts.SetInterOpNumThreads(1) },
		func() error { return opts.SetGraphOptimizationLevel(level) },
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

// WriteORTOptimized writes ONNX Runtime's offline optimization of the model
// in dir into the directory out: the graph optimized at
// ORTOptimizationLevel as ORTOptimizedFile, and its record,
// ORTOptimizedInfoFile (see ORTOptimized). The model file must have its
// manifest's sha256. The same model gives the same bytes on every run and
// host.
func WriteORTOptimized(dir, out string) error {
	man, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	src := filepath.Join(dir, man.ONNX.File)
	onnx, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if got := SHA256Hex(onnx); got != man.ONNX.SHA256 {
		return fmt.Errorf("%s: sha256 is %s, %s says %s", src, got, ManifestFile, man.ONNX.SHA256)
	}
	dst := filepath.Join(out, ORTOptimizedFile)
	if err := optimizeORT(onnx, dst); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	opt, err := os.ReadFile(dst)
	if err != nil {
		return err
	}
	g, err := InspectONNX(opt)
	if err != nil {
		return fmt.Errorf("%s: %w", dst, err)
	}
	rec, err := json.MarshalIndent(ORTOptimized{
		Source: man.ONNX.SHA256, File: ORTOptimizedFile, SHA256: SHA256Hex(opt), Bytes: int64(len(opt)),
		Runtime: ort.GetVersion(), Level: ORTOptimizationLevel, Layout: slices.ContainsFunc(g.Operators, layoutOperator),
	}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, ORTOptimizedInfoFile), append(rec, '\n'), 0o644)
}

// optimizeORT has ONNX Runtime optimize onnx at ORTOptimizationLevel and
// save the graph to dst. Every graph input and output is named, so the
// saved graph keeps them all.
func optimizeORT(onnx []byte, dst string) error {
	if err := initORT(); err != nil {
		return err
	}
	ins, outs, err := ort.GetInputOutputInfoWithONNXData(onnx)
	if err != nil {
		return fmt.Errorf("onnxruntime: %w", err)
	}
	var inNames, outNames []string
	for _, i := range ins {
		inNames = append(inNames, i.Name)
	}
	for _, o := range outs {
		outNames = append(outNames, o.Name)
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return fmt.Errorf("onnxruntime: session options: %w", err)
	}
	defer opts.Destroy()
	for _, set := range []func() error{
		func() error { return opts.SetIntraOpNumThreads(1) },
		func() error { return opts.SetInterOpNumThreads(1) },
		func() error { return opts.SetGraphOptimizationLevel(ort.GraphOptimizationLevelEnableExtended) },
		func() error { return opts.SetOptimizedModelFilePath(dst) },
	} {
		if err := set(); err != nil {
			return fmt.Errorf("onnxruntime: session options: %w", err)
		}
	}
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(onnx, inNames, outNames, opts)
	if err != nil {
		return fmt.Errorf("onnxruntime: optimize: %w", err)
	}
	return s.Destroy()
}
