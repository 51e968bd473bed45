package stacks

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/testmodel"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// TestStageOnFargate builds the dev stage with Tier: fargate, the one-line
// switch: the stack serves the model on Fargate and keeps the stage's
// guard, budget and kill switch.
func TestStageOnFargate(t *testing.T) {
	dev, err := LookupStage("dev")
	if err != nil {
		t.Fatal(err)
	}
	dev.Tier = workload.TierFargate
	root := cdktest.ModuleRoot(t)
	ks, err := guard.KillSwitchCode(dev.Architecture)
	if err != nil {
		t.Fatal(err)
	}
	app := cdktest.NewApp(t)
	s := NewCostguardStack(app, dev.StackName(), &CostguardStackProps{Stage: &dev, KillSwitchCode: ks, Image: spamImage(t, root)})
	AddChecks(app)
	tpl := assertions.Template_FromStack(s.Stack, nil)

	if s.Service == nil || s.Inference != nil || s.Guard == nil {
		t.Fatalf("service %v, inference %v, guard %v: want the fargate service and its guard only", s.Service != nil, s.Inference != nil, s.Guard != nil)
	}
	if svc := s.Service; svc.Tier() != workload.TierFargate || !svc.Decision().Overridden {
		t.Fatalf("tier %s (overridden %v), want fargate by override", svc.Tier(), svc.Decision().Overridden)
	}
	tpl.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]any{"Cpu": "1024", "Memory": "2048"})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": dev.ThrottleRateLimit, "ThrottlingBurstLimit": dev.ThrottleBurstLimit},
	})
	// The stage's budget, scoped by both tags, as on Lambda.
	tpl.ResourceCountIs(jsii.String("AWS::Budgets::Budget"), jsii.Number(1))
	tpl.HasResourceProperties(jsii.String("AWS::Budgets::Budget"), map[string]any{
		"Budget": assertions.Match_ObjectLike(&map[string]any{
			"BudgetLimit":      map[string]any{"Amount": dev.MonthlyBudgetUSD, "Unit": "USD"},
			"FilterExpression": map[string]any{"And": assertions.Match_AnyValue()},
		}),
	})
	// The kill switch scales the ECS service, and only it.
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Description": assertions.Match_StringLikeRegexp(jsii.String("costguard dev kill switch: scales the fargate tier.*")),
	})
	tpl.HasResourceProperties(jsii.String("AWS::SSM::Parameter"), map[string]any{"Name": "/costguard/dev/killswitch"})
	tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"Threshold": dev.MonthlyBudgetUSD})
	tpl.ResourcePropertiesCountIs(jsii.String("AWS::Lambda::Function"), map[string]any{"Runtime": "provided.al2023"}, jsii.Number(1))
	if f := cdktest.NagFindings(t, s.Stack, "AwsSolutions-"); len(f) > 0 {
		t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
	}
	for _, re := range []string{".*over the .* budget.*", ".*costs .* a month idle.*above the .* budget.*"} {
		if w := assertions.Annotations_FromStack(s.Stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(re))); len(*w) != 1 {
			t.Errorf("want one warning matching %q: an always-on task costs more than dev's $%g", re, dev.MonthlyBudgetUSD)
		}
	}
}

// TestStageOverrideInfeasible proves a stage moved to a tier that cannot
// hold its model fails with the limit named.
func TestStageOverrideInfeasible(t *testing.T) {
	dev, _ := LookupStage("dev")
	props := dev.ServiceProps(workload.TierSageMakerServerless, spamImage(t, cdktest.ModuleRoot(t)))
	props.Profile.PeakMemoryMB = 12288
	_, err := service.Decide(*props)
	if err == nil || !strings.Contains(err.Error(), "over SageMaker serverless's 6144 MB") {
		t.Errorf("Decide() error = %v, want the 6144 MB limit named", err)
	}
}

