package stacks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
)

// Paths of the model server and the reference model, relative to the module root.
const (
	HandlerPackage = "./lambda/cmd/bootstrap"
	ModelDir       = "lambda/models/spam"
)

// The files a model directory must hold (the model server's contract).
var modelFiles = []string{"manifest.json", "model.onnx"}

// buildFlags make the build reproducible: no cgo, no file system paths, no
// build id, no VCS stamp, symbols stripped. The same source then gives the
// same bytes, so the same asset hash.
var buildFlags = []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid="}

// Handler describes the deployment package of the model server: the
// bootstrap executable built for Architecture plus the model directory.
type Handler struct {
	// Root is the module root (the directory with go.mod).
	Root string
	// Package is the main package, relative to Root. Default: HandlerPackage.
	Package string
	// ModelDir is the model artifact directory, relative to Root. Default: ModelDir.
	ModelDir string
	// Architecture is arm64 or x86_64. Default: arm64.
	Architecture workload.Architecture
}

func (h Handler) withDefaults() Handler {
	if h.Package == "" {
		h.Package = HandlerPackage
	}
	if h.ModelDir == "" {
		h.ModelDir = ModelDir
	}
	if h.Architecture == "" {
		h.Architecture = workload.ArchARM64
	}
	return h
}

func (h Handler) goarch() string {
	if h.Architecture == workload.ArchX86_64 {
		return "amd64"
	}
	return "arm64"
}

func (h Handler) env() []string {
	return append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+h.goarch(), "GOFLAGS=-mod=readonly")
}

// Check reports what is missing for a build: the package and the model
// artifact's files.
func (h Handler) Check() error {
	h = h.withDefaults()
	var errs []error
	if h.Architecture != workload.ArchARM64 && h.Architecture != workload.ArchX86_64 {
		errs = append(errs, fmt.Errorf("architecture: %q is not arm64 or x86_64", h.Architecture))
	}
	if fi, err := os.Stat(filepath.Join(h.Root, h.Package)); err != nil || !fi.IsDir() {
		errs = append(errs, fmt.Errorf("handler package: %s is not a directory under %s", h.Package, h.Root))
	}
	for _, f := range modelFiles {
		p := filepath.Join(h.Root, h.ModelDir, f)
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
			errs = append(errs, fmt.Errorf("model artifact: %s is missing or empty (the model server needs %s in %s)", filepath.Join(h.ModelDir, f), strings.Join(modelFiles, " and "), h.ModelDir))
		}
	}
	return errors.Join(errs...)
}

// SourceHash returns a fingerprint of everything that goes into the
// deployment package: the Go toolchain, the target, the build flags, the
// module versions and the files of every main-module package the handler
// imports (as `go list -deps` resolves them for linux/GOARCH), and the
// model files. Equal fingerprints mean equal packages, because the build is
// reproducible; the stack uses it as the asset hash, so `cdk synth` knows
// the hash without building, and tests (which skip bundling) see the same
// template.
func (h Handler) SourceHash() (string, error) {
	h = h.withDefaults()
	if err := h.Check(); err != nil {
		return "", err
	}
	cmd := exec.Command("go", "list", "-deps", "-f",
		`{{if not .Standard}}{{.ImportPath}}|{{.Dir}}|{{with .Module}}{{.Path}}@{{.Version}}{{with .Replace}}=>{{.Path}}@{{.Version}}{{end}}|{{.Main}}{{end}}|{{join .GoFiles ","}}|{{join .EmbedFiles ","}}|{{join .SFiles ","}}{{end}}`,
		h.Package)
	cmd.Dir, cmd.Env = h.Root, h.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %v: %s", h.Package, err, strings.TrimSpace(stderr.String()))
	}
	sum := sha256.New()
	fmt.Fprintf(sum, "costguard handler v1\n%s\nlinux/%s\n%q\n", runtime.Version(), h.goarch(), buildFlags)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 7 {
			return "", fmt.Errorf("go list: unexpected line %q", line)
		}
		importPath, dir, mod, main := f[0], f[1], f[2], f[3]
		fmt.Fprintf(sum, "pkg %s %s\n", importPath, mod)
		if main != "true" {
			continue // a dependency module: its path and version identify it
		}
		var files []string
		for _, list := range f[4:] {
			if list != "" {
				files = append(files, strings.Split(list, ",")...)
			}
		}
		slices.Sort(files)
		for _, name := range files {
			if err := hashFile(sum, filepath.Join(dir, name), importPath+"/"+name); err != nil {
				return "", err
			}
		}
	}
	for _, name := range h.modelFileNames() {
		if err := hashFile(sum, filepath.Join(h.Root, h.ModelDir, name), "model/"+name); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}

// modelFileNames lists the regular files of the model directory, sorted.
func (h Handler) modelFileNames() []string {
	entries, err := os.ReadDir(filepath.Join(h.Root, h.ModelDir))
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names
}

func hashFile(w io.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fh := sha256.New()
	if _, err := io.Copy(fh, f); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	_, err = fmt.Fprintf(w, "file %s %x\n", name, fh.Sum(nil))
	return err
}

// Build writes the deployment package into dir: bootstrap, built for
// linux/GOARCH without cgo, reproducibly, and model/ with the model files.
func (h Handler) Build(dir string) error {
	h = h.withDefaults()
	if err := h.Check(); err != nil {
		return err
	}
	args := append(slices.Clone(buildFlags), "-o", filepath.Join(dir, "bootstrap"), h.Package)
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = h.Root, h.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if err := os.Chmod(filepath.Join(dir, "bootstrap"), 0o755); err != nil {
		return err
	}
	modelOut := filepath.Join(dir, "model")
	if err := os.MkdirAll(modelOut, 0o755); err != nil {
		return err
	}
	for _, name := range h.modelFileNames() {
		b, err := os.ReadFile(filepath.Join(h.Root, h.ModelDir, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(modelOut, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// DockerImage is the image CDK would bundle with if the local build
// failed; costguard never needs it (the local build only needs Go).
const DockerImage = "public.ecr.aws/docker/library/golang:1.26-bookworm"

// Code returns the function code: an asset whose hash is [Handler.SourceHash]
// and whose bundling runs [Handler.Build] locally (no Docker). When the
// app skips bundling (tests, or `cdk synth` of other stacks) nothing is built.
func (h Handler) Code() (awslambda.Code, error) {
	h = h.withDefaults()
	hash, err := h.SourceHash()
	if err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(jsii.String(h.Root), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			Image: awscdk.DockerImage_FromRegistry(jsii.String(DockerImage)),
			// Only used if the local build reports failure, and it needs
			// Docker, which costguard does not require.
			Command: jsii.Strings("bash", "-c", fmt.Sprintf(
				"CGO_ENABLED=0 GOOS=linux GOARCH=%s go %s -o /asset-output/bootstrap %s && mkdir -p /asset-output/model && cp %s/* /asset-output/model/",
				h.goarch(), strings.Join(shellQuote(buildFlags), " "), h.Package, h.ModelDir)),
			Local: &localBuild{h: h},
		},
	}), nil
}

func shellQuote(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " =") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return out
}

// localBuild implements awscdk.ILocalBundling with [Handler.Build].
type localBuild struct{ h Handler }

// TryBundle builds into outputDir; on failure it prints why and returns
// false (CDK would then try Docker).
func (l *localBuild) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	if err := l.h.Build(*outputDir); err != nil {
		fmt.Fprintf(os.Stderr, "costguard: building the model server locally failed: %v\n", err)
		return jsii.Bool(false)
	}
	return jsii.Bool(true)
}
