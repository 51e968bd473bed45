// Command ortprobe measures what ONNX Runtime alone needs to answer once in
// a fresh process: loading the shared library and creating its
// environment, building the session of a model (the model server's session
// options: one intra-op thread, one inter-op thread, every graph
// optimization) and one run on a neutral input of the request's shape. The
// model is the export (the manifest's ONNX file), or with -optimized the
// offline-optimized graph the model server's packaging ships next to it,
// built with the optimization level the server uses for it. It
// prints one JSON line of milliseconds. BenchmarkModelColdStart runs it
// once per iteration next to the two cold starts; it is the denominator of
// the "cold start ≤ 1.3× ORT's own session load + first run".
//
// Started by a Lambda runtime (AWS_LAMBDA_RUNTIME_API set) it is the
// smallest Lambda function around ONNX Runtime: its init does the same
// steps (library, environment, session, first run; the model directory
// and the input's token count from ORTPROBE_MODEL and ORTPROBE_TOKENS),
// then it answers every invoke with a fixed body. Under the emulator its
// cold start is ORT's own work plus what every Go function pays (the
// emulator, the process, aws-lambda-go): the like-for-like denominator.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/costguard-ml/costguard/internal/ortlib"
	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/tokenizer"
	ort "github.com/yalue/onnxruntime_go"
)

// init keeps the measurement on the main thread, as the model server's
// bootstrap does (see its init): ONNX Runtime's allocations are cheapest
// from glibc's main heap, so ORT alone is timed at its best.
func init() { runtime.LockOSThread() }

func main() {
	dir := flag.String("model", os.Getenv("ORTPROBE_MODEL"), "model directory (manifest.json)")
	text := flag.String("text", "", "text to tokenize for a text model's input")
	tokens := flag.Int("tokens", envInt("ORTPROBE_TOKENS"), "a text model's input length, instead of -text (neutral ids)")
	optimized := flag.Bool("optimized", false, "load the directory's offline-optimized graph (model.ORTOptimizedFile), not the export")
	flag.Parse()
	if err := run(*dir, *text, *tokens, *optimized); err != nil {
		fmt.Fprintln(os.Stderr, "ortprobe:", err)
		os.Exit(1)
	}
	if os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" {
		lambda.Start(func(context.Context, json.RawMessage) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"ortprobe":"ok"}`}, nil
		})
	}
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}

func run(dir, text string, tokens int, optimized bool) error {
	// Inputs are made before the clock starts: they are not ORT's work.
	man, err := model.ReadManifest(dir)
	if err != nil {
		return err
	}
	file, level := man.ONNX.File, ort.GraphOptimizationLevel(ort.GraphOptimizationLevelEnableAll)
	if optimized {
		b, err := os.ReadFile(filepath.Join(dir, model.ORTOptimizedInfoFile))
		if err != nil {
			return err
		}
		var o model.ORTOptimized
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		file = o.File
		if !o.Layout {
			level = ort.GraphOptimizationLevelDisableAll // as the server does: see model.ORTOptimized
		}
	}
	onnx, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return err
	}
	switch {
	case man.Image != nil:
		h, w := int64(man.Image.Height), int64(man.Image.Width)
		return measure(onnx, level, []string{man.Image.Input}, man.Output, 0, func() ([]ort.Value, error) {
			v, err := ort.NewTensor(ort.NewShape(1, 3, h, w), make([]float32, 3*h*w))
			return []ort.Value{v}, err
		})
	case man.Text != nil && man.Text.Tokenizer != "":
		var enc tokenizer.Encoding
		if tokens > 0 {
			// Neutral ids of the request's length: the run's cost depends
			// on the shape only.
			enc = tokenizer.Encoding{IDs: make([]int64, tokens), AttentionMask: make([]int64, tokens), TypeIDs: make([]int64, tokens)}
			for i := range enc.AttentionMask {
				enc.AttentionMask[i] = 1
			}
		} else {
			tok, err := tokenizer.Load(filepath.Join(dir, man.Text.Tokenizer), tokenizer.Options{MaxLength: man.Text.MaxLength})
			if err != nil {
				return err
			}
			if enc, err = tok.Encode(text, man.Text.MaxLength); err != nil {
				return err
			}
		}
		names := []string{man.Text.InputIDs, man.Text.AttentionMask, man.Text.TokenTypeIDs}
		shape := ort.NewShape(1, int64(len(enc.IDs)))
		return measure(onnx, level, names, man.Output, len(enc.IDs), func() ([]ort.Value, error) {
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

func measure(onnx []byte, level ort.GraphOptimizationLevel, inputs []string, output string, tokens int, feeds func() ([]ort.Value, error)) error {
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
		func() error { return opts.SetGraphOptimizationLevel(level) },
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
		"tokens": float64(tokens),
	})
}
