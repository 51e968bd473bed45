package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// InitOptions are what `costguard model init` is told; zero values are
// read from the graph or take the documented defaults.
type InitOptions struct {
	// ONNX is the exported model file.
	ONNX string
	// Out is the model directory to write (created if missing).
	Out string
	// Task is TaskImage, TaskText or TaskTabular.
	Task string
	// Name and Version of the model; default: Out's base name and 1.0.0.
	Name, Version, Description string
	// Labels name the output's columns; default "0", "1", … when the
	// output's width is static.
	Labels []string
	// Output names the scores tensor; default the graph's only float output.
	Output string
	// Scores is ScoresLogits or ScoresProbabilities; default: probabilities
	// when the output comes from Softmax or an ai.onnx.ml classifier.
	Scores string
	// Engine the model is checked with and served by; default NativeEngine.
	Engine string

	// Image: size (default: the input's static H and W), mean and std
	// (default ImageNet's), resize-shorter (default: resize straight).
	ImageHeight, ImageWidth int
	Mean, Std               *[3]float32
	ResizeShorter           int

	// Text: the tokenizer file (tokenizer.json or vocab.txt; a
	// tokenizer_config.json next to a vocab.txt is copied too) and the
	// maximum length in tokens, [CLS] and [SEP] included (default: the
	// input's static length, else 128).
	Tokenizer string
	MaxLength int

	// Tabular: feature names in the model's order.
	Features []string
}

// Default image normalisation: ImageNet's, as torchvision's models expect.
var (
	ImageNetMean = [3]float32{0.485, 0.456, 0.406}
	ImageNetStd  = [3]float32{0.229, 0.224, 0.225}
)

// DefaultMaxLength is the text length when neither the graph nor the
// caller fixes one.
const DefaultMaxLength = 128

// probabilityOps produce probabilities: an output computed by one of them
// is used as it is.
var probabilityOps = []Operator{
	{Type: "Softmax"}, {Domain: "ai.onnx.ml", Type: "LinearClassifier"},
	{Domain: "ai.onnx.ml", Type: "TreeEnsembleClassifier"}, {Domain: "ai.onnx.ml", Type: "SVMClassifier"},
	{Domain: "ai.onnx.ml", Type: "ZipMap"},
	// skl2onnx ends a linear classifier with an L1 Normalizer.
	{Domain: "ai.onnx.ml", Type: "Normalizer"},
}

// Init inspects an exported ONNX file, writes a model directory (the
// ONNX file, the tokenizer files and manifest.json with the file's
// sha256) and returns its manifest. It refuses, one line per problem,
// what the model server cannot serve: an operator the engine lacks, an
// input the task's pipeline cannot fill, labels that do not match the
// output's width.
func Init(o InitOptions) (*Manifest, error) {
	if o.ONNX == "" || o.Out == "" {
		return nil, errors.New("both the ONNX file and the output directory are required")
	}
	b, err := os.ReadFile(o.ONNX)
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	g, err := InspectONNX(b)
	if err != nil {
		return nil, fmt.Errorf("onnx: %s: %w", o.ONNX, err)
	}
	man, err := o.manifest(g)
	if err != nil {
		return nil, err
	}
	man.ONNX = ONNXInfo{File: ONNXFile, SHA256: SHA256Hex(b), Bytes: int64(len(b)), Opset: g.Opsets[""], Operators: operatorNames(g)}
	var errs []error
	if err := man.Validate(); err != nil {
		errs = append(errs, err)
	}
	engine := o.Engine
	if engine == "" {
		engine = NativeEngine
	}
	if err := CheckEngine(engine, g); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, man.bindings(g)...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := man.write(o, b); err != nil {
		return nil, err
	}
	// The directory now exists: check it exactly as synth will.
	if err := ValidateDir(o.Out, engine); err != nil {
		return nil, err
	}
	return man, nil
}

