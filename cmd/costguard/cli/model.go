package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/costguard-ml/costguard/lambda/model"
	// model check runs gonnx too, in every build of the CLI.
	_ "github.com/costguard-ml/costguard/lambda/model/gonnxengine"
)

func init() {
	Register(Command{
		Name:    "model",
		Summary: "bring your own model: init a model directory from an ONNX export, check that it serves and measure it",
		Usage: "costguard model init --onnx FILE --out DIR --task image-classification|text-classification|tabular [flags]\n" +
			"       costguard model check DIR [--json] [--write-profile=false]",
		Run: runModel,
	})
}

func runModel(env Env, args []string) error {
	if len(args) == 0 {
		return Usagef("model: say init or check (costguard help model)")
	}
	switch args[0] {
	case "init":
		return runModelInit(env, args[1:])
	case "check":
		return runModelCheck(env, args[1:])
	case "-h", "-help", "--help":
		return &helpError{text: "usage: " + commands["model"].Usage + "\n"}
	}
	return Usagef("model: %q is not a subcommand (init, check)", args[0])
}

func runModelInit(env Env, args []string) error {
	f := NewFlags("model init", "costguard model init --onnx FILE --out DIR --task TASK [flags]\n\n"+
		"Inspects an exported ONNX graph (inputs, outputs, element types, dynamic axes,\n"+
		"opsets, operators), writes DIR/manifest.json with the file's sha256 and copies\n"+
		"the ONNX and tokenizer files into DIR. Refuses what the model server cannot serve.")
	onnxPath := f.String("onnx", "", "the exported ONNX file")
	out := f.String("out", "", "model directory to write")
	task := f.Choice("task", "", model.Tasks, "what the model does")
	labels := f.String("labels", "", "class names in output order: a,b,c or @FILE (one per line); default 0,1,… from the output's width")
	name := f.String("name", "", "model name (default: the directory's name)")
	version := f.String("version", "1.0.0", "model version")
	description := f.String("description", "", "one-line description shown by GET /health")
	output := f.String("output", "", "output tensor with the scores (default: the only float output)")
	scores := f.Choice("scores", "", []string{model.ScoresLogits, model.ScoresProbabilities}, "what the output holds (default: probabilities after Softmax or an ai.onnx.ml classifier, else logits)")
	engine := f.Choice("engine", "", model.KnownEngines(), "engine to check and serve with (default onnxruntime; gonnx and gomlx give a static, cgo-free server)")
	imageSize := f.String("image-size", "", "image models: H,W (default: the input's static size)")
	mean := f.String("mean", "", "image models: per-channel mean r,g,b after scaling to 0-1 (default ImageNet's 0.485,0.456,0.406)")
	std := f.String("std", "", "image models: per-channel std r,g,b (default ImageNet's 0.229,0.224,0.225)")
	resizeShorter := f.Int("resize-shorter", 0, 0, 8192, "image models: resize the shorter side to N then crop the centre (default: resize straight to the size)")
	tok := f.String("tokenizer", "", "text models: tokenizer.json or vocab.txt (a tokenizer_config.json next to it is copied too)")
	maxLength := f.Int("max-length", 0, 0, 8192, "text models: tokens per text, [CLS] and [SEP] included (default: the input's static length, else 128)")
	features := f.String("features", "", "tabular models: feature names in the model's order, a,b,c or @FILE")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	for _, req := range []string{"onnx", "out", "task"} {
		if !f.Set(req) {
			return Usagef("--%s is required", req)
		}
	}
	o := model.InitOptions{
		ONNX: *onnxPath, Out: *out, Task: *task, Name: *name, Version: *version, Description: *description,
		Output: *output, Scores: *scores, Engine: *engine, ResizeShorter: *resizeShorter,
		Tokenizer: *tok, MaxLength: *maxLength,
	}
	var err error
	if o.Labels, err = listFlag("labels", *labels); err != nil {
		return err
	}
	if o.Features, err = listFlag("features", *features); err != nil {
		return err
	}
	if *imageSize != "" {
		hw, err := numbers("image-size", *imageSize, 2)
		if err != nil {
			return err
		}
		if hw[0] < 1 || hw[1] < 1 || hw[0] > 8192 || hw[1] > 8192 || hw[0] != float64(int(hw[0])) || hw[1] != float64(int(hw[1])) {
			return Usagef("--image-size: %q is not H,W with whole numbers in [1, 8192]", *imageSize)
		}
		o.ImageHeight, o.ImageWidth = int(hw[0]), int(hw[1])
	}
	if o.Mean, err = triple("mean", *mean, false); err != nil {
		return err
	}
	if o.Std, err = triple("std", *std, true); err != nil {
		return err
	}
	if o.Task != model.TaskImage && (*imageSize != "" || *mean != "" || *std != "" || *resizeShorter != 0) {
		return Usagef("--image-size, --mean, --std and --resize-shorter are for --task %s, not %s", model.TaskImage, o.Task)
	}
	if o.Task != model.TaskText && (*tok != "" || *maxLength != 0) {
		return Usagef("--tokenizer and --max-length are for --task %s, not %s", model.TaskText, o.Task)
	}
	if o.Task != model.TaskTabular && *features != "" {
		return Usagef("--features is for --task %s, not %s", model.TaskTabular, o.Task)
	}
	man, err := model.Init(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %s %s, task %s, %d labels, output %q (%s), engine %s, sha256 %s\n",
		filepath.Join(o.Out, model.ManifestFile), man.Name, man.Version, man.Task, len(man.Labels), man.Output, man.Scores,
		engineOr(man.Engine), man.ONNX.SHA256)
	fmt.Fprintf(env.Stdout, "next: costguard model check %s\n", o.Out)
	return nil
}

