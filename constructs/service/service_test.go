package service

import (
	"encoding/json"
	"fmt"
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

	"github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/sagemaker"
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
func testImage(scope constructs.Construct, id string, arch workload.Architecture) (awsecrassets.DockerImageAsset, error) {
	platform := awsecrassets.Platform_LINUX_ARM64()
	if arch == workload.ArchX86_64 {
		platform = awsecrassets.Platform_LINUX_AMD64()
	}
	return awsecrassets.NewDockerImageAsset(scope, jsii.String(id), &awsecrassets.DockerImageAssetProps{
		Directory: jsii.String(filepath.Join("testdata", "image")),
		Platform:  platform,
	}), nil
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
	cdktest.AddNagChecks(stack)
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
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
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
	cdktest.AddNagChecks(stack)
	s := NewInferenceService(stack, "Inference", &InferenceServiceProps{
		Profile:          bigModel,
		Traffic:          workload.Traffic{RequestsPerMonth: 3e6, AvgDurationMs: 150},
		MonthlyBudgetUSD: 400,
		LambdaCode:       testCode(),
		ContainerImage:   testImage,
		Guard: &guard.CostGuardProps{Stage: "example", EmailSubscribers: []string{"ml@example.com"},
			KillSwitch: &guard.KillSwitchOptions{Code: testCode()}},
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
		tpl.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(2)) // the VPC's default-SG custom resource and the kill switch
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
	t.Run("full cost guard on the fargate tier", func(t *testing.T) {
		g := s.CostGuard()
		if g == nil {
			t.Fatal("no cost guard on the fargate tier")
		}
		// The budget, scoped by the tags, with its notifications.
		tpl.ResourceCountIs(jsii.String("AWS::Budgets::Budget"), jsii.Number(1))
		tpl.HasResourceProperties(jsii.String("AWS::Budgets::Budget"), map[string]any{
			"Budget": match(map[string]any{
				"BudgetLimit": map[string]any{"Amount": 400, "Unit": "USD"}, "BudgetType": "COST", "TimeUnit": "MONTHLY",
				"FilterExpression": match(map[string]any{"Tags": match(map[string]any{"Key": "stage", "Values": []any{"example"}})}),
			}),
			"NotificationsWithSubscribers": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"Notification": match(map[string]any{"Threshold": 100, "NotificationType": "ACTUAL"}),
				"Subscribers":  assertions.Match_ArrayWith(&[]any{match(map[string]any{"SubscriptionType": "SNS", "Address": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String(".*KillSwitchTrigger.*"))}})}),
			})}),
		})
		// The encrypted, TLS-only topic with the subscriber.
		tpl.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]any{"KmsMasterKeyId": assertions.Match_AnyValue()})
		tpl.HasResourceProperties(jsii.String("AWS::SNS::TopicPolicy"), map[string]any{
			"PolicyDocument": match(map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"Effect": "Deny", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			})})}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{"Protocol": "email", "Endpoint": "ml@example.com"})
		// The dollar alarms price the tier's own metrics.
		// Load balancer 0.0305 + NAT gateway 0.045 an hour; per request the
		// logs, access log, response and NAT data; per hour the guard's
		// own alarms, dashboard and key, the custom metrics (the server's
		// and Container Insights') and the NAT gateway's IPv4 address.
		wantExpr := "(FILL(tasks, 0) * 0.11816 + FILL(req, 0) * 0.000012 + 0.0755 + FILL(req, 0) * 0.0000425368174911 + 0.0295205479452) * 730"
		if got := g.SpendExpression(); got != wantExpr {
			t.Errorf("spend expression %q, want %q", got, wantExpr)
		}
		for _, threshold := range []float64{400, 800} {
			tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
				"Threshold": threshold,
				"Metrics": assertions.Match_ArrayWith(&[]any{match(map[string]any{"Expression": wantExpr}), match(map[string]any{
					"Id": "tasks", "MetricStat": match(map[string]any{"Metric": match(map[string]any{
						"Namespace": "ECS/ContainerInsights", "MetricName": "RunningTaskCount"})}),
				})}),
				"AlarmActions": assertions.Match_AnyValue(), "OKActions": assertions.Match_AnyValue(),
			})
		}
		// Operational alarms: the tier's four, then the API's three.
		want := []string{fargate.AlarmCPUHigh, fargate.AlarmTarget5xxRate, fargate.AlarmUnhealthyTargets, fargate.AlarmLatencyP99,
			guard.AlarmAPIServerErrorRate, guard.AlarmAPIClientErrorRate, guard.AlarmAPILatencyP99}
		if got := g.AlarmNames(); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("alarms %q, want %q", got, want)
		}
		// The dollar alarms, the operational ones and the kill switch's errors alarm.
		tpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(float64(2+len(want)+1)))
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"Threshold": 24000}) // 80 % of the HTTP API's 30 s
		tpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Dashboard"), jsii.Number(1))
		// The kill switch stops the ECS service.
		if targets := killSwitchTargets(t, stack); !strings.Contains(targets, `"kind":"ecs-service"`) || strings.Contains(targets, `"kind":"lambda"`) {
			t.Errorf("kill switch targets %s, want the ecs-service only", targets)
		}
	})
	t.Run("kill switch IAM names only the service", func(t *testing.T) {
		checkKillSwitchIAM(t, tpl, map[string]string{"ecs:": "Service", "application-autoscaling:": "*"})
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
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
	cdktest.AddNagChecks(stack)
	s := NewInferenceService(stack, "Inference", &InferenceServiceProps{
		Profile:          gpuModel,
		Traffic:          workload.Traffic{RequestsPerMonth: 2e6, AvgDurationMs: 40},
		MonthlyBudgetUSD: 1500,
		ContainerImage:   testImage,
		Guard:            &guard.CostGuardProps{Stage: "example", KillSwitch: &guard.KillSwitchOptions{Code: testCode()}},
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
	t.Run("full cost guard watches the endpoint", func(t *testing.T) {
		g := s.CostGuard()
		if g == nil {
			t.Fatal("no cost guard on the sagemaker tier")
		}
		tpl.ResourceCountIs(jsii.String("AWS::Budgets::Budget"), jsii.Number(1))
		// Per request also the data the endpoint processes, the logs, the
		// access log and the response; per hour the guard's own cost and
		// the server's custom metrics.
		wantExpr := "(FILL(instances, 0) / 5 * 0.7364 + FILL(req, 0) * 0.000042 + FILL(req, 0) * 0.000188656009734 + 0.011095890411) * 730"
		if got := g.SpendExpression(); got != wantExpr {
			t.Errorf("spend expression %q, want %q", got, wantExpr)
		}
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"Threshold": 1500,
			"Metrics":   assertions.Match_ArrayWith(&[]any{match(map[string]any{"Expression": wantExpr})}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"MetricName": "Invocation5XXErrors", "Namespace": "AWS/SageMaker",
		})
		tpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Dashboard"), jsii.Number(1))
		if targets := killSwitchTargets(t, stack); !strings.Contains(targets, `"kind":"sagemaker-endpoint"`) || strings.Contains(targets, `"kind":"lambda"`) {
			t.Errorf("kill switch targets %s, want the sagemaker-endpoint only", targets)
		}
	})
	t.Run("kill switch IAM names only the endpoint", func(t *testing.T) {
		checkKillSwitchIAM(t, tpl, map[string]string{"sagemaker:": ":endpoint/" + strings.ToLower(s.SageMaker().EndpointName()),
			"sagemaker:DescribeEndpointConfig": "SageMakerConfig", "application-autoscaling:": "*"})
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
			t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(f), strings.Join(f, "\n"))
		}
	})
	t.Run("golden", func(t *testing.T) {
		cdktest.Golden(t, filepath.Join("testdata", "sagemaker-realtime.template.json"), cdktest.Template(t, stack))
	})
}

