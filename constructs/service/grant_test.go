package service

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
)

// GrantInvoke on each tier grants the caller the one action that invokes
// the model, on that tier's resource only.
func TestGrantInvoke(t *testing.T) {
	for _, tc := range []struct {
		name    string
		props   InferenceServiceProps
		tier    workload.Tier
		actions any
	}{
		{"lambda", InferenceServiceProps{Profile: textModel, LambdaCode: testCode()}, workload.TierLambda, "lambda:InvokeFunction"},
		{"fargate", InferenceServiceProps{Profile: bigModel, ContainerImage: testImage}, workload.TierFargate, "execute-api:Invoke"},
		{"sagemaker", InferenceServiceProps{Profile: gpuModel, ContainerImage: testImage}, workload.TierSageMakerRealtime,
			[]any{"sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(t, "Grant"+tc.name)
			s := NewInferenceService(stack, "Inference", &tc.props)
			if s.Tier() != tc.tier {
				t.Fatalf("tier %s, want %s", s.Tier(), tc.tier)
			}
			role := awsiam.NewRole(stack, jsii.String("Client"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
			if s.GrantInvoke(role) == nil {
				t.Fatal("GrantInvoke returned nil")
			}
			assertions.Template_FromStack(stack, nil).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
				"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
					"Action": tc.actions, "Effect": "Allow", "Resource": assertions.Match_AnyValue(),
				}}},
				"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("Client"))}},
			})
		})
	}
}
