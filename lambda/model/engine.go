package model

import (
	"fmt"
	"slices"
	"sort"
	"sync"
)

// Engine runs a loaded ONNX graph.
//
// Run scores a batch: x is the row-major [n, inDims] input and the result
// is the row-major [n, outDims] output. Implementations must be safe for
// concurrent use (the HTTP faces serve requests in parallel).
type Engine interface {
	Run(x []float32, n int) ([]float32, error)
	Close() error
}

// EngineSpec tells an engine factory what to load.
type EngineSpec struct {
	// ONNX is the model file. It is valid only while the factory runs (it
	// may be a read-only mapping of the file): an engine copies what it
	// keeps and never writes to it.
	ONNX   []byte
	Input  string
	Dims   int
	Output string
	// Outputs is the width of the output tensor (the number of labels).
	Outputs int
}

// EngineFactory builds an Engine from a model's bytes.
type EngineFactory func(spec EngineSpec) (Engine, error)

// DefaultEngine is the engine used when none is named.
const DefaultEngine = "gonnx"

var (
	enginesMu sync.RWMutex
	engines   = map[string]EngineFactory{}
)

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
