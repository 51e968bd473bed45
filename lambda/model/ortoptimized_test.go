//go:build cgo && !purego

package model_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/modelref"
	"github.com/costguard-ml/costguard/internal/testmodel"
	"github.com/costguard-ml/costguard/lambda/model"
)

// optimizedCopy copies the committed model name and writes its
// offline-optimized graph next to it, as the packaging does.
func optimizedCopy(t *testing.T, name string) string {
	t.Helper()
	dir := testmodel.Copy(t, "../..", name, nil)
	if err := model.WriteORTOptimized(dir, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

var updateOptimized = flag.Bool("update", false, "rewrite "+optimizedGolden)

// optimizedGolden holds the sha256 of each committed model's
// offline-optimized graph: TestORTOptimizedServesTheReferences compares, on
// x86_64 and (internal/serverbuild's TestBundledRuntimeUnderQEMU) on arm64
// under qemu, so a graph that depended on the machine making it fails.
const optimizedGolden = "testdata/ortoptimized-sha256.json"

// TestORTOptimizedServesTheReferences: every committed model served by ONNX
// Runtime from its offline-optimized graph gives the exporter's scores, as
// from the exported graph (TestExporterReferences); the graph is the same
// bytes when made again, and the bytes optimizedGolden records.
func TestORTOptimizedServesTheReferences(t *testing.T) {
	needORT(t)
	names, err := modelref.Names("../..")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	if b, err := os.ReadFile(optimizedGolden); err == nil {
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
	} else if !*updateOptimized {
		t.Fatalf("%v (go test -run ORTOptimized -update writes it)", err)
	}
	got := map[string]string{}
	defer func() {
		if !*updateOptimized || t.Failed() {
			return
		}
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(optimizedGolden, append(b, '\n'), 0o644); err != nil {
			t.Error(err)
		}
	}()
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ref, err := modelref.Load("../..", name)
			if err != nil {
				t.Fatal(err)
			}
			dir := optimizedCopy(t, name)
			m, err := model.Load(dir, model.Options{})
			if err != nil {
				t.Fatal(err)
			}
			graph := m.Graph
			m.Close()
			if graph != model.ORTOptimizedFile {
				t.Fatalf("served from %s, want %s", graph, model.ORTOptimizedFile)
			}
			checkReference(t, dir, model.NativeEngine, ref)

			// The layout level is left for the cold start exactly when the
			// graph has a convolution or a pooling: the image models.
			rec := readRecord(t, dir)
			if want := ref.Task == model.TaskImage; rec.Layout != want {
				t.Errorf("record says layout %v, want %v for a %s model", rec.Layout, want, ref.Task)
			}
			got[name] = rec.SHA256
			if !*updateOptimized && rec.SHA256 != want[name] {
				t.Errorf("optimized graph's sha256 is %s, %s says %s: made differently on this machine (%s), or ONNX Runtime changed (go test -run ORTOptimized -update)", rec.SHA256, optimizedGolden, want[name], runtime.GOARCH)
			}

			again := t.TempDir()
			if err := model.WriteORTOptimized(dir, again); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{model.ORTOptimizedFile, model.ORTOptimizedInfoFile} {
				a, _ := os.ReadFile(filepath.Join(dir, f))
				b, _ := os.ReadFile(filepath.Join(again, f))
				if len(a) == 0 || !bytes.Equal(a, b) {
					t.Errorf("%s differs when made again (%d and %d bytes)", f, len(a), len(b))
				}
			}
		})
	}
}

func readRecord(t *testing.T, dir string) model.ORTOptimized {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, model.ORTOptimizedInfoFile))
	if err != nil {
		t.Fatal(err)
	}
	var o model.ORTOptimized
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestORTOptimizedRecord: the graph Load picks from the record, and a
// record that does not fit the model fails the load naming the problem.
func TestORTOptimizedRecord(t *testing.T) {
	needORT(t)
	editRecord := func(t *testing.T, dir string, edit func(*model.ORTOptimized)) {
		t.Helper()
		o := readRecord(t, dir)
		edit(&o)
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, model.ORTOptimizedInfoFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		breakIt   func(t *testing.T, dir string)
		opts      model.Options
		wantGraph string // served from; "" means Load fails
		wantErr   string
	}{
		{"as packaged", func(*testing.T, string) {}, model.Options{}, model.ORTOptimizedFile, ""},
		{"another ONNX Runtime version: the export", func(t *testing.T, dir string) {
			editRecord(t, dir, func(o *model.ORTOptimized) { o.Runtime = "1.99.0" })
		}, model.Options{}, model.ONNXFile, ""},
		{"another engine: the export", func(*testing.T, string) {}, model.Options{Engine: "gonnx"}, model.ONNXFile, ""},
		{"corrupted graph", func(t *testing.T, dir string) {
			p := filepath.Join(dir, model.ORTOptimizedFile)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-1] ^= 0xff
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, model.Options{}, "", model.ORTOptimizedInfoFile + " says"},
		{"made from another model", func(t *testing.T, dir string) {
			editRecord(t, dir, func(o *model.ORTOptimized) { o.Source = strings.Repeat("0", 64) })
		}, model.Options{}, "", "package the model again"},
		{"a path for a file name", func(t *testing.T, dir string) {
			editRecord(t, dir, func(o *model.ORTOptimized) { o.File = "../model.onnx" })
		}, model.Options{}, "", "want a file name next to it"},
		{"not JSON", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, model.ORTOptimizedInfoFile), []byte("{"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, model.Options{}, "", model.ORTOptimizedInfoFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := optimizedCopy(t, "digits")
			tt.breakIt(t, dir)
			m, err := model.Load(dir, tt.opts)
			if tt.wantGraph == "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if m.Graph != tt.wantGraph {
				t.Errorf("served from %s, want %s", m.Graph, tt.wantGraph)
			}
		})
	}
}
