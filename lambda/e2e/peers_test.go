package e2e

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/modelref"
	"github.com/costguard-ml/costguard/internal/modelserver"
)

// The model benchmarks compare the Lambda build of the model server (the
// asset inference.ModelServerCode bundles: the native bootstrap, lib/ and
// model/, ONNX Runtime through cgo) with
// its Node.js peer (testdata/nodepeer: onnxruntime-node behind a Runtime API
// loop in JavaScript), both under the emulator, on the MobileNet and BERT
// test models. This file builds the two function directories; the
// benchmarks are in bench_models_test.go.

// peerModel is a test model both sides serve, with the request the
// benchmarks send: one instance, the first case of the exporter's reference
// (circle.png; the first text).
type peerModel struct{ name string }

var peerModels = []peerModel{{"mobilenet"}, {"bert"}}

// reference is the model's exporter reference.
func (m peerModel) reference(tb testing.TB) *modelref.Reference {
	tb.Helper()
	ref, err := modelref.Load(root, m.name)
	if err != nil {
		tb.Fatal(err)
	}
	return ref
}

// event is the benchmarks' request, and top the exporter's label for it.
func (m peerModel) event(tb testing.TB) (event []byte, top string) {
	tb.Helper()
	c := m.reference(tb).Cases[0]
	return predictEvent(tb, []json.RawMessage{c.Instance}), c.Top
}

// predictEvent is a REST v1 event of POST /predict with these instances.
func predictEvent(tb testing.TB, instances []json.RawMessage) []byte {
	tb.Helper()
	body, err := json.Marshal(map[string]any{"instances": instances})
	if err != nil {
		tb.Fatal(err)
	}
	return restEvent(tb, body)
}

// labels decodes a REST v1 proxy answer of POST /predict into its labels.
func labels(status int, body []byte) ([]string, error) {
	var proxy struct {
		StatusCode int
		Body       string
	}
	if status != http.StatusOK || json.Unmarshal(body, &proxy) != nil || proxy.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("answer %d %.300s", status, body)
	}
	var r struct{ Predictions []struct{ Label string } }
	if err := json.Unmarshal([]byte(proxy.Body), &r); err != nil {
		return nil, fmt.Errorf("body %.300s: %v", proxy.Body, err)
	}
	out := make([]string, len(r.Predictions))
	for i, p := range r.Predictions {
		out[i] = p.Label
	}
	return out, nil
}

// ---------------------------------------------------------------- Go side

// goFunction lays out the x86_64 Lambda function of a model exactly as
// inference.ModelServerCode bundles it (internal/modelserver: the native
// bootstrap, lib/ with libonnxruntime and the C++ runtime, model/), once
// per test binary.
func goFunction(tb testing.TB, model string) string {
	tb.Helper()
	dir := filepath.Join(workDir, "go-"+model)
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	buildAsset(tb, model, workload.ArchX86_64, dir)
	return dir
}

// buildAsset builds the Lambda asset of a committed model for arch into dir.
func buildAsset(tb testing.TB, model string, arch workload.Architecture, dir string) {
	tb.Helper()
	needSetup(tb)
	o, err := modelserver.Build(filepath.Join(root, "lambda", "models", model), arch)
	if err != nil {
		tb.Fatal(err)
	}
	o.Dir = root
	if err := o.Build(dir); err != nil {
		tb.Fatal(err)
	}
}

// ---------------------------------------------------------------- Node side

// nodePeerDir is the Node peer's source; its node_modules comes from
// `make nodepeer` (npm ci --ignore-scripts).
func nodePeerDir() string { return filepath.Join(root, "lambda", "e2e", "testdata", "nodepeer") }

// nodeBinary is the pinned Node 22 of the checkout (package.json, make deps).
func nodeBinary() string { return filepath.Join(root, "node_modules", "node", "bin", "node") }

// needNodePeer skips when the Node peer is not installed: it is a
// benchmark's point of comparison, installed by `make nodepeer` (which
// `make bench` runs), not part of the product.
func needNodePeer(tb testing.TB) {
	tb.Helper()
	needRIE(tb)
	for _, p := range []string{nodeBinary(), filepath.Join(nodePeerDir(), "node_modules", "onnxruntime-node", "package.json")} {
		if _, err := os.Stat(p); err != nil {
			tb.Skipf("the Node.js peer is not installed (%s missing): run `make deps nodepeer`", p)
		}
	}
}

// nodeFunction lays out the Node peer's function of a model: bootstrap,
// index.mjs, node_modules (a link to the installed one) and model/.
func nodeFunction(tb testing.TB, model string) string {
	tb.Helper()
	dir := filepath.Join(workDir, "node-"+model)
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	for _, f := range []string{"bootstrap", "index.mjs"} {
		if err := copyFile(filepath.Join(nodePeerDir(), f), filepath.Join(dir, f), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(nodePeerDir(), "node_modules"), filepath.Join(dir, "node_modules")); err != nil {
		tb.Fatal(err)
	}
	if err := copyTree(filepath.Join(root, "lambda", "models", model), filepath.Join(dir, "model")); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// nodeEnv is the Node peer's environment under the emulator.
func nodeEnv() []string { return []string{"NODEPEER_NODE=" + nodeBinary()} }

// goEnv is the Go server's: no metrics or info logs, as in the cold-start
// benchmark of the spam model.
var goEnv = []string{"METRICS=off", "LOG_LEVEL=error"}

// ---------------------------------------------------------------- files

func copyFile(src, dst string, mode fs.FileMode) error {
	if mode == 0 {
		mode = 0o644
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, mode)
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		return copyFile(p, filepath.Join(dst, rel), info.Mode().Perm())
	})
}

// zipSize is the size of dir zipped as the CDK CLI packages a Lambda code
// asset (yazl: every file, deflate at zlib's default level 6).
func zipSize(dir string) (int, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	sort.Strings(files)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, 6) })
	for _, p := range files {
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: filepath.ToSlash(rel), Method: zip.Deflate})
		if err != nil {
			return 0, err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return 0, err
		}
		if _, err := w.Write(b); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}
