// Package serverbuild is costguard's one way to build a code asset or an
// image's executable: a Go main package, named by import path, built inside
// the caller's module (the module the CDK app runs in, which requires
// costguard), for linux/arm64 or linux/amd64, reproducibly, together with a
// fingerprint of everything that goes into the output.
//
// Reproducible means the same source gives the same bytes on any machine:
// -trimpath (no file system paths), -buildvcs=false (no VCS stamp),
// -ldflags '-s -w -buildid=' (no symbols, no build id), and fixed file modes
// and modification times in the output directory.
//
// The fingerprint ([Options.Fingerprint]) hashes the Go version, the target,
// the flags, the environment that changes the output, and, for every
// non-standard package `go list -deps` resolves for the target: its module
// path@version and, when the module is the main module or is replaced by a
// local directory (a replace without a version), the sha256 of each of the
// package's Go, assembly, cgo and embedded files. So an edit in a locally
// replaced costguard changes the fingerprint, which a module path@version
// alone would not. Extra files copied into the output (a model directory, a
// shared library) are hashed by content. Equal fingerprints mean equal
// outputs, so the CDK uses the fingerprint as the asset hash: `cdk synth`
// knows it without building, and tests that skip bundling see the same
// template as a real synth.
//
// The build is a plain static one (CGO_ENABLED=0) unless [Options.CGO] is
// set; [Options.Env] and [Options.ExtraFiles] carry what a native build adds
// (a cross compiler, linker flags, lib/libonnxruntime.so.1).
package serverbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/costguard-ml/costguard/cost/workload"
)

// DefaultOutput is the executable's name in the output directory: what
// provided.al2023 runs.
const DefaultOutput = "bootstrap"

// ModTime is the modification time of every file and directory the build
// writes, so archives of the output are byte-identical (the earliest time a
// zip file can record).
var ModTime = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// Options says what to build, where and for which target. The zero value of
// every field except Package means its documented default.
type Options struct {
	// Package is the main package's import path, for example
	// github.com/costguard-ml/costguard/lambda/cmd/bootstrap. It is resolved
	// in the module that holds Dir, like `go build PACKAGE` run there.
	// Required.
	Package string
	// Dir is a directory inside the module to build in (the caller's
	// module, which requires the package's module). Default: the working
	// directory, which for a CDK app is the directory holding cdk.json.
	Dir string
	// Arch is the target, arm64 or x86_64 (GOARCH arm64 or amd64). Default:
	// arm64.
	Arch workload.Architecture
	// Output is the executable's file name in the output directory.
	// Default: DefaultOutput.
	Output string
	// CGO turns cgo on (CGO_ENABLED=1). Default: false, a static build that
	// needs no C toolchain and runs on any Linux.
	CGO bool
	// Env is added to the build's environment after the target's GOOS,
	// GOARCH and CGO_ENABLED (for example CC and CGO_LDFLAGS of a cgo
	// cross-build). It is part of the fingerprint as given, so its values
	// should not hold machine-specific paths. Default: none.
	Env []string
	// Tags are build tags (-tags). Default: none.
	Tags []string
	// ExtraFiles are copied into the output next to the executable (for
	// example model/manifest.json, lib/libonnxruntime.so.1). Default: none.
	ExtraFiles []File
}

// File is a file copied into the output.
type File struct {
	// Name is its slash-separated path in the output, for example
	// lib/libonnxruntime.so.1. It may not leave the output directory.
	Name string
	// Source is the file to copy.
	Source string
	// Mode is its permission bits in the output. Default: 0644.
	Mode fs.FileMode
}

func (f File) mode() fs.FileMode {
	if f.Mode == 0 {
		return 0o644
	}
	return f.Mode.Perm()
}

