// Package cdkarch maps the one architecture type of costguard's props
// (workload.Architecture) to the CDK's.
package cdkarch

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/costguard-ml/costguard/cost/workload"
)

// Lambda returns the Lambda architecture of a: x86_64 for
// workload.ArchX86_64, arm64 for anything else (the props' default;
// validation reports unknown names first).
func Lambda(a workload.Architecture) awslambda.Architecture {
	if a == workload.ArchX86_64 {
		return awslambda.Architecture_X86_64()
	}
	return awslambda.Architecture_ARM_64()
}
