package inference_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/internal/modelserver"
	"github.com/costguard-ml/costguard/internal/serverbuild"
)

// copyModel copies the repository's spam model into a fresh directory and
// applies edit to the files (name → bytes) before writing them.
func copyModel(t *testing.T, edit func(files map[string][]byte)) string {
	t.Helper()
	src := filepath.Join(cdktest.ModuleRoot(t), "lambda", "models", "spam")
	files := map[string][]byte{}
	for _, name := range []string{"manifest.json", "model.onnx"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	if edit != nil {
		edit(files)
	}
	dir := t.TempDir()
	for name, b := range files {
		if b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// codeHash is the asset hash of code in a fresh stack (bundling skipped).
func codeHash(t *testing.T, code awslambda.Code) string {
	t.Helper()
	stack := awscdk.NewStack(cdktest.NewApp(t), jsii.String("Code"), nil)
	return *code.Bind(stack).S3Location.ObjectKey
}

func modelServerHash(t *testing.T, dir string, arch workload.Architecture) string {
	t.Helper()
	code, err := inference.ModelServerCode(dir, arch)
	if err != nil {
		t.Fatal(err)
	}
	return codeHash(t, code)
}

// The asset hash is known without building and follows what goes into the
// asset: the same model gives the same hash, by any path; another
// architecture or an edited model file gives another.
func TestModelServerCodeHash(t *testing.T) {
	dir := copyModel(t, nil)
	a := modelServerHash(t, dir, workload.ArchARM64)
	if b := modelServerHash(t, dir, ""); a != b {
		t.Errorf("arm64 %s and the default %s differ", a, b)
	}
	rel, err := filepath.Rel(mustGetwd(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	if r := modelServerHash(t, rel, workload.ArchARM64); r != a {
		t.Errorf("relative path %s gives %s, the absolute path %s", rel, r, a)
	}
	if x := modelServerHash(t, dir, workload.ArchX86_64); x == a {
		t.Errorf("arm64 and x86_64 share the hash %s", a)
	}
	edited := copyModel(t, func(f map[string][]byte) {
		f["manifest.json"] = []byte(strings.Replace(string(f["manifest.json"]), `"version": "1.0.0"`, `"version": "1.0.1"`, 1))
	})
	if e := modelServerHash(t, edited, workload.ArchARM64); e == a {
		t.Error("an edited manifest leaves the hash unchanged")
	}
	extra := copyModel(t, nil)
	if err := os.WriteFile(filepath.Join(extra, "labels.txt"), []byte("ham\nspam\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if e := modelServerHash(t, extra, workload.ArchARM64); e == a {
		t.Error("an extra file in the model directory leaves the hash unchanged")
	}
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// Bad input is an error, never a panic: one line naming the field, the
// value and what is allowed, every problem reported.
func TestModelServerCodeErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	noManifest := copyModel(t, func(f map[string][]byte) { f["manifest.json"] = nil })
	noONNX := copyModel(t, func(f map[string][]byte) { f["model.onnx"] = nil })
	badManifest := copyModel(t, func(f map[string][]byte) { f["manifest.json"] = []byte(`{"name": ""}`) })
	wrongBytes := copyModel(t, func(f map[string][]byte) { f["model.onnx"] = append(f["model.onnx"], 0) })
	ok := copyModel(t, nil)
	tests := []struct {
		name string
		dir  string
		arch workload.Architecture
		want []string
	}{
		{"empty dir", "", "", []string{"modelDir: empty; give the directory that holds manifest.json and the ONNX file it names"}},
		{"missing dir", missing, "", []string{`modelDir: "` + missing + `" is not a directory (want one that holds manifest.json and the ONNX file it names)`}},
		{"no manifest", noManifest, "", []string{`modelDir: "` + noManifest + `": read manifest:`}},
		{"bad manifest", badManifest, "", []string{`modelDir: "` + badManifest + `": invalid`, "name is empty; version is empty"}},
		{"no onnx file", noONNX, "", []string{`modelDir: "` + noONNX + `": model.onnx (named by manifest.json's onnx.file) is missing or unreadable`}},
		{"sha256 mismatch", wrongBytes, "", []string{`modelDir: "` + wrongBytes + `": model.onnx has sha256 `, "manifest.json says 385cdc9b"}},
		{"bad architecture", ok, "sparc", []string{`architecture: "sparc" is not arm64 or x86_64`}},
		{"both", missing, "sparc", []string{`architecture: "sparc"`, `modelDir: "` + missing + `"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := inference.ModelServerCode(tt.dir, tt.arch)
			if err == nil || code != nil {
				t.Fatalf("ModelServerCode() = %v, %v; want an error", code, err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) && tt.name == "both" {
				t.Errorf("%d lines, want one per problem:\n%s", len(lines), err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.name != "both" && len(lines) != 1 {
				t.Errorf("error has %d lines, want 1:\n%s", len(lines), err)
			}
		})
	}
}

// A module that requires costguard for this package can build the model
// server and the optimizer its packaging runs: this package imports every
// package they do.
func TestModelServerDepsImported(t *testing.T) {
	for _, pkg := range []string{inference.ModelServerPackage, modelserver.OptimizerPackage} {
		for _, arch := range []workload.Architecture{workload.ArchARM64, workload.ArchX86_64} {
			missing, err := serverbuild.MissingDeps("", arch, pkg, "github.com/costguard-ml/costguard/constructs/inference")
			if err != nil {
				t.Fatal(err)
			}
			if len(missing) > 0 {
				t.Errorf("%s for %s imports %v, which constructs/inference does not; add a blank import to deps.go", pkg, arch, missing)
			}
		}
	}
}
