// Command ortoptimize writes ONNX Runtime's offline optimization of a model
// directory's graph next to a copy of it: the model server's packaging
// (internal/modelserver) builds it by import path for the machine that
// synthesizes, runs it once per model and ships what it writes in the
// server's model/ directory, so a cold start builds its session from a
// graph that has nothing left to fuse (see model.ORTOptimizedFile).
//
//	ortoptimize MODEL_DIR OUT_DIR
//
// It writes OUT_DIR/model.ort-extended.onnx and
// OUT_DIR/onnxruntime-optimized.json; ONNX Runtime is found as the model
// server finds it (lib/ next to the executable first).
package main

import (
	"fmt"
	"os"

	"github.com/costguard-ml/costguard/lambda/model"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ortoptimize MODEL_DIR OUT_DIR")
		os.Exit(2)
	}
	if err := model.WriteORTOptimized(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "ortoptimize:", err)
		os.Exit(1)
	}
}
