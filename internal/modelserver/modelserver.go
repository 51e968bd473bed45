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
	"slices"
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
// its cold start, without running it, in milliseconds: manifest.json valid,
// the files it names present, the ONNX file's sha256, every operator
// supported by the engine the build serves it with, every graph input
// filled by the task's pipeline, one output column per label
// (model.ValidateDir). It returns the directory made absolute (relative to
// the working directory) and its manifest. Every error is one line that
// names the directory and the problem.
func CheckModelDir(dir string) (string, *model.Manifest, error) {
	if dir == "" {
		return "", nil, errors.New("modelDir: empty; give the directory that holds manifest.json and the ONNX file it names")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, fmt.Errorf("modelDir: %q: %v", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return "", nil, fmt.Errorf("modelDir: %q is not a directory (want one that holds manifest.json and the ONNX file it names)", dir)
	}
	man, err := model.ReadManifest(abs)
	if err != nil {
		return "", nil, fmt.Errorf("modelDir: %q: %s", dir, oneLine(err))
	}
	if err := model.ValidateDir(abs, Engine(man)); err != nil {
		return "", nil, fmt.Errorf("modelDir: %q: %s", dir, oneLine(err))
	}
	return abs, man, nil
}

// pureGoEngines are the engines of a static, cgo-free build.
var pureGoEngines = []string{"gonnx", "gomlx"}

// Engine is the engine the model server build serves man with: the
// manifest's, else ONNX Runtime, whatever the engines of the process
// calling this (a CDK app may well be a cgo-free build).
func Engine(man *model.Manifest) string {
	if man.Engine != "" {
		return man.Engine
	}
	return model.NativeEngine
}

// oneLine joins a multi-line error (errors.Join) with "; ".
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

// Build returns the build of the model server for arch with the model
// directory's regular files in model/, after checking the model directory
// and the architecture; every problem is reported, one line each.
//
// A model served by ONNX Runtime (the default) gets the native build: cgo
// with the target's C compiler, RPATH $ORIGIN/lib, and lib/ holding
// libonnxruntime.so.1 and the C++ runtime built for glibc 2.34
// (serverbuild.NativeEnv, serverbuild.SharedLibs), so the zip needs nothing
// from provided.al2023 but glibc; and model/ gets the model's
// offline-optimized graph for ONNX Runtime (model.ORTOptimizedFile, made
// here), from which the server builds its session. A manifest that names a pure-Go engine
// (gonnx, gomlx) gets one static, cgo-free executable and no lib/.
func Build(modelDir string, arch workload.Architecture) (serverbuild.Options, error) {
	var errs []error
	if err := serverbuild.CheckArch(arch); err != nil {
		errs = append(errs, err)
	}
	abs, man, err := CheckModelDir(modelDir)
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
	// lambda.norpc leaves out aws-lambda-go's RPC mode (the retired go1.x
	// runtime's), which provided.al2023 and the container faces never use,
	// and with it net/rpc, encoding/gob and html/template: 0.2 ms of
	// package initialisation in every cold start.
	o := serverbuild.Options{Package: Package, Arch: arch, ExtraFiles: files, Tags: []string{"lambda.norpc"}}
	if slices.Contains(pureGoEngines, Engine(man)) {
		return o, nil
	}
	env, err := serverbuild.NativeEnv(arch)
	if err != nil {
		return serverbuild.Options{}, err
	}
	libs, err := serverbuild.SharedLibs(arch)
	if err != nil {
		return serverbuild.Options{}, err
	}
	opt, err := ortOptimizedFiles(abs, man)
	if err != nil {
		return serverbuild.Options{}, fmt.Errorf("modelDir: %q: %v", modelDir, err)
	}
	o.CGO, o.Env, o.ExtraFiles = true, env, append(append(libs, withoutNames(files, opt)...), opt...)
	return o, nil
}

// withoutNames returns files without those named like one of drop (a
// model directory's own copy of a file the build writes).
func withoutNames(files, drop []serverbuild.File) []serverbuild.File {
	var keep []serverbuild.File
	for _, f := range files {
		if !slices.ContainsFunc(drop, func(d serverbuild.File) bool { return d.Name == f.Name }) {
			keep = append(keep, f)
		}
	}
	return keep
}
