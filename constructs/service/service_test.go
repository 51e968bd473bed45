package service

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

func newStack(t *testing.T, id string) awscdk.Stack {
	t.Helper()
	return awscdk.NewStack(cdktest.NewApp(t), jsii.String(id), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})
}

// testImage is the ImageFunc of the tests: a stand-in Dockerfile, staged by
// synth and never built.
func testImage(scope constructs.Construct, id string, arch workload.Architecture) awsecrassets.DockerImageAsset {
	platform := awsecrassets.Platform_LINUX_ARM64()
	if arch == workload.ArchX86_64 {
		platform = awsecrassets.Platform_LINUX_AMD64()
	}
	return awsecrassets.NewDockerImageAsset(scope, jsii.String(id), &awsecrassets.DockerImageAssetProps{
		Directory: jsii.String(filepath.Join("testdata", "image")),
		Platform:  platform,
	})
}

func testCode() awslambda.Code {
	return awslambda.Code_FromAsset(jsii.String(filepath.Join("testdata", "asset")), nil)
}

func match(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

// placementInfo returns the info annotations InferenceService left.
func placementInfo(stack awscdk.Stack) []string {
	var out []string
	for _, m := range *assertions.Annotations_FromStack(stack).FindInfo(jsii.String("*"),
		assertions.Match_StringLikeRegexp(jsii.String("costguard placement: .*"))) {
		//lint:ignore SA1019 the assertions API returns this type
		out = append(out, strings.TrimSpace(strings.ReplaceAll(toString(m.Entry.Data), "\n", " ")))
	}
	return out
}

func toString(v any) string {
	if s, ok := v.(*string); ok && s != nil {
		return *s
	}
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func TestLambdaTierWithGuard(t *testing.T) {
	// GIVEN a light text model, a budget and a guard
	stack := newStack(t, "ServiceLambda")
	addNag(stack)
	s := NewInferenceService(stack, "Inference", &InferenceServiceProps{
		Profile:          textModel,
		Traffic:          workload.Traffic{RequestsPerMonth: 1e6, AvgDurationMs: 40, P99DurationMs: 120, InitDurationMs: 300},
		MonthlyBudgetUSD: 25,
		LambdaCode:       testCode(),
		ContainerImage:   testImage,
		Guard:            &guard.CostGuardProps{Stage: "dev", EmailSubscribers: []string{"ml@example.com"}},
	})
	// WHEN the stack is synthesized
	tpl := assertions.Template_FromStack(stack, nil)

	t.Run("placement chose lambda and sized it", func(t *testing.T) {
		if s.Tier() != workload.TierLambda || s.Lambda() == nil || s.Fargate() != nil || s.SageMaker() != nil {
			t.Fatalf("tier %s, want lambda with only the Lambda tier built", s.Tier())
		}
		tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
			"MemorySize": 1769, "Architectures": []any{"arm64"},
		})
		tpl.ResourceCountIs(jsii.String("AWS::ECS::Service"), jsii.Number(0))
		if got := s.Workload().Placement; len(got) == 0 || !strings.Contains(got[0], "lambda is the cheapest feasible synchronous tier") {
			t.Errorf("workload placement = %q", got)
		}
	})
	t.Run("decision recorded on the function", func(t *testing.T) {
		tpl.HasResource(jsii.String("AWS::Lambda::Function"), map[string]any{
			"Metadata": map[string]any{workload.MetadataKey: match(map[string]any{
				"tier":      "lambda",
				"placement": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("lambda is the cheapest feasible synchronous tier.*"))}),
			})},
		})
	})
	t.Run("decision printed at synth", func(t *testing.T) {
		info := placementInfo(stack)
		if len(info) != 1 || !strings.Contains(info[0], "tier lambda by placement, 1769 MB arm64") {
			t.Errorf("info annotations = %q", info)
		}
	})
	t.Run("guard attached to the function", func(t *testing.T) {
		tpl.ResourceCountIs(jsii.String("AWS::Budgets::Budget"), jsii.Number(1))
		if s.CostGuard() == nil {
			t.Error("CostGuard() = nil")
		}
	})
	t.Run("no image asset on a lambda stage", func(t *testing.T) {
		if n := strings.Count(cdktest.MarshalTemplate(cdktest.Template(t, stack)), "container-assets"); n != 0 {
			t.Errorf("template references %d container assets", n)
		}
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := nagFindings(t, stack); len(f) > 0 {
			t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(f), strings.Join(f, "\n"))
		}
	})
	t.Run("golden", func(t *testing.T) {
		cdktest.Golden(t, filepath.Join("testdata", "lambda.template.json"), cdktest.Template(t, stack))
	})
}

