package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// ValidateDir checks a model directory without running the model: the
// manifest, the files it names, the ONNX file's sha256, that the engine
// can run every operator of the graph, that the task's pipeline fills
// every graph input with the right element type and shape, and that the
// output exists and has one column per label. It takes milliseconds, so
// synth runs it on every model directory. engine "" means the manifest's,
// else DefaultEngine. The error is one line per problem.
func ValidateDir(dir, engine string) error {
	man, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	onnxPath := filepath.Join(dir, man.ONNX.File)
	b, release, err := readModelFile(onnxPath)
	if err != nil {
		return fmt.Errorf("%s (named by manifest.json's onnx.file) is missing or unreadable", man.ONNX.File)
	}
	defer release()
	if got := SHA256Hex(b); got != man.ONNX.SHA256 {
		return fmt.Errorf("%s has sha256 %s, manifest.json says %s (re-run costguard model init, or restore the file)", man.ONNX.File, got, man.ONNX.SHA256)
	}
	g, err := InspectONNX(b)
	if err != nil {
		return fmt.Errorf("%s: %w", onnxPath, err)
	}
	if engine == "" {
		engine = man.Engine
	}
	if engine == "" {
		engine = DefaultEngine
	}
	var errs []error
	if err := CheckEngine(engine, g); err != nil {
		errs = append(errs, err)
	}
	if man.Text != nil && man.Text.Tokenizer != "" {
		p := filepath.Join(dir, man.Text.Tokenizer)
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			errs = append(errs, fmt.Errorf("text.tokenizer: %s is missing", p))
		} else if _, err := newPipeline(dir, man); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, man.bindings(g)...)
	return errors.Join(errs...)
}

// binding is one graph input a pipeline fills.
type binding struct {
	name, dtype string
	// shape is what the pipeline sends; -1 for the batch and other axes it
	// chooses per request.
	shape []int64
}

// bindingsOf lists the graph inputs the manifest's task fills.
func (m *Manifest) bindingsOf() []binding {
	switch {
	case m.Image != nil:
		s := m.Image
		if s.Layout == "NHWC" {
			return []binding{{s.Input, "float32", []int64{-1, int64(s.Height), int64(s.Width), 3}}}
		}
		return []binding{{s.Input, "float32", []int64{-1, 3, int64(s.Height), int64(s.Width)}}}
	case m.Tabular != nil:
		return []binding{{m.Tabular.Input, "float32", []int64{-1, int64(m.Tabular.Width)}}}
	case m.Text != nil && m.Text.Hashed != nil:
		return []binding{{m.Text.Hashed.Input, "float32", []int64{-1, int64(m.Text.Hashed.Dims)}}}
	case m.Text != nil:
		var bs []binding
		for _, n := range []string{m.Text.InputIDs, m.Text.AttentionMask, m.Text.TokenTypeIDs} {
			if n != "" {
				bs = append(bs, binding{n, "int64", []int64{-1, -1}})
			}
		}
		return bs
	}
	return nil
}

// bindings checks the manifest's inputs and output against the graph.
func (m *Manifest) bindings(g *Graph) []error {
	var errs []error
	bs := m.bindingsOf()
	filled := make([]string, 0, len(bs))
	for _, b := range bs {
		filled = append(filled, b.name)
		i := slices.IndexFunc(g.Inputs, func(v ValueInfo) bool { return v.Name == b.name })
		if i < 0 {
			errs = append(errs, fmt.Errorf("input %q: the graph has no such input (it has %q)", b.name, valueNames(g.Inputs)))
			continue
		}
		in := g.Inputs[i]
		if in.DType != b.dtype {
			errs = append(errs, fmt.Errorf("input %q is %s in the graph; the %s pipeline fills %s", b.name, in.DType, m.Task, b.dtype))
		}
		if err := shapeFits(in, b.shape); err != nil {
			errs = append(errs, err)
		}
	}
	for _, in := range g.Inputs {
		if !slices.Contains(filled, in.Name) {
			errs = append(errs, fmt.Errorf("input %q (%s %s): the %s pipeline cannot fill it (it fills %q)", in.Name, in.DType, dimsString(in.Dims), m.Task, filled))
		}
	}
	i := slices.IndexFunc(g.Outputs, func(v ValueInfo) bool { return v.Name == m.Output })
	if i < 0 {
		errs = append(errs, fmt.Errorf("output %q: the graph has no such output (it has %q)", m.Output, valueNames(g.Outputs)))
		return errs
	}
	out := g.Outputs[i]
	if out.DType != "float32" {
		errs = append(errs, fmt.Errorf("output %q is %s; scores must be float32 (choose another output)", out.Name, out.DType))
	}
	if w := lastDim(out); w > 0 && int(w) != len(m.Labels) {
		errs = append(errs, fmt.Errorf("labels: %d given, output %q has %d columns", len(m.Labels), out.Name, w))
	}
	return errs
}

// shapeFits checks a graph input's shape against what a pipeline sends.
func shapeFits(in ValueInfo, want []int64) error {
	if len(in.Dims) == 0 {
		return nil // no shape recorded: the engine checks at run time
	}
	if len(in.Dims) != len(want) {
		return fmt.Errorf("input %q has rank %d %s; the pipeline sends rank %d %v", in.Name, len(in.Dims), dimsString(in.Dims), len(want), want)
	}
	for i, d := range in.Dims {
		if d.Size > 0 && want[i] > 0 && d.Size != want[i] {
			return fmt.Errorf("input %q has shape %s; the pipeline sends %v", in.Name, dimsString(in.Dims), want)
		}
		if i == 0 && d.Size > 1 {
			return fmt.Errorf("input %q has a fixed batch size %d; export with a dynamic batch axis (torch.onnx.export dynamic_axes)", in.Name, d.Size)
		}
	}
	return nil
}

// lastDim is the static size of a value's last axis, or -1.
func lastDim(v ValueInfo) int64 {
	if len(v.Dims) == 0 {
		return -1
	}
	return v.Dims[len(v.Dims)-1].Size
}

func valueNames(vs []ValueInfo) []string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name
	}
	return names
}

// dimsString prints dims as [N,3,224,224] with parameter names or ? for
// dynamic axes.
func dimsString(dims []Dim) string {
	s := "["
	for i, d := range dims {
		if i > 0 {
			s += ","
		}
		switch {
		case d.Size > 0:
			s += fmt.Sprint(d.Size)
		case d.Param != "":
			s += d.Param
		default:
			s += "?"
		}
	}
	return s + "]"
}
