//go:build onnxruntime && cgo

package model

import (
	"errors"
	"fmt"
	"os"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// The onnxruntime engine runs models with ONNX Runtime through
// github.com/yalue/onnxruntime_go (cgo). It exists for the container tiers,
// where a shared library is acceptable and models may need operators gonnx
// lacks. Build with -tags onnxruntime and point ONNXRUNTIME_LIB at
// libonnxruntime.so (the npm package onnxruntime-node ships one). The Lambda
// build never includes it: it is cgo-free.
func init() { RegisterEngine("onnxruntime", newORTEngine) }

var (
	ortOnce sync.Once
	ortErr  error
)

func initORT() error {
	ortOnce.Do(func() {
		lib := os.Getenv("ONNXRUNTIME_LIB")
		if lib == "" {
			ortErr = errors.New("onnxruntime: ONNXRUNTIME_LIB is not set: want the path of libonnxruntime.so")
			return
		}
		ort.SetSharedLibraryPath(lib)
		if err := ort.InitializeEnvironment(); err != nil {
			ortErr = fmt.Errorf("onnxruntime: initialize with ONNXRUNTIME_LIB=%q: %w", lib, err)
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
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(spec.ONNX, []string{spec.Input}, []string{spec.Output}, nil)
	if err != nil {
		return nil, fmt.Errorf("onnxruntime: load model: %w", err)
	}
	return &ortEngine{s: s, spec: spec}, nil
}

// Run is safe for concurrent use: ONNX Runtime sessions allow concurrent
// Run calls and each call has its own tensors.
func (e *ortEngine) Run(x []float32, n int) ([]float32, error) {
	if n < 1 || len(x) != n*e.spec.Dims {
		return nil, fmt.Errorf("onnxruntime: input has %d values, want %d×%d", len(x), n, e.spec.Dims)
	}
	in, err := ort.NewTensor(ort.NewShape(int64(n), int64(e.spec.Dims)), x)
	if err != nil {
		return nil, fmt.Errorf("onnxruntime: input tensor: %w", err)
	}
	defer in.Destroy()
	out, err := ort.NewEmptyTensor[float32](ort.NewShape(int64(n), int64(e.spec.Outputs)))
	if err != nil {
		return nil, fmt.Errorf("onnxruntime: output tensor: %w", err)
	}
	defer out.Destroy()
	if err := e.s.Run([]ort.Value{in}, []ort.Value{out}); err != nil {
		return nil, fmt.Errorf("onnxruntime: run: %w", err)
	}
	return append([]float32(nil), out.GetData()...), nil
}

func (e *ortEngine) Close() error { return e.s.Destroy() }
