package stacks

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// TestStageOnFargate serves the dev stage's model on Fargate through
// Stage.ServiceProps, the path a Tier field in the stage table takes.
func TestStageOnFargate(t *testing.T) {
	dev, err := LookupStage("dev")
	if err != nil {
		t.Fatal(err)
	}
	app := cdktest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("costguard-dev-fargate"), nil)
	AddChecks(app)
	svc := service.NewInferenceService(stack, "Inference", dev.ServiceProps(workload.TierFargate, ModelServerImage(cdktest.ModuleRoot(t))))
	tpl := assertions.Template_FromStack(stack, nil)

	if svc.Tier() != workload.TierFargate || !svc.Decision().Overridden {
		t.Fatalf("tier %s (overridden %v), want fargate by override", svc.Tier(), svc.Decision().Overridden)
	}
	tpl.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]any{"Cpu": "1024", "Memory": "2048"})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": dev.ThrottleRateLimit, "ThrottlingBurstLimit": dev.ThrottleBurstLimit},
	})
	tpl.ResourcePropertiesCountIs(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": dev.LogRetentionDays}, jsii.Number(2))
	tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"Threshold": dev.MonthlyBudgetUSD})
	if f := cdktest.NagFindings(t, stack, "AwsSolutions-"); len(f) > 0 {
		t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
	}
	over := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(".*over the .* budget.*")))
	if len(*over) != 1 {
		t.Errorf("want the over-budget warning: an always-on task costs more than dev's $%g", dev.MonthlyBudgetUSD)
	}
}

// TestStageOverrideInfeasible proves a stage moved to a tier that cannot
// hold its model fails with the limit named.
func TestStageOverrideInfeasible(t *testing.T) {
	dev, _ := LookupStage("dev")
	props := dev.ServiceProps(workload.TierSageMakerServerless, ModelServerImage(cdktest.ModuleRoot(t)))
	props.Profile.PeakMemoryMB = 12288
	_, err := service.Decide(*props)
	if err == nil || !strings.Contains(err.Error(), "over SageMaker serverless's 6144 MB") {
		t.Errorf("Decide() error = %v, want the 6144 MB limit named", err)
	}
}
