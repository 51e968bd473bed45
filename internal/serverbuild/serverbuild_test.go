package serverbuild

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/workload"
)

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// twoModules makes a throwaway app module that requires a library module
// through a local replace, as a user's module requires a checkout of
// costguard: app/ and lib/ side by side.
func twoModules(t *testing.T) (app, lib string) {
	t.Helper()
	root := t.TempDir()
	app, lib = filepath.Join(root, "app"), filepath.Join(root, "lib")
	writeFiles(t, lib, map[string]string{
		"go.mod":          "module example.com/lib\n\ngo 1.22\n",
		"cmd/srv/main.go": "package main\n\nimport \"example.com/lib/greet\"\n\nfunc main() { println(greet.Hello) }\n",
		"greet/greet.go":  "package greet\n\n// Hello is printed.\nconst Hello = \"hello\"\n",
	})
	writeFiles(t, app, map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
		"main.go": "package main\n\nimport _ \"example.com/lib/greet\"\n\nfunc main() {}\n",
	})
	return app, lib
}

const libMain = "example.com/lib/cmd/srv"

func fingerprint(t *testing.T, o Options) string {
	t.Helper()
	fp, err := o.Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// The fingerprint is stable, and changes with the target, the flags, an
// extra file's bytes and an edit in a locally replaced module.
func TestFingerprint(t *testing.T) {
	app, lib := twoModules(t)
	base := Options{Package: libMain, Dir: app}
	a, b := fingerprint(t, base), fingerprint(t, base)
	if a != b || len(a) != 64 {
		t.Fatalf("two fingerprints of the same build: %s, %s", a, b)
	}
	// The working directory's module is the default.
	t.Chdir(app)
	if got := fingerprint(t, Options{Package: libMain}); got != a {
		t.Errorf("Dir defaults to the working directory: got %s, want %s", got, a)
	}

	extra := filepath.Join(t.TempDir(), "manifest.json")
	writeFiles(t, filepath.Dir(extra), map[string]string{"manifest.json": "{}"})
	variants := map[string]Options{
		"x86_64":     {Package: libMain, Dir: app, Arch: workload.ArchX86_64},
		"cgo":        {Package: libMain, Dir: app, CGO: true},
		"env":        {Package: libMain, Dir: app, Env: []string{"CGO_LDFLAGS=-lm"}},
		"tags":       {Package: libMain, Dir: app, Tags: []string{"onnxruntime"}},
		"output":     {Package: libMain, Dir: app, Output: "server"},
		"extra file": {Package: libMain, Dir: app, ExtraFiles: []File{{Name: "model/manifest.json", Source: extra}}},
	}
	seen := map[string]string{a: "base"}
	for name, o := range variants {
		fp := fingerprint(t, o)
		if prev, ok := seen[fp]; ok {
			t.Errorf("%s has the fingerprint of %s", name, prev)
		}
		seen[fp] = name
	}
	withExtra := fingerprint(t, variants["extra file"])
	writeFiles(t, filepath.Dir(extra), map[string]string{"manifest.json": `{"v":2}`})
	if fingerprint(t, variants["extra file"]) == withExtra {
		t.Error("editing an extra file leaves the fingerprint unchanged")
	}

	// GOFLAGS the build overrides or whose effect is hashed otherwise do
	// not count (make sets -buildvcs=false, a plain cdk synth nothing);
	// one that changes the output does.
	t.Setenv("GOFLAGS", "-buildvcs=false -mod=mod -trimpath")
	if got := fingerprint(t, base); got != a {
		t.Errorf("GOFLAGS the build overrides change the fingerprint: %s, want %s", got, a)
	}
	t.Setenv("GOFLAGS", "-tags=netgo")
	if got := fingerprint(t, base); got == a {
		t.Error("GOFLAGS=-tags=netgo leaves the fingerprint unchanged")
	}
	t.Setenv("GOFLAGS", "")

	// The point of hashing files: a replaced module has no version.
	writeFiles(t, lib, map[string]string{"greet/greet.go": "package greet\n\n// Hello is printed.\nconst Hello = \"bonjour\"\n"})
	if fingerprint(t, base) == a {
		t.Error("editing the locally replaced module leaves the fingerprint unchanged")
	}
}

// Every bad option is reported, in one line each naming the field, the
// value and what is allowed.
func TestOptionErrors(t *testing.T) {
	app, _ := twoModules(t)
	for _, tt := range []struct {
		name string
		o    Options
		want []string
	}{
		{"no package", Options{Dir: app}, []string{"package: empty"}},
		{"relative path", Options{Package: "./cmd/srv", Dir: app}, []string{`package: "./cmd/srv" is a path; give the main package's import path`}},
		{"bad arch", Options{Package: libMain, Dir: app, Arch: "sparc"}, []string{`architecture: "sparc" is not arm64 or x86_64`}},
		{"bad output", Options{Package: libMain, Dir: app, Output: "bin/x"}, []string{`output: "bin/x" is not a plain file name`}},
		{"extra escapes", Options{Package: libMain, Dir: app, ExtraFiles: []File{{Name: "../x", Source: filepath.Join(app, "go.mod")}}},
			[]string{`extra file: name "../x" is not a clean relative path inside the output`}},
		{"extra missing", Options{Package: libMain, Dir: app, ExtraFiles: []File{{Name: "model/x", Source: filepath.Join(app, "nope")}}},
			[]string{"extra file model/x: source", "is not a regular file"}},
		{"two problems", Options{Arch: "sparc", Dir: app}, []string{"package: empty", `architecture: "sparc"`}},
		{"not a module", Options{Package: libMain, Dir: t.TempDir()}, []string{"is not inside a Go module"}},
		{"unknown package", Options{Package: "example.com/lib/cmd/nope", Dir: app}, []string{"go list", "example.com/lib/cmd/nope"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.o.Fingerprint()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// Two builds give the same bytes, modes and times, with the extra files.
func TestBuildReproducible(t *testing.T) {
	app, _ := twoModules(t)
	extra := filepath.Join(t.TempDir(), "lib.so")
	writeFiles(t, filepath.Dir(extra), map[string]string{"lib.so": "not really a library"})
	o := Options{Package: libMain, Dir: app, Arch: workload.ArchX86_64,
		ExtraFiles: []File{{Name: "lib/libx.so.1", Source: extra, Mode: 0o755}}}
	dirs := []string{t.TempDir(), filepath.Join(t.TempDir(), "new")}
	for _, d := range dirs {
		if err := o.Build(d); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"bootstrap", "lib/libx.so.1", "lib"} {
		var infos []os.FileInfo
		var contents [][]byte
		for _, d := range dirs {
			p := filepath.Join(d, filepath.FromSlash(name))
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			infos = append(infos, fi)
			if fi.Mode().IsRegular() {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				contents = append(contents, b)
			}
		}
		if infos[0].Mode() != infos[1].Mode() || !infos[0].ModTime().Equal(ModTime) || !infos[1].ModTime().Equal(ModTime) {
			t.Errorf("%s: modes %v, %v; times %v, %v; want equal modes and %v", name, infos[0].Mode(), infos[1].Mode(), infos[0].ModTime(), infos[1].ModTime(), ModTime)
		}
		if len(contents) == 2 && !bytes.Equal(contents[0], contents[1]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dirs[0], "bootstrap")); fi.Mode().Perm() != 0o755 {
		t.Errorf("bootstrap mode %v, want 0755", fi.Mode())
	}
	b, _ := os.ReadFile(filepath.Join(dirs[0], "bootstrap"))
	if len(b) < 20 || string(b[1:4]) != "ELF" || b[18] != 62 { // EM_X86_64
		t.Errorf("bootstrap is not an x86-64 ELF executable")
	}
	if bytes.Contains(b, []byte(app)) {
		t.Error("bootstrap holds the build directory's path (-trimpath missing)")
	}
}

func TestDirFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"b.onnx": "b", "a.json": "a", "sub/c": "c"})
	files, err := DirFiles(dir, "model")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, ","); got != "model/a.json,model/b.onnx" {
		t.Errorf("files %s, want model/a.json,model/b.onnx", got)
	}
	if _, err := DirFiles(filepath.Join(dir, "nope"), "model"); err == nil {
		t.Error("a missing directory gives no error")
	}
}