// goarch maps the architecture to GOARCH.
func goarch(a workload.Architecture) (string, error) {
	switch a {
	case "", workload.ArchARM64:
		return "arm64", nil
	case workload.ArchX86_64:
		return "amd64", nil
	}
	return "", fmt.Errorf("architecture: %q is not %s or %s", a, workload.ArchARM64, workload.ArchX86_64)
}

// CheckArch reports an architecture the build does not support, naming
// the value and what is allowed ("" means the default, arm64).
func CheckArch(a workload.Architecture) error {
	_, err := goarch(a)
	return err
}

// buildFlags make the build reproducible: no file system paths, no VCS
// stamp, no symbols, no build id.
var buildFlags = []string{"-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid="}

// resolved is Options with defaults applied and checked.
type resolved struct {
	Options
	goarch string
}

func (o Options) resolve() (resolved, error) {
	var errs []error
	if o.Package == "" {
		errs = append(errs, errors.New("package: empty; give the main package's import path"))
	} else if strings.HasPrefix(o.Package, ".") || filepath.IsAbs(o.Package) {
		errs = append(errs, fmt.Errorf("package: %q is a path; give the main package's import path (for example github.com/costguard-ml/costguard/lambda/cmd/bootstrap)", o.Package))
	}
	ga, err := goarch(o.Arch)
	if err != nil {
		errs = append(errs, err)
	}
	if o.Output == "" {
		o.Output = DefaultOutput
	} else if filepath.Base(o.Output) != o.Output || o.Output == "." || o.Output == ".." {
		errs = append(errs, fmt.Errorf("output: %q is not a plain file name", o.Output))
	}
	if o.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			errs = append(errs, err)
		}
		o.Dir = wd
	}
	seen := map[string]bool{o.Output: true}
	for _, f := range o.ExtraFiles {
		clean := path.Clean(f.Name)
		if f.Name == "" || clean != f.Name || path.IsAbs(f.Name) || clean == ".." || strings.HasPrefix(clean, "../") {
			errs = append(errs, fmt.Errorf("extra file: name %q is not a clean relative path inside the output", f.Name))
			continue
		}
		if seen[clean] {
			errs = append(errs, fmt.Errorf("extra file: %q is given twice (or is the executable's name)", f.Name))
		}
		seen[clean] = true
		if fi, err := os.Stat(f.Source); err != nil || !fi.Mode().IsRegular() {
			errs = append(errs, fmt.Errorf("extra file %s: source %s is not a regular file", f.Name, f.Source))
		}
	}
	return resolved{Options: o, goarch: ga}, errors.Join(errs...)
}

func (r resolved) env() []string {
	cgo := "0"
	if r.CGO {
		cgo = "1"
	}
	env := append(os.Environ(), "GOOS=linux", "GOARCH="+r.goarch, "CGO_ENABLED="+cgo)
	return append(env, r.Env...)
}

func (r resolved) buildArgs() []string {
	args := slices.Clone(buildFlags)
	if len(r.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(r.Tags, ","))
	}
	return args
}

// goCmd runs the go command in the build's directory and environment.
func (r resolved) goCmd(args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = r.Dir, r.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		// One line: go's hints ("to add:\n\tgo get …") stay readable.
		lines := strings.Fields(strings.ReplaceAll(strings.TrimSpace(stderr.String()), "\n", " \x00 "))
		msg := strings.ReplaceAll(strings.Join(lines, " "), " \x00 ", "; ")
		if len(msg) > 2000 {
			msg = msg[:2000] + " …"
		}
		return nil, fmt.Errorf("go %s (in %s): %v: %s", strings.Join(args, " "), r.Dir, err, msg)
	}
	return out, nil
}

// goEnv is what `go env` reports for the build: the toolchain and the
// settings that change the output.
type goEnv struct {
	GOVERSION, GOMOD, GOFLAGS, GOEXPERIMENT, GOAMD64, GOARM64 string
}

