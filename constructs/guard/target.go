package guard

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/costguard-ml/costguard/internal/killswitch"
)

// Target is a resource the kill switch stops and restores. [LambdaTarget]
// is the implementation today; Fargate services (desired count 0) and
// SageMaker endpoints (minimum capacity) implement it next, with a driver
// of the same kind in internal/killswitch.
type Target interface {
	// BindKillSwitch grants grantee exactly what stopping and restoring the
	// resource needs, on the resource only, and says what the kill switch
	// acts on.
	BindKillSwitch(grantee awsiam.IGrantable) TargetBinding
}

// TargetBinding is what the kill switch's driver of Kind acts on.
type TargetBinding struct {
	// Kind selects the driver, such as "lambda".
	Kind string
	// Name is the resource's name (a token is fine).
	Name *string
}

// LambdaTarget stops fn by setting its reserved concurrency to 0.
func LambdaTarget(fn awslambda.IFunction) Target { return lambdaTarget{fn} }

type lambdaTarget struct{ fn awslambda.IFunction }

func (t lambdaTarget) BindKillSwitch(grantee awsiam.IGrantable) TargetBinding {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee,
		Actions: &[]*string{
			ptr("lambda:GetFunctionConcurrency"),
			ptr("lambda:PutFunctionConcurrency"),
			ptr("lambda:DeleteFunctionConcurrency"),
		},
		ResourceArns: &[]*string{t.fn.FunctionArn()},
	})
	return TargetBinding{Kind: killswitch.KindLambda, Name: t.fn.FunctionName()}
}
