// Package modelref reads the exporters' references of the committed test
// models (lambda/models/testdata/NAME/reference.json, written by the
// scripts in lambda/models/export from torch or scikit-learn, not from the
// ONNX file) and turns each case into the request instance a client would
// send, so the model package, the server and the emulator tests compare
// the served scores with the exporter's through one reader.
package modelref

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Case is one reference input with the exporter's answer.
type Case struct {
	Name string
	// Instance is the JSON of one element of "instances".
	Instance json.RawMessage
	// Probabilities are the exporter's, in label order.
	Probabilities []float64
	// Top is the exporter's top label.
	Top string
	// Exact is false where decoders or resize kernels may differ (JPEG,
	// an image of another size): only Top must match.
	Exact bool
}

// Batch is several texts sent in one request, padded together.
type Batch struct {
	Name      string
	Instances []json.RawMessage
	// Probabilities per instance.
	Probabilities [][]float64
}

// Reference is one model's reference file.
type Reference struct {
	Model  string
	Task   string
	Labels []string
	Cases  []Case
	// Batches are multi-instance requests (text models).
	Batches []Batch
}

type file struct {
	Model  string    `json:"model"`
	Task   string    `json:"task"`
	Labels []string  `json:"labels"`
	Cases  []rawCase `json:"cases"`
}

type rawCase struct {
	Name     string             `json:"name"`
	File     string             `json:"file"`
	Text     *string            `json:"text"`
	Row      []float64          `json:"row"`
	Features map[string]float64 `json:"features"`
	Batch    []struct {
		Text          string    `json:"text"`
		Probabilities []float64 `json:"probabilities"`
	} `json:"batch"`
	Probabilities json.RawMessage `json:"probabilities"`
	Top           string          `json:"top"`
	Label         json.RawMessage `json:"label"`
	Exact         *bool           `json:"exact"`
}

// Dir is where the references live, relative to the module root.
const Dir = "lambda/models/testdata"

// Load reads root/lambda/models/testdata/name/reference.json.
func Load(root, name string) (*Reference, error) {
	dir := filepath.Join(root, Dir, name)
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		return nil, err
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := &Reference{Model: f.Model, Task: f.Task, Labels: f.Labels}
	for i, c := range f.Cases {
		cases, batch, err := c.cases(dir, i, r.Labels)
		if err != nil {
			return nil, fmt.Errorf("%s case %d: %w", name, i, err)
		}
		r.Cases = append(r.Cases, cases...)
		if batch != nil {
			r.Batches = append(r.Batches, *batch)
		}
	}
	return r, nil
}

func (c rawCase) cases(dir string, i int, labels []string) ([]Case, *Batch, error) {
	if len(c.Batch) > 0 {
		b := &Batch{Name: cmpOr(c.Name, fmt.Sprintf("batch%d", i))}
		for _, t := range c.Batch {
			raw, _ := json.Marshal(t.Text)
			b.Instances = append(b.Instances, raw)
			b.Probabilities = append(b.Probabilities, t.Probabilities)
		}
		return nil, b, nil
	}
	var probs []float64
	if err := json.Unmarshal(c.Probabilities, &probs); err != nil {
		return nil, nil, fmt.Errorf("probabilities: %w", err)
	}
	top := c.Top
	if top == "" && len(probs) == len(labels) {
		top = labels[argmax(probs)]
	}
	exact := c.Exact == nil || *c.Exact
	name := cmpOr(c.Name, c.File, fmt.Sprintf("case%d", i))
	switch {
	case c.File != "":
		img, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			return nil, nil, err
		}
		raw, _ := json.Marshal(map[string]string{"b64": base64.StdEncoding.EncodeToString(img)})
		return []Case{{Name: name, Instance: raw, Probabilities: probs, Top: top, Exact: exact}}, nil, nil
	case c.Text != nil:
		raw, _ := json.Marshal(*c.Text)
		return []Case{{Name: cmpOr(c.Name, fmt.Sprintf("text%d", i)), Instance: raw, Probabilities: probs, Top: top, Exact: exact}}, nil, nil
	case c.Row != nil:
		raw, _ := json.Marshal(c.Row)
		out := []Case{{Name: name, Instance: raw, Probabilities: probs, Top: top, Exact: exact}}
		if c.Features != nil {
			obj, _ := json.Marshal(c.Features)
			out = append(out, Case{Name: name + "/by-name", Instance: obj, Probabilities: probs, Top: top, Exact: exact})
		}
		return out, nil, nil
	}
	return nil, nil, fmt.Errorf("case has no file, text, batch or row")
}

func argmax(xs []float64) int {
	return slices.Index(xs, slices.Max(xs))
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Names lists the models under root's reference directory that have both
// a reference and a model directory with a manifest.
func Names(root string) ([]string, error) {
	refs, err := filepath.Glob(filepath.Join(root, Dir, "*", "reference.json"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, r := range refs {
		name := filepath.Base(filepath.Dir(r))
		if _, err := os.Stat(filepath.Join(root, "lambda", "models", name, "manifest.json")); err == nil {
			names = append(names, name)
		}
	}
	return names, nil
}
