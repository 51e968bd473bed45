package stacks

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/internal/cdktest"
)

func TestBuildAppReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name      string
		stage     string
		overrides map[string]string
		want      []string
	}{
		{
			name: "memory below lambda's minimum", stage: "dev",
			overrides: map[string]string{"memoryMiB": "64"},
			want:      []string{"costguard-dev/Inference/Default: MemoryMiB: 64 is outside the allowed 128 to 10240"},
		},
		{
			name: "timeout beyond the rest api", stage: "dev",
			overrides: map[string]string{"timeoutSeconds": "60"},
			want:      []string{"costguard-dev/Inference/Default: Timeout: 60s exceeds the REST API's 29s integration timeout"},
		},
		{
			name: "provisioned above reserved", stage: "dev",
			overrides: map[string]string{"provisionedConcurrency": "10", "reservedConcurrency": "5"},
			want:      []string{"costguard-dev/Inference/Default: ProvisionedConcurrency: 10 exceeds ReservedConcurrency 5"},
		},
		{
			name: "all problems together", stage: "staging",
			overrides: map[string]string{"memoryMiB": "64", "timeoutSeconds": "60", "throttleRateLimit": "-1"},
			want: []string{
				"costguard-staging/Inference/Default: MemoryMiB: 64",
				"costguard-staging/Inference/Default: Timeout: 60s",
				"costguard-staging/Inference/Default: ThrottleRateLimit: -1",
			},
		},
		{
			name: "every stage", stage: "",
			overrides: map[string]string{"memoryMiB": "20000"},
			want:      []string{"costguard-dev/Inference/Default: MemoryMiB: 20000", "costguard-staging/Inference/Default: MemoryMiB: 20000", "costguard-prod/Inference/Default: MemoryMiB: 20000"},
		},
		{
			name: "lambda stage keeps lambda's memory maximum", stage: "dev",
			overrides: map[string]string{"memoryMiB": "12288"},
			want:      []string{"costguard-dev/Inference/Default: MemoryMiB: 12288 is outside the allowed 128 to 10240"},
		},
		{
			name: "explicit lambda tier keeps lambda's memory maximum", stage: "dev",
			overrides: map[string]string{"tier": "lambda", "memoryMiB": "12288"},
			want:      []string{"costguard-dev/Inference/Default: MemoryMiB: 12288 is outside the allowed 128 to 10240"},
		},
		{
			name: "sagemaker serverless names its own memory limit", stage: "dev",
			overrides: map[string]string{"tier": "sagemaker-serverless", "memoryMiB": "10240"},
			want:      []string{"costguard-dev/Inference: Tier: sagemaker-serverless cannot serve this model: needs 10240 MB, over SageMaker serverless's 6144 MB"},
		},
		{
			name: "unparsable override", stage: "dev",
			overrides: map[string]string{"memoryMiB": "lots"},
			want:      []string{"stage dev: -c memoryMiB=lots: MemoryMiB: not an integer (want 128 to 10240)"},
		},
		{
			name: "retention cloudwatch does not offer", stage: "dev",
			overrides: map[string]string{"logRetentionDays": "13"},
			want:      []string{"stage dev: LogRetentionDays: 13 is not a retention CloudWatch Logs offers"},
		},
		{
			name: "unknown stage", stage: "qa",
			want: []string{`-c stage=qa: stage: "qa" is not one of dev, staging, prod`},
		},
		{
			name: "architecture", stage: "dev",
			overrides: map[string]string{"architecture": "sparc"},
			want:      []string{"stage dev: -c architecture=sparc: Architecture: not an architecture (want arm64 or x86_64)"},
		},
		{
			name: "model directory missing", stage: "dev",
			overrides: map[string]string{"modelDir": "/nonexistent/model"},
			want:      []string{`stage dev: modelDir: "/nonexistent/model" is not a directory (want one that holds manifest.json and the ONNX file it names)`},
		},
		{
			name: "model directory missing on a container tier", stage: "dev",
			overrides: map[string]string{"modelDir": "/nonexistent/model", "tier": "fargate"},
			want:      []string{`stage dev: modelDir: "/nonexistent/model" is not a directory`},
		},
		{
			name: "model file does not match its manifest", stage: "staging",
			overrides: map[string]string{"modelDir": "stacks/testdata/brokenmodel"},
			want:      []string{`stacks/testdata/brokenmodel": model.onnx has sha256 `},
		},
		{
			name: "http api has no usage plan quota", stage: "dev",
			overrides: map[string]string{"frontDoor": "http", "monthlyQuota": "5"},
			want:      []string{"costguard-dev/Inference/Default: MonthlyQuota: 5 is set but HTTP APIs have no usage plans"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := cdktest.NewApp(t)
			_, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: tc.stage, Overrides: tc.overrides, Code: stubCode})
			if err == nil {
				t.Fatal("BuildApp() succeeded, want an error")
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("BuildApp() error =\n%s\nwant a line containing %q", msg, w)
				}
			}
			if n, want := strings.Count(msg, "\n")+1, len(tc.want); n != want {
				t.Errorf("BuildApp() error has %d lines, want %d (one per problem):\n%s", n, want, msg)
			}
		})
	}
}

func TestStagesAreValid(t *testing.T) {
	for _, s := range Stages {
		t.Run(s.Name, func(t *testing.T) {
			if err := s.Validate(); err != nil {
				t.Error(err)
			}
			if s.Name == "dev" && (s.Account != "" || !s.KillSwitch || s.ProvisionedConcurrency != 0) {
				t.Error("dev must be environment-agnostic, with the kill switch on and no provisioned concurrency")
			}
			if s.Name == "prod" && (s.Account == "" || s.Region == "") {
				t.Error("prod must name its account and region")
			}
		})
	}
}

func TestBuildAppAppliesOverrides(t *testing.T) {
	app := cdktest.NewApp(t)
	built, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: "staging", Code: stubCode, Overrides: map[string]string{
		"frontDoor": "http", "memoryMiB": "2048", "architecture": "x86_64", "logRetentionDays": "14", "tracing": "false",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(built) != 1 || built[0].Stage.Name != "staging" {
		t.Fatalf("built %d stacks, want staging only", len(built))
	}
	tmpl := assertions.Template_FromStack(built[0].Stack, nil)
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Api"), jsii.Number(1))
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::RestApi"), jsii.Number(0))
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"MemorySize": 2048, "Architectures": []any{"x86_64"}, "TracingConfig": assertions.Match_Absent(),
	})
	tmpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 14})
	if _, ok := (*tmpl.ToJSON())["Outputs"].(map[string]any)["ApiKeyId"]; ok {
		t.Error("an HTTP API stack outputs an API key id")
	}
}