func (o InitOptions) manifest(g *Graph) (*Manifest, error) {
	name := o.Name
	if name == "" {
		name = filepath.Base(filepath.Clean(o.Out))
	}
	version := o.Version
	if version == "" {
		version = "1.0.0"
	}
	man := &Manifest{Name: name, Version: version, Description: o.Description, Task: o.Task, Engine: o.Engine}
	for _, in := range g.Inputs {
		man.Inputs = append(man.Inputs, TensorInfo{Name: in.Name, DType: in.DType, Shape: dimSizes(in.Dims)})
	}
	out, err := o.pickOutput(g)
	if err != nil {
		return nil, err
	}
	man.Output = out.Name
	man.Scores = o.Scores
	if man.Scores == "" {
		man.Scores = ScoresLogits
		if op, ok := g.Producer(out.Name); ok && slices.Contains(probabilityOps, op) {
			man.Scores = ScoresProbabilities
		}
	}
	man.Labels = o.Labels
	if len(man.Labels) == 0 {
		w := lastDim(out)
		if w < 1 {
			return nil, fmt.Errorf("labels: output %q has a dynamic width %s; give --labels", out.Name, dimsString(out.Dims))
		}
		for i := range w {
			man.Labels = append(man.Labels, fmt.Sprint(i))
		}
	}
	switch o.Task {
	case TaskImage:
		man.Image, err = o.imageSpec(g)
	case TaskText:
		man.Text, err = o.textSpec(g)
	case TaskTabular:
		man.Tabular, err = o.tabularSpec(g)
	default:
		err = fmt.Errorf("task %q is not one of %q", o.Task, Tasks)
	}
	return man, err
}

func (o InitOptions) pickOutput(g *Graph) (ValueInfo, error) {
	if o.Output != "" {
		i := slices.IndexFunc(g.Outputs, func(v ValueInfo) bool { return v.Name == o.Output })
		if i < 0 {
			return ValueInfo{}, fmt.Errorf("output %q: the graph has no such output (it has %q)", o.Output, valueNames(g.Outputs))
		}
		if v := g.Outputs[i]; v.DType != "float32" {
			return ValueInfo{}, fmt.Errorf("output %q is %s; scores must be float32 (choose another output of %q)", v.Name, v.DType, valueNames(g.Outputs))
		}
		return g.Outputs[i], nil
	}
	var floats []ValueInfo
	for _, v := range g.Outputs {
		if v.DType == "float32" {
			floats = append(floats, v)
		}
	}
	if len(floats) != 1 {
		return ValueInfo{}, fmt.Errorf("output: the graph has %d float32 outputs among %q; choose one with --output", len(floats), valueNames(g.Outputs))
	}
	return floats[0], nil
}

// onlyInput is the graph's single input, for the image and tabular tasks.
func onlyInput(g *Graph, task string) (ValueInfo, error) {
	if len(g.Inputs) != 1 {
		return ValueInfo{}, fmt.Errorf("inputs: a %s model has one input, this graph has %d (%q)", task, len(g.Inputs), valueNames(g.Inputs))
	}
	return g.Inputs[0], nil
}

func (o InitOptions) imageSpec(g *Graph) (*ImageSpec, error) {
	in, err := onlyInput(g, TaskImage)
	if err != nil {
		return nil, err
	}
	if len(in.Dims) != 4 {
		return nil, fmt.Errorf("input %q has shape %s; an image model takes [N,3,H,W] or [N,H,W,3]", in.Name, dimsString(in.Dims))
	}
	s := &ImageSpec{Input: in.Name, Scale: 1.0 / 255, Mean: ImageNetMean, Std: ImageNetStd, ChannelOrder: "RGB", ResizeShorter: o.ResizeShorter}
	var h, w int64
	switch {
	case in.Dims[1].Size == 3:
		s.Layout, h, w = "NCHW", in.Dims[2].Size, in.Dims[3].Size
	case in.Dims[3].Size == 3:
		s.Layout, h, w = "NHWC", in.Dims[1].Size, in.Dims[2].Size
	default:
		return nil, fmt.Errorf("input %q has shape %s: no axis of 3 channels at 1 (NCHW) or 3 (NHWC)", in.Name, dimsString(in.Dims))
	}
	s.Height, s.Width = int(h), int(w)
	if o.ImageHeight > 0 || o.ImageWidth > 0 {
		if (h > 0 && int(h) != o.ImageHeight) || (w > 0 && int(w) != o.ImageWidth) {
			return nil, fmt.Errorf("image size %d,%d: input %q is fixed at %d,%d", o.ImageHeight, o.ImageWidth, in.Name, h, w)
		}
		s.Height, s.Width = o.ImageHeight, o.ImageWidth
	}
	if s.Height < 1 || s.Width < 1 {
		return nil, fmt.Errorf("image size: input %q has dynamic height or width %s; give --image-size H,W", in.Name, dimsString(in.Dims))
	}
	if o.Mean != nil {
		s.Mean = *o.Mean
	}
	if o.Std != nil {
		s.Std = *o.Std
	}
	return s, nil
}

