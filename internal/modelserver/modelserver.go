// Package modelserver packages costguard's model server with a caller's
// model directory, for every tier: the Lambda asset (bootstrap + model/)
// and the container image's build context (a generated Dockerfile, the
// same bootstrap, model/). Both are built by [serverbuild] by import path
// in the caller's module, so the image runs exactly the binary the Lambda
// asset and the tests run. The public entry points are
// inference.ModelServerCode and service.ModelServerImage.
package modelserver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/serverbuild"
	"github.com/costguard-ml/costguard/lambda/model"
)

// Package is the model server's main package, by import path.
const Package = "github.com/costguard-ml/costguard/lambda/cmd/bootstrap"

// ModelPrefix is where the model directory's files go in the output: the
// model server reads model/ next to its executable by default.
const ModelPrefix = "model"

// CheckModelDir checks a model directory the way the model server will at
// its cold start, in milliseconds: manifest.json valid, the ONNX file it
// names present with the manifest's sha256. It returns the directory made
// absolute (relative to the working directory). Every error is one line
// that names the directory and the problem.
func CheckModelDir(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("modelDir: empty; give the directory that holds manifest.json and the ONNX file it names")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("modelDir: %q: %v", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("modelDir: %q is not a directory (want one that holds manifest.json and the ONNX file it names)", dir)
	}
	man, err := model.ReadManifest(abs)
	if err != nil {
		return "", fmt.Errorf("modelDir: %q: %s", dir, oneLine(err))
	}
	onnx := filepath.Join(abs, man.ONNX.File)
	b, err := os.ReadFile(onnx)
	if err != nil {
		return "", fmt.Errorf("modelDir: %q: %s (named by manifest.json's onnx.file) is missing or unreadable", dir, man.ONNX.File)
	}
	if got := model.SHA256Hex(b); got != man.ONNX.SHA256 {
		return "", fmt.Errorf("modelDir: %q: %s has sha256 %s, manifest.json says %s", dir, man.ONNX.File, got, man.ONNX.SHA256)
	}
	return abs, nil
}

// oneLine joins a multi-line error (errors.Join) with "; ".
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

// Build returns the build of the model server for arch with the model
// directory's regular files in model/, after checking the model directory
// and the architecture; every problem is reported, one line each.
func Build(modelDir string, arch workload.Architecture) (serverbuild.Options, error) {
	var errs []error
	if err := serverbuild.CheckArch(arch); err != nil {
		errs = append(errs, err)
	}
	abs, err := CheckModelDir(modelDir)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return serverbuild.Options{}, errors.Join(errs...)
	}
	files, err := serverbuild.DirFiles(abs, ModelPrefix)
	if err != nil {
		return serverbuild.Options{}, fmt.Errorf("modelDir: %q: %v", modelDir, err)
	}
	// A static, cgo-free build. The native build (ONNX Runtime through cgo)
	// switches on here: CGO true, Env from the cross toolchain, and the
	// shared libraries as ExtraFiles under lib/ (serverbuild.NativeEnv and
	// serverbuild.SharedLibs on the engine branch). Everything downstream
	// (fingerprint, Lambda asset, image context and its cc base image)
	// follows the options.
	return serverbuild.Options{Package: Package, Arch: arch, ExtraFiles: files}, nil
}
