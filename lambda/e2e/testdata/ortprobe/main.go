// Command ortprobe measures what ONNX Runtime alone needs to answer once in
// a fresh process: loading the shared library and creating its
// environment, building the session of a model (the model server's session
// options: one intra-op thread, one inter-op thread, every graph
// optimization) and one run on a neutral input of the request's shape. It
// prints one JSON line of milliseconds. BenchmarkModelColdStart runs it
// once per iteration next to the two cold starts; it is the denominator of
// the "cold start ≤ 1.3× ORT's own session load + first run".
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/costguard-ml/costguard/internal/ortlib"
	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/tokenizer"
	ort "github.com/yalue/onnxruntime_go"
)

func main() {
	dir := flag.String("model", "", "model directory (manifest.json)")
	text := flag.String("text", "", "text to tokenize for a text model's input")
	flag.Parse()
	if err := run(*dir, *text); err != nil {
		fmt.Fprintln(os.Stderr, "ortprobe:", err)
		os.Exit(1)
	}
}

func run(dir, text string) error {
	// Inputs are made before the clock starts: they are not ORT's work.
	man, err := model.ReadManifest(dir)
	if err != nil {
		return err
	}
	onnx, err := os.ReadFile(filepath.Join(dir, man.ONNX.File))
	if err != nil {
		return err
	}
	switch {
	case man.Image != nil:
		h, w := int64(man.Image.Height), int64(man.Image.Width)
		return measure(onnx, []string{man.Image.Input}, man.Output, func() ([]ort.Value, error) {
			v, err := ort.NewTensor(ort.NewShape(1, 3, h, w), make([]float32, 3*h*w))
			return []ort.Value{v}, err
		})
	case man.Text != nil && man.Text.Tokenizer != "":
		tok, err := tokenizer.Load(filepath.Join(dir, man.Text.Tokenizer), tokenizer.Options{MaxLength: man.Text.MaxLength})
		if err != nil {
			return err
		}
		enc, err := tok.Encode(text, man.Text.MaxLength)
		if err != nil {
			return err
		}
		names := []string{man.Text.InputIDs, man.Text.AttentionMask, man.Text.TokenTypeIDs}
		shape := ort.NewShape(1, int64(len(enc.IDs)))
		return measure(onnx, names, man.Output, func() ([]ort.Value, error) {
			var vs []ort.Value
			for _, d := range [][]int64{enc.IDs, enc.AttentionMask, enc.TypeIDs} {
				v, err := ort.NewTensor(shape, d)
				if err != nil {
					return nil, err
				}
				vs = append(vs, v)
			}
			return vs, nil
		})
	}
	return fmt.Errorf("%s: not an image or tokenized-text model", dir)
}

func measure(onnx []byte, inputs []string, output string, feeds func() ([]ort.Value, error)) error {
	lib, err := ortlib.Find(runtime.GOARCH)
	if err != nil {
		return err
	}
	t0 := time.Now()
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return err
	}
	t1 := time.Now()
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return err
	}
	for _, set := range []func() error{
		func() error { return opts.SetIntraOpNumThreads(1) },
		func() error { return opts.SetInterOpNumThreads(1) },
		func() error { return opts.SetGraphOptimizationLevel(ort.GraphOptimizationLevelEnableAll) },
	} {
		if err := set(); err != nil {
			return err
		}
	}
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(onnx, inputs, []string{output}, opts)
	if err != nil {
		return err
	}
	t2 := time.Now()
	in, err := feeds()
	if err != nil {
		return err
	}
	out := []ort.Value{nil}
	if err := s.Run(in, out); err != nil {
		return err
	}
	t3 := time.Now()
	ms := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
	return json.NewEncoder(os.Stdout).Encode(map[string]float64{
		"library_env_ms": ms(t1.Sub(t0)), "session_ms": ms(t2.Sub(t1)), "first_run_ms": ms(t3.Sub(t2)), "total_ms": ms(t3.Sub(t0)),
	})
}