func (r resolved) goEnv() (goEnv, error) {
	out, err := r.goCmd("env", "-json", "GOVERSION", "GOMOD", "GOFLAGS", "GOEXPERIMENT", "GOAMD64", "GOARM64")
	if err != nil {
		return goEnv{}, err
	}
	var e goEnv
	if err := json.Unmarshal(out, &e); err != nil {
		return goEnv{}, fmt.Errorf("go env: %w", err)
	}
	if e.GOMOD == "" || e.GOMOD == os.DevNull {
		return goEnv{}, fmt.Errorf("dir: %s is not inside a Go module (go env GOMOD is %q); run from the module that requires github.com/costguard-ml/costguard", r.Dir, e.GOMOD)
	}
	return e, nil
}

// ModuleDir returns the directory holding the go.mod of the module that
// contains dir ("" means the working directory).
func ModuleDir(dir string) (string, error) {
	r, err := Options{Package: "x", Dir: dir}.resolve()
	if err != nil {
		return "", err
	}
	e, err := r.goEnv()
	if err != nil {
		return "", err
	}
	return filepath.Dir(e.GOMOD), nil
}

// listed is one package of `go list -deps -json`.
type listed struct {
	ImportPath string
	Dir        string
	Standard   bool
	Module     *struct {
		Path, Version string
		Main          bool
		Replace       *struct{ Path, Version string }
	}
	GoFiles, CgoFiles, EmbedFiles, SFiles, CFiles, CXXFiles, HFiles, SysoFiles []string
}

// Fingerprint returns the hex sha256 of everything that goes into the
// output (see the package documentation). It builds nothing; it fails with
// one line per problem when the options are bad, the directory is not in a
// module or the package does not resolve.
func (o Options) Fingerprint() (string, error) {
	r, err := o.resolve()
	if err != nil {
		return "", err
	}
	return r.fingerprint()
}

func (r resolved) fingerprint() (string, error) {
	ge, err := r.goEnv()
	if err != nil {
		return "", err
	}
	args := append([]string{"list", "-deps", "-json=ImportPath,Dir,Standard,Module,GoFiles,CgoFiles,EmbedFiles,SFiles,CFiles,CXXFiles,HFiles,SysoFiles"}, r.buildArgs()...)
	out, err := r.goCmd(append(args, r.Package)...)
	if err != nil {
		return "", err
	}
	sum := sha256.New()
	fmt.Fprintf(sum, "costguard serverbuild v1\n%s\nlinux/%s\ncgo=%t\nflags %q\nenv %q\n", ge.GOVERSION, r.goarch, r.CGO, r.buildArgs(), r.Env)
	fmt.Fprintf(sum, "GOFLAGS=%q GOEXPERIMENT=%q GOAMD64=%q GOARM64=%q\noutput %s\n", outputFlags(ge.GOFLAGS, len(r.Tags) > 0), ge.GOEXPERIMENT, ge.GOAMD64, ge.GOARM64, r.Output)
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return "", fmt.Errorf("go list: %w", err)
		}
		if p.Standard {
			continue // the Go version identifies it
		}
		local := false
		mod := "(no module)"
		if m := p.Module; m != nil {
			mod = m.Path + "@" + m.Version
			switch {
			case m.Main:
				mod, local = m.Path+" (main)", true
			case m.Replace != nil && m.Replace.Version == "":
				// A local directory: its path is the machine's, its files
				// are what counts.
				mod, local = m.Path+" => local", true
			case m.Replace != nil:
				mod += " => " + m.Replace.Path + "@" + m.Replace.Version
			}
		} else {
			local = true
		}
		fmt.Fprintf(sum, "pkg %s %s\n", p.ImportPath, mod)
		if !local {
			continue
		}
		var files []string
		for _, l := range [][]string{p.GoFiles, p.CgoFiles, p.EmbedFiles, p.SFiles, p.CFiles, p.CXXFiles, p.HFiles, p.SysoFiles} {
			files = append(files, l...)
		}
		slices.Sort(files)
		for _, name := range slices.Compact(files) {
			h, err := hashFile(filepath.Join(p.Dir, name))
			if err != nil {
				return "", err
			}
			fmt.Fprintf(sum, "file %s/%s %s\n", p.ImportPath, name, h)
		}
	}
	extra := slices.Clone(r.ExtraFiles)
	slices.SortFunc(extra, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range extra {
		h, err := hashFile(f.Source)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(sum, "extra %s %o %s\n", f.Name, f.mode(), h)
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}

// outputFlags returns the GOFLAGS that can change the output: flags the
// build sets itself on the command line (-trimpath, -buildvcs, -ldflags,
// -tags), which win over GOFLAGS, and -mod, whose effect shows in the
// module versions hashed, are left out. So `make` (GOFLAGS=-buildvcs=false)
// and a plain `cdk synth` give the same fingerprint.
func outputFlags(goflags string, tags bool) []string {
	var keep []string
	for _, f := range strings.Fields(goflags) {
		name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		switch name {
		case "trimpath", "buildvcs", "ldflags", "mod", "modcacherw", "modfile":
			continue
		case "tags":
			if tags {
				continue
			}
		}
		keep = append(keep, f)
	}
	return keep
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Build writes the output into dir (created if needed): the executable,
// mode 0755, and the extra files, every file and directory with the
// modification time [ModTime].
func (o Options) Build(dir string) error {
	r, err := o.resolve()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	exe := filepath.Join(dir, r.Output)
	args := append(append([]string{"build"}, r.buildArgs()...), "-o", exe, r.Package)
	if _, err := r.goCmd(args...); err != nil {
		return err
	}
	if err := os.Chmod(exe, 0o755); err != nil {
		return err
	}
	for _, f := range r.ExtraFiles {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := copyFile(f.Source, dst, f.mode()); err != nil {
			return err
		}
	}
	return filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, ModTime, ModTime)
	})
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	_ = os.Remove(dst) // a read-only file left by an earlier build
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode) // umask-independent
}

