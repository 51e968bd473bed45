package service

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/internal/killswitch"
)

// Kill-switch target kinds of the container tiers, served by the drivers
// of internal/killswitch: KindECSService (name "CLUSTER/SERVICE") holds the
// service's scalable target at 0..0 and sets the desired count to 0;
// KindSageMakerEndpoint (name "ENDPOINT") holds every instance variant's
// scalable target at its minimum. Restore puts back what was recorded.
const (
	KindECSService        = killswitch.KindECSService
	KindSageMakerEndpoint = killswitch.KindSageMakerEndpoint
)

// FargateTarget is the kill-switch target of a Fargate tier: scale the
// service to 0 tasks. Pass it in guard.KillSwitchOptions.Targets.
func FargateTarget(s *fargate.Service) guard.Target { return fargateTarget{s} }

type fargateTarget struct{ s *fargate.Service }

func (t fargateTarget) BindKillSwitch(grantee awsiam.IGrantable) guard.TargetBinding {
	svc := t.s.Service()
	grant(grantee, []string{"ecs:DescribeServices", "ecs:UpdateService"}, []*string{svc.ServiceArn()})
	grantAutoScaling(grantee)
	name := awscdk.Fn_Join(jsii.String("/"), &[]*string{t.s.Cluster().ClusterName(), svc.ServiceName()})
	return guard.TargetBinding{Kind: KindECSService, Name: name}
}

// SageMakerTarget is the kill-switch target of a SageMaker tier: hold the
// endpoint's instances at their minimum. Pass it in
// guard.KillSwitchOptions.Targets.
func SageMakerTarget(e *sagemaker.Endpoint) guard.Target { return sageMakerTarget{e} }

type sageMakerTarget struct{ e *sagemaker.Endpoint }

func (t sageMakerTarget) BindKillSwitch(grantee awsiam.IGrantable) guard.TargetBinding {
	// Application Auto Scaling checks that the caller of
	// RegisterScalableTarget may DescribeEndpoint, DescribeEndpointConfig
	// and UpdateEndpointWeightsAndCapacities
	// (https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html,
	// "Permissions required for API actions on target services and
	// CloudWatch"); the endpoint config's Ref is its ARN.
	grant(grantee, []string{"sagemaker:DescribeEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"}, []*string{t.e.EndpointARN()})
	grant(grantee, []string{"sagemaker:DescribeEndpointConfig"}, []*string{t.e.EndpointConfig().Ref()})
	grantAutoScaling(grantee)
	return guard.TargetBinding{Kind: KindSageMakerEndpoint, Name: jsii.String(t.e.EndpointName())}
}

func grant(grantee awsiam.IGrantable, actions []string, resources []*string) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings(actions...), ResourceArns: &resources,
	})
}

func grantAutoScaling(grantee awsiam.IGrantable) { guard.GrantScalableTargets(grantee) }