func TestFargateTier(t *testing.T) {
	// GIVEN a 12 GB model
	stack := newStack(t, "ServiceFargate")
	addNag(stack)
	s := NewInferenceService(stack, "Inference", &InferenceServiceProps{
		Profile:          bigModel,
		Traffic:          workload.Traffic{RequestsPerMonth: 3e6, AvgDurationMs: 150},
		MonthlyBudgetUSD: 400,
		LambdaCode:       testCode(),
		ContainerImage:   testImage,
		Guard:            &guard.CostGuardProps{Stage: "example", EmailSubscribers: []string{"ml@example.com"}},
	})
	tpl := assertions.Template_FromStack(stack, nil)

	t.Run("placement chose fargate with a task that fits", func(t *testing.T) {
		if s.Tier() != workload.TierFargate || s.Fargate() == nil {
			t.Fatalf("tier %s, want fargate", s.Tier())
		}
		tpl.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]any{
			"Cpu": "2048", "Memory": "15360",
			"RuntimePlatform": match(map[string]any{"CpuArchitecture": "ARM64"}),
		})
		tpl.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(1)) // the VPC's default-SG custom resource only
		tpl.HasResource(jsii.String("AWS::ECS::Service"), map[string]any{
			"Metadata": map[string]any{workload.MetadataKey: match(map[string]any{
				"tier":      "fargate",
				"placement": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("not lambda: needs 15360 MB.*"))}),
			})},
		})
	})
	t.Run("decision printed at synth", func(t *testing.T) {
		if info := placementInfo(stack); len(info) != 1 || !strings.Contains(info[0], "tier fargate by placement, 2 vCPU / 15 GB") {
			t.Errorf("info annotations = %q", info)
		}
	})
	t.Run("tier guard: dollar alarm on the tier's metrics and operational alarms", func(t *testing.T) {
		if s.TierGuard() == nil || s.CostGuard() != nil {
			t.Fatal("want a tier guard and no Lambda cost guard")
		}
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"Threshold": 400,
			"Metrics": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"Expression": "(tasks * 0.11816 + requests * 0.000012) * 730",
			}), match(map[string]any{
				"Id": "tasks", "MetricStat": match(map[string]any{"Metric": match(map[string]any{
					"Namespace": "ECS/ContainerInsights", "MetricName": "RunningTaskCount"})}),
			})}),
			"AlarmActions": assertions.Match_AnyValue(), "OKActions": assertions.Match_AnyValue(),
		})
		for _, name := range []string{"HTTPCode_Target_5XX_Count", "UnHealthyHostCount", "TargetResponseTime", "CPUUtilization"} {
			tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"MetricName": name})
		}
		tpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(5))
		tpl.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]any{"KmsMasterKeyId": assertions.Match_AnyValue()})
		tpl.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), map[string]any{
			"PolicyDocument": match(map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"Sid": "AllowCloudWatchAlarmsToPublish", "Action": "sns:Publish", "Effect": "Allow",
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			})})}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{"Protocol": "email", "Endpoint": "ml@example.com"})
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := nagFindings(t, stack); len(f) > 0 {
			t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(f), strings.Join(f, "\n"))
		}
	})
	t.Run("golden", func(t *testing.T) {
		cdktest.Golden(t, filepath.Join("testdata", "fargate.template.json"), cdktest.Template(t, stack))
	})
}

func TestSageMakerRealtimeTier(t *testing.T) {
	// GIVEN a GPU model
	stack := newStack(t, "ServiceGPU")
	addNag(stack)
	s := NewInferenceService(stack, "Inference", &InferenceServiceProps{
		Profile:          gpuModel,
		Traffic:          workload.Traffic{RequestsPerMonth: 2e6, AvgDurationMs: 40},
		MonthlyBudgetUSD: 1500,
		ContainerImage:   testImage,
		Guard:            &guard.CostGuardProps{Stage: "example"},
	})
	tpl := assertions.Template_FromStack(stack, nil)

	t.Run("placement chose a gpu instance", func(t *testing.T) {
		if s.Tier() != workload.TierSageMakerRealtime || s.SageMaker() == nil {
			t.Fatalf("tier %s, want sagemaker-realtime", s.Tier())
		}
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::EndpointConfig"), map[string]any{
			"ProductionVariants": []any{match(map[string]any{"InstanceType": "ml.g4dn.xlarge"})},
		})
		tpl.HasResource(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{
			"Metadata": map[string]any{workload.MetadataKey: match(map[string]any{
				"tier":      "sagemaker-realtime",
				"placement": assertions.Match_ArrayWith(&[]any{"not lambda: needs a GPU; Lambda has none"}),
			})},
		})
	})
	t.Run("tier guard watches the endpoint", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"Threshold": 1500,
			"Metrics": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"Expression": "(instanceSamples / 5 * 0.7364 + requests * 0.000042) * 730",
			})}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"MetricName": "Invocation5XXErrors", "Namespace": "AWS/SageMaker",
		})
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := nagFindings(t, stack); len(f) > 0 {
			t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(f), strings.Join(f, "\n"))
		}
	})
	t.Run("golden", func(t *testing.T) {
		cdktest.Golden(t, filepath.Join("testdata", "sagemaker-realtime.template.json"), cdktest.Template(t, stack))
	})
}