// DirFiles lists the regular files directly in dir, sorted, as files named
// prefix/NAME in the output (for example a model directory as model/...).
// Subdirectories and other non-regular entries are left out.
func DirFiles(dir, prefix string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if e.Type().IsRegular() {
			files = append(files, File{Name: path.Join(prefix, e.Name()), Source: filepath.Join(dir, e.Name())})
		}
	}
	return files, nil
}

// DepsTag is the build tag of a construct package's deps.go, whose blank
// imports name every package a binary it builds by import path needs:
// `go mod tidy` reads files of every tag, so a module requiring the
// construct package keeps those modules in go.mod and go.sum, while the
// CDK app's own build (without the tag) compiles none of them.
const DepsTag = "costguard_deps"

// MissingDeps returns the non-standard packages that the main package pkg
// imports (directly or not) and that the package importer, built with
// [DepsTag], does not, as `go list -deps` resolves them in dir for the
// target. A construct package that builds pkg by import path must leave
// none missing.
func MissingDeps(dir string, arch workload.Architecture, pkg, importer string) ([]string, error) {
	r, err := Options{Package: pkg, Dir: dir, Arch: arch}.resolve()
	if err != nil {
		return nil, err
	}
	list := func(p string, flags ...string) (map[string]bool, error) {
		args := append(append([]string{"list", "-deps"}, flags...), "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", p)
		out, err := r.goCmd(args...)
		if err != nil {
			return nil, err
		}
		m := map[string]bool{}
		for _, l := range strings.Fields(string(out)) {
			m[l] = true
		}
		return m, nil
	}
	need, err := list(pkg)
	if err != nil {
		return nil, err
	}
	have, err := list(importer, "-tags="+DepsTag)
	if err != nil {
		return nil, err
	}
	var missing []string
	for p := range need {
		if p != pkg && !have[p] {
			missing = append(missing, p)
		}
	}
	slices.Sort(missing)
	return missing, nil
}
