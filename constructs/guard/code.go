package guard

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/serverbuild"
)

// KillSwitchPackage is the kill switch's main package, by import path.
const KillSwitchPackage = "github.com/costguard-ml/costguard/cmd/killswitch"

// KillSwitchCode returns the kill switch's deployment package for arch
// (arm64 or x86_64; "" means arm64): [KillSwitchPackage] built by import
// path in the module of the working directory (the module the CDK app runs
// in, which requires costguard), by a local, reproducible Go build (no
// Docker) when the app bundles. Its asset hash fingerprints what goes into
// the build (toolchain, target, flags, module versions, and the files of
// the main module and of locally replaced modules), so synthesizing twice,
// or in tests that skip bundling, gives the same hash, and `cdk diff` stays
// quiet when nothing changed.
//
// [KillSwitchOptions.Code] defaults to it; call it to build the code once
// and share it, or to see the error instead of the construct's panic.
func KillSwitchCode(arch workload.Architecture) (awslambda.Code, error) {
	code, err := serverbuild.Options{Package: KillSwitchPackage, Arch: arch}.LambdaCode()
	if err != nil {
		return nil, fmt.Errorf("kill switch code: %w", err)
	}
	return code, nil
}