// TestContainerStageSkipsLambdaRules proves a stage on a container tier is
// checked against that tier only: a model too big for Lambda, or
// Lambda-only fields out of Lambda's range, synthesize on Fargate, and the
// task is sized from the stage's memory as Stage.ModelProfile maps it
// (peak = MemoryMiB / placement.MemoryHeadroom, sized back up by the same
// headroom).
func TestContainerStageSkipsLambdaRules(t *testing.T) {
	tests := []struct {
		name      string
		overrides map[string]string
		memoryMiB int // the Fargate task's memory
	}{
		{
			name:      "fargate holds a model over lambda's 10240 MiB",
			overrides: map[string]string{"tier": "fargate", "memoryMiB": "12288"},
			memoryMiB: 12288,
		},
		{
			name: "fargate ignores lambda-only timeout and concurrency",
			overrides: map[string]string{"tier": "fargate", "memoryMiB": "12288",
				"timeoutSeconds": "60", "provisionedConcurrency": "10", "reservedConcurrency": "5"},
			memoryMiB: 12288,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dev, _ := LookupStage("dev")
			stage, err := ApplyOverrides(dev, tc.overrides)
			if err != nil {
				t.Fatal(err)
			}
			if err := stage.Validate(); err != nil {
				t.Fatalf("Validate() = %v, want nil for a %s stage", err, stage.Tier)
			}
			app := cdktest.NewApp(t)
			built, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev", Overrides: tc.overrides, Code: stubCode})
			if err != nil {
				t.Fatalf("BuildApp() = %v, want the fargate stage built", err)
			}
			if len(built) != 1 || built[0].Service == nil || built[0].Inference != nil {
				t.Fatalf("built %d stacks, want dev on its container tier only", len(built))
			}
			tpl := assertions.Template_FromStack(built[0].Stack, nil)
			// The kill switch is the only function built from the stage.
			tpl.ResourcePropertiesCountIs(jsii.String("AWS::Lambda::Function"), map[string]any{"Runtime": "provided.al2023"}, jsii.Number(1))
			tpl.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]any{"Memory": strconv.Itoa(tc.memoryMiB)})
			tpl.HasResource(jsii.String("AWS::ECS::Service"), map[string]any{
				"Metadata": map[string]any{workload.MetadataKey: assertions.Match_ObjectLike(&map[string]any{
					"tier":    "fargate",
					"fargate": assertions.Match_ObjectLike(&map[string]any{"memoryMiB": tc.memoryMiB}),
				})},
			})
		})
	}
}

// spamImage is the image function of the repository's spam model.
func spamImage(t *testing.T, root string) service.ImageFunc {
	t.Helper()
	image, err := service.ModelServerImage(filepath.Join(root, DefaultModelDir))
	if err != nil {
		t.Fatal(err)
	}
	return image
}

// -c modelDir serves that model on a container tier too: the image asset's
// context holds the given model, not the repository's.
func TestContainerStageModelDir(t *testing.T) {
	dir := testmodel.UserModel(t, cdktest.ModuleRoot(t))
	for _, tier := range []string{"fargate", "sagemaker-serverless"} {
		t.Run(tier, func(t *testing.T) {
			app := cdktest.NewApp(t)
			built, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev", Code: stubCode,
				Overrides: map[string]string{"tier": tier, "modelDir": dir, "architecture": "x86_64"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(built) != 1 || built[0].Service == nil {
				t.Fatal("want the dev stage on its container tier")
			}
			asm := app.Synth(nil)
			contexts, _ := filepath.Glob(filepath.Join(*asm.Directory(), "asset.*", "Dockerfile"))
			if len(contexts) != 1 {
				t.Fatalf("%d image contexts, want 1", len(contexts))
			}
			man, err := os.ReadFile(filepath.Join(filepath.Dir(contexts[0]), "model", "manifest.json"))
			if err != nil || !strings.Contains(string(man), `"name": "my-model"`) {
				t.Errorf("the image's model is not -c modelDir's (%v)", err)
			}
		})
	}
}