// TestConstructorFailures proves a bad service reports a *ValidationError
// that names the construct and the limit, as error annotations that fail
// synth, never as a panic.
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
			// Placement does not choose a tier the caller cannot build.
			"Bad/Inference: Profile: no tier can serve this model: lambda: needs 15360 MB (peak 12288 MB + 25%), over Lambda's 10240 MB; fargate: no container image given"},
		{"container tier forced without an image",
			InferenceServiceProps{Profile: bigModel, Tier: workload.TierFargate, LambdaCode: testCode()},
			"Bad/Inference: ContainerImage: required for tier fargate"},
		{"lambda tier without code",
			InferenceServiceProps{Profile: textModel, Traffic: workload.Traffic{RequestsPerMonth: 1e6}},
			"Bad/Inference: LambdaCode: required for tier lambda"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stack := awscdk.NewStack(cdktest.NewApp(t), jsii.String("Bad"), nil)
			s := NewInferenceService(stack, "Inference", &tc.props)
			cdktest.CheckReported(t, s, tc.want)
			if s.URL() != nil || s.Lambda() != nil || s.Fargate() != nil || s.SageMaker() != nil {
				t.Error("a service with problems built a tier")
			}
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
	fb := large.Fargate().KillSwitchTarget().BindKillSwitch(role)
	sb := gpu.SageMaker().KillSwitchTarget().BindKillSwitch(role)
	if fb.Kind != fargate.KindECSService || sb.Kind != sagemaker.KindSageMakerEndpoint {
		t.Errorf("kinds %q, %q", fb.Kind, sb.Kind)
	}
	tpl := assertions.Template_FromStack(stack, nil)
	// The kill switch must name the endpoint CloudFormation creates.
	tpl.HasResourceProperties(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{"EndpointName": *sb.Name})
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
	cdktest.AddNagChecks(stack)
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
	if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
		t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
	}
}