// TestConstructorFailures proves synth fails with a *ValidationError that
// names the construct and the limit.
func TestConstructorFailures(t *testing.T) {
	tests := []struct {
		name  string
		props InferenceServiceProps
		want  string
	}{
		{"gpu model forced onto lambda",
			InferenceServiceProps{Profile: gpuModel, Tier: workload.TierLambda, LambdaCode: testCode()},
			"Bad/Inference: Tier: lambda cannot serve this model: needs a GPU; Lambda has none"},
		{"12 GB model forced onto sagemaker serverless",
			InferenceServiceProps{Profile: bigModel, Tier: workload.TierSageMakerServerless, ContainerImage: testImage},
			"Bad/Inference: Tier: sagemaker-serverless cannot serve this model: needs 15360 MB, over SageMaker serverless's 6144 MB"},
		{"container tier without an image",
			InferenceServiceProps{Profile: bigModel, LambdaCode: testCode()},
			"Bad/Inference: ContainerImage: required for tier fargate"},
		{"lambda tier without code",
			InferenceServiceProps{Profile: textModel, Traffic: workload.Traffic{RequestsPerMonth: 1e6}},
			"Bad/Inference: LambdaCode: required for tier lambda"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(cdktest.NewApp(t), jsii.String("Bad"), nil)
			defer func() {
				r := recover()
				ve, ok := r.(*ValidationError)
				if !ok {
					t.Fatalf("panic = %#v, want a *ValidationError", r)
				}
				if !strings.Contains(ve.Error(), tc.want) {
					t.Errorf("panic = %q, want it to contain %q", ve, tc.want)
				}
			}()
			NewInferenceService(stack, "Inference", &tc.props)
		})
	}
}

// TestKillSwitchTargets binds the container tiers' kill-switch targets to
// a role and checks the grants name the resources.
func TestKillSwitchTargets(t *testing.T) {
	stack := newStack(t, "ServiceTargets")
	large := NewInferenceService(stack, "Large", &InferenceServiceProps{Profile: bigModel, ContainerImage: testImage})
	gpu := NewInferenceService(stack, "Gpu", &InferenceServiceProps{Profile: gpuModel, ContainerImage: testImage})
	role := awsiam.NewRole(stack, jsii.String("KillSwitchRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	fb := FargateTarget(large.Fargate()).BindKillSwitch(role)
	sb := SageMakerTarget(gpu.SageMaker()).BindKillSwitch(role)
	if fb.Kind != KindECSService || sb.Kind != KindSageMakerEndpoint {
		t.Errorf("kinds %q, %q", fb.Kind, sb.Kind)
	}
	if *sb.Name != gpu.SageMaker().EndpointName() {
		t.Errorf("endpoint target name %q, want %q", *sb.Name, gpu.SageMaker().EndpointName())
	}
	tpl := assertions.Template_FromStack(stack, nil)
	for _, statement := range []map[string]any{
		{"Action": []any{"ecs:DescribeServices", "ecs:UpdateService"}, "Resource": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("LargeFargate.*"))}},
		{"Action": []any{"sagemaker:DescribeEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"}},
		{"Action": []any{"application-autoscaling:DescribeScalableTargets", "application-autoscaling:RegisterScalableTarget"}, "Resource": "*"},
	} {
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
			"PolicyDocument": match(map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{match(statement)})}),
			"Roles":          []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("KillSwitchRole.*"))}},
		})
	}
}

// TestAsyncTier places a 20-minute job: no synchronous tier can wait that
// long behind a REST API, so it goes to SageMaker asynchronous inference.
func TestAsyncTier(t *testing.T) {
	stack := newStack(t, "ServiceAsync")
	addNag(stack)
	s := NewInferenceService(stack, "Inference", &InferenceServiceProps{
		Profile:          batchJob,
		Traffic:          workload.Traffic{RequestsPerMonth: 1000},
		MonthlyBudgetUSD: 100,
		ContainerImage:   testImage,
		Guard:            &guard.CostGuardProps{Stage: "batch"},
	})
	tpl := assertions.Template_FromStack(stack, nil)
	if s.Tier() != workload.TierSageMakerAsync {
		t.Fatalf("tier %s, want sagemaker-async (reasons %q)", s.Tier(), s.Decision().Reasons)
	}
	tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{"MinCapacity": 0})
	tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"MetricName": "HasBacklogWithoutCapacity", "AlarmActions": assertions.Match_AnyValue(),
	})
	if f := nagFindings(t, stack); len(f) > 0 {
		t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
	}
}
