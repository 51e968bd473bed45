package service

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	fargatetier "github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/guard"
	sagemakertier "github.com/costguard-ml/costguard/constructs/sagemaker"
)

// Kill-switch target kinds of the container tiers. The kill switch's
// drivers of these kinds (internal/killswitch) are still to be written:
//
//   - KindECSService, name "CLUSTER/SERVICE": record the scalable target's
//     minimum and maximum and the desired count, then register the target
//     with minimum and maximum 0 and update the service to 0 tasks;
//     restore registers the recorded bounds and desired count.
//   - KindSageMakerEndpoint, name "ENDPOINT": for instance variants, record
//     the scalable target's bounds and the variant's instance count, then
//     hold both at the minimum (0 for asynchronous endpoints, which then
//     queue); restore puts them back.
const (
	KindECSService        = "ecs-service"
	KindSageMakerEndpoint = "sagemaker-endpoint"
)

// FargateTarget is the kill-switch target of a Fargate tier: scale the
// service to 0 tasks. Pass it in guard.KillSwitchOptions.Targets.
func FargateTarget(s *fargatetier.Service) guard.Target { return fargateTarget{s} }

type fargateTarget struct{ s *fargatetier.Service }

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
func SageMakerTarget(e *sagemakertier.Endpoint) guard.Target { return sageMakerTarget{e} }

type sageMakerTarget struct{ e *sagemakertier.Endpoint }

func (t sageMakerTarget) BindKillSwitch(grantee awsiam.IGrantable) guard.TargetBinding {
	grant(grantee, []string{"sagemaker:DescribeEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"}, []*string{t.e.EndpointArn()})
	grantAutoScaling(grantee)
	return guard.TargetBinding{Kind: KindSageMakerEndpoint, Name: jsii.String(t.e.EndpointName())}
}

func grant(grantee awsiam.IGrantable, actions []string, resources []*string) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings(actions...), ResourceArns: &resources,
	})
}

// grantAutoScaling lets the grantee read and re-register scalable targets.
// Application Auto Scaling has no resource-level permission for these
// calls, so the resource is "*"; the suppression says so on the grantee.
func grantAutoScaling(grantee awsiam.IGrantable) {
	grant(grantee, []string{"application-autoscaling:DescribeScalableTargets", "application-autoscaling:RegisterScalableTarget"},
		[]*string{jsii.String("*")})
	if c, ok := grantee.GrantPrincipal().(constructs.IConstruct); ok {
		cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("AwsSolutions-IAM5"),
			Reason: jsii.String("Application Auto Scaling's DescribeScalableTargets and RegisterScalableTarget support no " +
				"resource-level permission; the kill switch needs them to hold a guarded service or endpoint at its minimum."),
			AppliesTo: &[]any{jsii.String("Resource::*")},
		}}, jsii.Bool(true))
	}
}
