package e2e

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/serverbuild"
)

// The model benchmarks compare the Lambda build of the model server (the
// native bundle: bootstrap + lib/ + model/, ONNX Runtime through cgo) with
// its Node.js peer (testdata/nodepeer: onnxruntime-node behind a Runtime API
// loop in JavaScript), both under the emulator, on the MobileNet and BERT
// test models. This file builds the two function directories; the
// benchmarks are in bench_models_test.go.

// peerModel is a test model both sides serve, with the request the
// benchmarks send: one instance, the first case of the exporter's reference.
type peerModel struct {
	name     string
	instance func(tb testing.TB) any // the JSON value of one instance
	top      string                  // the reference's label for it
}

var peerModels = []peerModel{
	{name: "mobilenet", top: "circle", instance: func(tb testing.TB) any { return imageInstance(tb, "circle.png") }},
	{name: "bert", top: "spam", instance: func(tb testing.TB) any { return bertTexts(tb)[0].text }},
}

func imageInstance(tb testing.TB, file string) any {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(root, "lambda", "models", "testdata", "mobilenet", file))
	if err != nil {
		tb.Fatal(err)
	}
	return map[string]string{"b64": base64.StdEncoding.EncodeToString(b)}
}

type refText struct{ text, top string }

// bertTexts are the single-text cases of the BERT model's reference.
func bertTexts(tb testing.TB) []refText {
	tb.Helper()
	var ref struct {
		Cases []struct {
			Text *string
			Top  string
		}
	}
	readJSON(tb, filepath.Join(root, "lambda", "models", "testdata", "bert", "reference.json"), &ref)
	var out []refText
	for _, c := range ref.Cases {
		if c.Text != nil {
			out = append(out, refText{*c.Text, c.Top})
		}
	}
	return out
}

func readJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

// restEvent is the REST v1 fixture with body {"instances": instances}.
func restEvent(tb testing.TB, instances []any) []byte {
	tb.Helper()
	var ev map[string]any
	readJSON(tb, filepath.Join(root, "lambda", "server", "testdata", "events", "rest_v1_predict.json"), &ev)
	body, err := json.Marshal(map[string]any{"instances": instances})
	if err != nil {
		tb.Fatal(err)
	}
	ev["body"], ev["isBase64Encoded"] = string(body), false
	b, err := json.Marshal(ev)
	if err != nil {
		tb.Fatal(err)
	}
	return b
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

var (
	nativeMu      sync.Mutex
	nativeBundles = map[workload.Architecture]string{}
)

// nativeBundle builds the Lambda build of the bootstrap for arch, as
// internal/serverbuild's native test does (cgo, ONNX Runtime, rpath
// $ORIGIN/lib), and copies the shared libraries into lib/ next to it. Built
// once per test binary; the model directory is added per function.
func nativeBundle(tb testing.TB, arch workload.Architecture) string {
	tb.Helper()
	needSetup(tb)
	nativeMu.Lock()
	defer nativeMu.Unlock()
	if d, ok := nativeBundles[arch]; ok {
		return d
	}
	env, err := serverbuild.NativeEnv(arch)
	if err != nil {
		tb.Fatal(err)
	}
	libs, err := serverbuild.SharedLibs(arch)
	if err != nil {
		tb.Fatalf("%v (run `make deps`: it fetches ONNX Runtime)", err)
	}
	goarch := map[workload.Architecture]string{workload.ArchARM64: "arm64", workload.ArchX86_64: "amd64"}[arch]
	dir := filepath.Join(workDir, "native-"+string(arch))
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-o", filepath.Join(dir, "bootstrap"), "./lambda/cmd/bootstrap")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), append([]string{"GOOS=linux", "GOARCH=" + goarch}, env...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("native go build for %s: %v\n%s", arch, err, out)
	}
	for _, f := range libs {
		if err := copyFile(f.Source, filepath.Join(dir, filepath.FromSlash(f.Name)), f.Mode); err != nil {
			tb.Fatal(err)
		}
	}
	nativeBundles[arch] = dir
	return dir
}

// goFunction lays out the x86_64 function of a model as Lambda unpacks its
// zip: bootstrap, lib/, model/.
func goFunction(tb testing.TB, model string) string {
	tb.Helper()
	dir := filepath.Join(workDir, "go-"+model)
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	if err := copyTree(nativeBundle(tb, workload.ArchX86_64), dir); err != nil {
		tb.Fatal(err)
	}
	if err := copyTree(filepath.Join(root, "lambda", "models", model), filepath.Join(dir, "model")); err != nil {
		tb.Fatal(err)
	}
	return dir
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