func runModelCheck(env Env, args []string) error {
	f := NewFlags("model check", "costguard model check DIR [flags]\n\n"+
		"Validates DIR as synth does, loads the model with the engine the function will\n"+
		"use, runs warm-up and timed requests of synthetic instances per batch size and\n"+
		"prints inputs, outputs, load time, p50/p99 per request and per instance and peak\n"+
		"memory; writes DIR/profile.json, which the constructs right-size from.")
	engine := f.Choice("engine", "", model.Engines(), "engine (default: the manifest's, else "+model.DefaultEngine+")")
	threads := f.Int("threads", 1, 1, 64, "intra-op threads (a Lambda function has one vCPU per 1,769 MB)")
	runs := f.Int("runs", 50, 1, 100000, "timed requests per batch size")
	batches := f.String("batch-sizes", "1,4,16", "batch sizes to time")
	asJSON := f.Bool("json", false, "print one JSON document")
	write := f.Bool("write-profile", true, "write DIR/profile.json")
	if err := f.Parse(args); err != nil {
		return err
	}
	if len(f.Args()) != 1 {
		return Usagef("model check takes one model directory, got %d arguments", len(f.Args()))
	}
	dir := f.Args()[0]
	sizes, err := numbers("batch-sizes", *batches, 0)
	if err != nil {
		return err
	}
	o := model.CheckOptions{Engine: *engine, IntraOpThreads: *threads, Runs: *runs}
	for _, s := range sizes {
		if s < 1 || s > 1024 || s != float64(int(s)) {
			return Usagef("--batch-sizes: %q is not a list of whole numbers in [1, 1024]", *batches)
		}
		o.BatchSizes = append(o.BatchSizes, int(s))
	}
	r, err := model.Check(dir, o)
	if err != nil {
		return err
	}
	if *write {
		b, err := json.MarshalIndent(r.Profile, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, model.ProfileFile), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(env.Stdout, r)
	}
	w := env.Stdout
	fmt.Fprintf(w, "model    %s %s (%s), engine %s on %s, %d thread(s)\n", r.Model, r.Version, r.Task, r.Engine, r.Platform, r.IntraOpThreads)
	for _, in := range r.Inputs {
		fmt.Fprintf(w, "input    %s %s %v\n", in.Name, in.DType, in.Shape)
	}
	fmt.Fprintf(w, "output   %s (%s), labels %s\n", r.Output, r.Scores, strings.Join(r.Labels, ", "))
	fmt.Fprintf(w, "load     %.1f ms (read, check, build the engine, warm-up)\n", r.LoadMs)
	rows := [][]string{}
	for _, t := range r.Timings {
		rows = append(rows, []string{strconv.Itoa(t.BatchSize), strconv.Itoa(t.Runs),
			fmt.Sprintf("%.3f", t.P50Ms), fmt.Sprintf("%.3f", t.P99Ms),
			fmt.Sprintf("%.3f", t.PerInstanceP50Ms), fmt.Sprintf("%.3f", t.PerInstanceP99Ms)})
	}
	table(w, []string{"BATCH", "RUNS", "P50 MS", "P99 MS", "P50 MS/INSTANCE", "P99 MS/INSTANCE"}, "rrrrrr", rows)
	fmt.Fprintf(w, "memory   peak %.1f MiB resident\n", r.PeakMemoryMiB)
	if *write {
		fmt.Fprintf(w, "wrote    %s\n", filepath.Join(dir, model.ProfileFile))
	}
	return nil
}

func engineOr(name string) string {
	if name == "" {
		return model.NativeEngine + " (default)"
	}
	return name
}

// listFlag reads a,b,c or @FILE (one item per line).
func listFlag(name, v string) ([]string, error) {
	if v == "" {
		return nil, nil
	}
	var items []string
	if path, ok := strings.CutPrefix(v, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, Usagef("--%s: %v", name, err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				items = append(items, l)
			}
		}
	} else {
		for _, s := range strings.Split(v, ",") {
			items = append(items, strings.TrimSpace(s))
		}
	}
	for i, s := range items {
		if s == "" {
			return nil, Usagef("--%s: item %d of %q is empty", name, i+1, v)
		}
	}
	return items, nil
}

// numbers parses a comma-separated list of n numbers (any count when n is 0).
func numbers(name, v string, n int) ([]float64, error) {
	parts := strings.Split(v, ",")
	if n > 0 && len(parts) != n {
		return nil, Usagef("--%s: %q has %d values, want %d separated by commas", name, v, len(parts), n)
	}
	out := make([]float64, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, Usagef("--%s: %q is not a number in %q", name, p, v)
		}
		out[i] = x
	}
	return out, nil
}

// triple parses r,g,b; positive requires every value above zero.
func triple(name, v string, positive bool) (*[3]float32, error) {
	if v == "" {
		return nil, nil
	}
	xs, err := numbers(name, v, 3)
	if err != nil {
		return nil, err
	}
	var t [3]float32
	for i, x := range xs {
		if positive && x <= 0 {
			return nil, Usagef("--%s: %q must be three numbers above 0", name, v)
		}
		t[i] = float32(x)
	}
	return &t, nil
}