func (o InitOptions) textSpec(g *Graph) (*TextSpec, error) {
	if o.Tokenizer == "" {
		return nil, errors.New("tokenizer: a text model needs --tokenizer tokenizer.json or vocab.txt")
	}
	s := &TextSpec{Tokenizer: filepath.Base(o.Tokenizer), MaxLength: o.MaxLength}
	names := valueNames(g.Inputs)
	for _, bind := range []struct {
		dst  *string
		name string
	}{{&s.InputIDs, "input_ids"}, {&s.AttentionMask, "attention_mask"}, {&s.TokenTypeIDs, "token_type_ids"}} {
		if slices.Contains(names, bind.name) {
			*bind.dst = bind.name
		}
	}
	if s.InputIDs == "" {
		return nil, fmt.Errorf("inputs: a text model's inputs are bound by name (input_ids, attention_mask, token_type_ids); this graph has %q", names)
	}
	if s.MaxLength == 0 {
		s.MaxLength = DefaultMaxLength
		i := slices.Index(names, s.InputIDs)
		if d := g.Inputs[i].Dims; len(d) == 2 && d[1].Size > 1 {
			s.MaxLength = int(d[1].Size)
		}
	}
	return s, nil
}

func (o InitOptions) tabularSpec(g *Graph) (*TabularSpec, error) {
	in, err := onlyInput(g, TaskTabular)
	if err != nil {
		return nil, err
	}
	w := lastDim(in)
	if len(in.Dims) != 2 || w < 1 {
		return nil, fmt.Errorf("input %q has shape %s; a tabular model takes [N,features] with a fixed feature count", in.Name, dimsString(in.Dims))
	}
	if len(o.Features) != 0 && len(o.Features) != int(w) {
		return nil, fmt.Errorf("features: %d names given, input %q has %d columns", len(o.Features), in.Name, w)
	}
	return &TabularSpec{Input: in.Name, Width: int(w), Features: o.Features}, nil
}

// write creates the model directory: the ONNX file, the tokenizer files,
// then manifest.json (last, so a half-written directory has none).
func (man *Manifest) write(o InitOptions, onnx []byte) error {
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.Out, ONNXFile), onnx, 0o644); err != nil {
		return err
	}
	if o.Tokenizer != "" {
		files := []string{o.Tokenizer}
		if cfg := filepath.Join(filepath.Dir(o.Tokenizer), "tokenizer_config.json"); strings.HasSuffix(o.Tokenizer, ".txt") {
			if _, err := os.Stat(cfg); err == nil {
				files = append(files, cfg)
			}
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return fmt.Errorf("tokenizer: %w", err)
			}
			if err := os.WriteFile(filepath.Join(o.Out, filepath.Base(f)), b, 0o644); err != nil {
				return err
			}
		}
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(o.Out, ManifestFile), append(b, '\n'), 0o644)
}

func dimSizes(dims []Dim) []int64 {
	out := make([]int64, len(dims))
	for i, d := range dims {
		out[i] = d.Size
		if d.Size < 1 {
			out[i] = -1
		}
	}
	return out
}

func operatorNames(g *Graph) []string {
	out := make([]string, 0, len(g.Operators))
	for _, op := range g.Operators {
		out = append(out, op.String())
	}
	return out
}
