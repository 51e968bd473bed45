package inference

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/modelserver"
)

// ModelServerPackage is the model server's main package, by import path.
const ModelServerPackage = modelserver.Package

// ModelServerCode returns the model server's Lambda code (the Code of
// [LambdaAPIProps]) for the model in modelDir, built for arch.
//
// modelDir is a directory holding manifest.json and the ONNX file it names
// (see `costguard model init`), absolute or relative to the working
// directory; it is checked now, as the model server checks it at its cold
// start (a valid manifest, the ONNX file's sha256), so a broken model fails
// synth instead of the first request. arch is workload.ArchARM64 (""
// means arm64) or workload.ArchX86_64; give LambdaAPIProps.Architecture the
// same one.
//
// The code is an asset of [ModelServerPackage] built by import path in the
// working directory's module (the module the CDK app runs in, which
// requires costguard; a replace of costguard by a local checkout works)
// with modelDir's regular files in model/, where the server reads them
// (MODEL_DIR is ModelDir), and, for ONNX Runtime, the model's graph as ONNX
// Runtime optimizes it, which the server builds its session from (see
// lambda/model.ORTOptimizedFile). The build is local and reproducible (Go
// is all it needs, no Docker) and runs only when the app bundles the
// stack; the asset hash is a fingerprint of the toolchain, the target, the
// sources (including every file of a locally replaced costguard) and the
// files the asset carries, so `cdk synth` knows it without building and
// `cdk diff` is quiet when nothing changed. The optimized graph is one of
// those files, so it is made here, when the code is created, by running
// ONNX Runtime on this machine (Linux on amd64 or arm64): once per model
// and machine, then read from the user cache (tens of milliseconds the
// first time, after a cgo build of the optimizer).
//
// Every problem (a bad architecture, a missing or broken model directory,
// a working directory outside a Go module) is returned, one line each,
// naming the field, the value and what is allowed.
func ModelServerCode(modelDir string, arch workload.Architecture) (awslambda.Code, error) {
	o, err := modelserver.Build(modelDir, arch)
	if err != nil {
		return nil, err
	}
	return o.LambdaCode()
}
