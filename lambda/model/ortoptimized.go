package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ONNX Runtime optimizes a graph (constant folding, redundant node
// elimination, fusions such as LayerNorm, GELU and attention) every time it
// builds a session: 40 % of the BERT test model's session build, a third of
// MobileNet's. ORT can save the graph it optimized (its "offline mode"), so
// the model server's packaging (internal/modelserver) does that once per
// model and ships the result next to the model's file with a small record,
// [ORTOptimized]; the onnxruntime engine then builds its session from the
// optimized graph, and a cold start skips the work.
//
// The level is "extended", the highest one whose result ONNX Runtime keeps
// independent of the hardware (it warns that a graph saved at "all", which
// adds layout changes for the CPU at hand, may only run where it was made).
// What is left for the cold start is that layout level, whose transformers
// (NCHWc on x86_64, NHWC, Conv+Add+activation fusion) all start from a
// convolution or a pooling: a graph that has one is built with every level,
// so the layout changes for the function's own CPU are made there, on a
// graph with nothing left to fuse; a graph without one (a BERT-class
// encoder, an MLP, a scikit-learn model) is built with graph optimizations
// off, as ONNX Runtime's documentation of the offline mode suggests. The
// saved graph is the same bytes on x86_64 and arm64 hosts and from run to
// run (tested), so the asset hash holds.
const (
	// ORTOptimizedFile is the optimized graph's file name in the model
	// directory the server reads.
	ORTOptimizedFile = "model.ort-extended.onnx"
	// ORTOptimizedInfoFile is the record of how it was made.
	ORTOptimizedInfoFile = "onnxruntime-optimized.json"
	// ORTOptimizationLevel is the graph optimization level it was saved at.
	ORTOptimizationLevel = "extended"
)

// ORTOptimized records an offline-optimized graph.
type ORTOptimized struct {
	// Source is the sha256 of the model file it was made from: the
	// manifest's onnx.sha256.
	Source string `json:"source_sha256"`
	// File is the optimized graph's file name, next to the record.
	File string `json:"file"`
	// SHA256 and Bytes pin the optimized graph.
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	// Runtime is the ONNX Runtime version that optimized it.
	Runtime string `json:"onnxruntime"`
	// Level is the graph optimization level it was saved at.
	Level string `json:"level"`
	// Layout says the graph holds an operator that ONNX Runtime's layout
	// level acts on (a convolution or a pooling: [layoutOperator]): the
	// session runs every level. Without one it runs none.
	Layout bool `json:"layout"`
}

// layoutOperator reports an operator that ONNX Runtime's layout level
// (TransformerLevel::Level3: the NCHWc and NHWC transformers,
// ConvAddActivationFusion) starts from: a convolution or a pooling of any
// domain (Conv, FusedConv, QLinearConv, ConvTranspose, MaxPool,
// GlobalAveragePool, QLinearAveragePool, …).
func layoutOperator(op Operator) bool {
	return strings.Contains(op.Type, "Conv") || strings.Contains(op.Type, "Pool")
}

// loadGraph is the ONNX file Load hands the engine.
type loadGraph struct {
	file   string
	sha256 string // what the file's sha256 must be
	// optimized: see EngineSpec.Optimized.
	optimized bool
}

// graphFile returns the graph Load hands the engine: for ONNX Runtime, the
// offline-optimized one when dir holds one made from this model by this
// build's ONNX Runtime version; else the manifest's ONNX file. A record
// made from another model, or one that cannot be read, is an error (the
// directory was packaged wrong); one made by another ONNX Runtime version
// is passed over.
func graphFile(dir string, man *Manifest, engine string) (loadGraph, error) {
	export := loadGraph{file: man.ONNX.File, sha256: man.ONNX.SHA256}
	if engine != NativeEngine {
		return export, nil
	}
	path := filepath.Join(dir, ORTOptimizedInfoFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return export, nil
	}
	if err != nil {
		return loadGraph{}, err
	}
	var o ORTOptimized
	if err := json.Unmarshal(b, &o); err != nil {
		return loadGraph{}, fmt.Errorf("%s: %v", path, err)
	}
	switch {
	case o.Source != man.ONNX.SHA256:
		return loadGraph{}, fmt.Errorf("%s: made from the model with sha256 %s, the manifest's is %s: package the model again", path, o.Source, man.ONNX.SHA256)
	case o.File == "" || filepath.Base(o.File) != o.File || o.SHA256 == "":
		return loadGraph{}, fmt.Errorf("%s: file %q, sha256 %q: want a file name next to it and its sha256", path, o.File, o.SHA256)
	case o.Runtime != ortVersion:
		return export, nil
	}
	return loadGraph{file: o.File, sha256: o.SHA256, optimized: !o.Layout}, nil
}

// recordOf names the record that pins file's sha256.
func recordOf(file string, man *Manifest) string {
	if file == man.ONNX.File {
		return "manifest"
	}
	return ORTOptimizedInfoFile
}