// checkKillSwitchIAM reads every statement of the kill switch role's
// policies and fails unless each action of a guarded service (by prefix)
// names only the resource whose logical id contains want (or "*", for
// Application Auto Scaling, which has no resource-level permissions), and
// no Lambda action is granted.
func checkKillSwitchIAM(t *testing.T, tpl assertions.Template, want map[string]string) {
	t.Helper()
	policies := *tpl.FindResources(jsii.String("AWS::IAM::Policy"), map[string]any{
		"Properties": match(map[string]any{"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String(".*KillSwitchRole.*"))}}}),
	})
	if len(policies) == 0 {
		t.Fatal("no policy on the kill switch role")
	}
	seen := map[string]bool{}
	for _, p := range policies {
		doc := (*p)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)
		for _, st := range doc["Statement"].([]any) {
			st := st.(map[string]any)
			var actions []string
			switch a := st["Action"].(type) {
			case string:
				actions = []string{a}
			case []any:
				for _, x := range a {
					actions = append(actions, x.(string))
				}
			}
			res := fmt.Sprint(st["Resource"])
			for _, a := range actions {
				if strings.HasPrefix(a, "lambda:") {
					t.Errorf("kill switch may %s on %s: a container tier has no function to guard", a, res)
				}
				// The longest prefix of want that the action has decides.
				best := ""
				for prefix := range want {
					if strings.HasPrefix(a, prefix) && len(prefix) > len(best) {
						best = prefix
					}
				}
				for prefix, id := range want {
					if prefix != best || best == "" {
						continue
					}
					seen[prefix] = true
					if id == "*" && res != "*" || id != "*" && (!strings.Contains(res, id) || strings.Contains(res, "*")) {
						t.Errorf("%s on %s, want only the resource %s", a, res, id)
					}
				}
			}
		}
	}
	for prefix := range want {
		if !seen[prefix] {
			t.Errorf("no %s* action granted", prefix)
		}
	}
}

// killSwitchTargets is the kill switch's COSTGUARD_TARGETS as synthesized
// (a Fn::Join of the names' tokens), printed as JSON.
func killSwitchTargets(t *testing.T, stack awscdk.Stack) string {
	t.Helper()
	for _, r := range cdktest.Template(t, stack)["Resources"].(map[string]any) {
		r := r.(map[string]any)
		if r["Type"] != "AWS::Lambda::Function" {
			continue
		}
		env, _ := r["Properties"].(map[string]any)["Environment"].(map[string]any)
		if vars, ok := env["Variables"].(map[string]any); ok && vars["COSTGUARD_TARGETS"] != nil {
			b, _ := json.Marshal(vars["COSTGUARD_TARGETS"])
			return strings.ReplaceAll(string(b), `\"`, `"`)
		}
	}
	t.Fatal("no kill switch function")
	return ""
}

// TestServerlessTierGuard: a serverless endpoint gets the full guard on
// its own metrics, but no kill switch (nothing to hold at a minimum), and
// synth says so.
func TestServerlessTierGuard(t *testing.T) {
	stack := newStack(t, "ServiceServerless")
	cdktest.AddNagChecks(stack)
	s := NewInferenceService(stack, "Inference", &InferenceServiceProps{
		Profile:          textModel,
		Traffic:          workload.Traffic{RequestsPerMonth: 1e6},
		MonthlyBudgetUSD: 50,
		Tier:             workload.TierSageMakerServerless,
		ContainerImage:   testImage,
		Guard:            &guard.CostGuardProps{Stage: "dev", KillSwitch: &guard.KillSwitchOptions{Code: testCode()}},
	})
	tpl := assertions.Template_FromStack(stack, nil)
	g := s.CostGuard()
	if g == nil || g.KillSwitchFunction() != nil {
		t.Fatalf("guard %v, kill switch %v: want the guard without a kill switch", g != nil, g != nil && g.KillSwitchFunction() != nil)
	}
	if e := g.SpendExpression(); !strings.HasPrefix(e, "((FILL(latency, 0) + FILL(setup, 0)) * ") {
		t.Errorf("spend expression %q, want model latency and setup time priced", e)
	}
	tpl.ResourceCountIs(jsii.String("AWS::Budgets::Budget"), jsii.Number(1))
	tpl.ResourceCountIs(jsii.String("AWS::SSM::Parameter"), jsii.Number(0))
	w := assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(".*nothing the kill switch can stop.*")))
	if len(*w) != 1 {
		t.Errorf("want one warning that the kill switch is left out, got %d", len(*w))
	}
	if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
		t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
	}
}
