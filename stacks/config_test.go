package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
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
			want:      []string{"costguard-dev/Inference: MemoryMiB: 64 is outside the allowed 128 to 10240"},
		},
		{
			name: "timeout beyond the rest api", stage: "dev",
			overrides: map[string]string{"timeoutSeconds": "60"},
			want:      []string{"costguard-dev/Inference: Timeout: 60s exceeds the REST API's 29s integration timeout"},
		},
		{
			name: "provisioned above reserved", stage: "dev",
			overrides: map[string]string{"provisionedConcurrency": "10", "reservedConcurrency": "5"},
			want:      []string{"costguard-dev/Inference: ProvisionedConcurrency: 10 exceeds ReservedConcurrency 5"},
		},
		{
			name: "all problems together", stage: "staging",
			overrides: map[string]string{"memoryMiB": "64", "timeoutSeconds": "60", "throttleRateLimit": "-1"},
			want: []string{
				"costguard-staging/Inference: MemoryMiB: 64",
				"costguard-staging/Inference: Timeout: 60s",
				"costguard-staging/Inference: ThrottleRateLimit: -1",
			},
		},
		{
			name: "every stage", stage: "",
			overrides: map[string]string{"memoryMiB": "20000"},
			want:      []string{"costguard-dev/Inference: MemoryMiB: 20000", "costguard-staging/Inference: MemoryMiB: 20000", "costguard-prod/Inference: MemoryMiB: 20000"},
		},
		{
			name: "lambda stage keeps lambda's memory maximum", stage: "dev",
			overrides: map[string]string{"memoryMiB": "12288"},
			want:      []string{"costguard-dev/Inference: MemoryMiB: 12288 is outside the allowed 128 to 10240"},
		},
		{
			name: "explicit lambda tier keeps lambda's memory maximum", stage: "dev",
			overrides: map[string]string{"tier": "lambda", "memoryMiB": "12288"},
			want:      []string{"costguard-dev/Inference: MemoryMiB: 12288 is outside the allowed 128 to 10240"},
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
			name: "http api has no usage plan quota", stage: "dev",
			overrides: map[string]string{"frontDoor": "http", "monthlyQuota": "5"},
			want:      []string{"costguard-dev/Inference: MonthlyQuota: 5 is set but HTTP APIs have no usage plans"},
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

func TestHandlerCheck(t *testing.T) {
	root := cdktest.ModuleRoot(t)
	tests := []struct {
		name string
		h    Handler
		want string
	}{
		{"model artifact missing", Handler{Root: root, ModelDir: "stacks/testdata/asset"}, "model artifact: stacks/testdata/asset/manifest.json is missing or empty"},
		{"package missing", Handler{Root: root, Package: "./lambda/cmd/nope"}, "handler package: ./lambda/cmd/nope is not a directory"},
		{"architecture", Handler{Root: root, Architecture: "sparc"}, `architecture: "sparc" is not arm64 or x86_64`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.h.Check()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check() = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestSourceHash(t *testing.T) {
	root := cdktest.ModuleRoot(t)
	arm, err := Handler{Root: root}.SourceHash()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Handler{Root: root}.SourceHash()
	if err != nil {
		t.Fatal(err)
	}
	x86, err := Handler{Root: root, Architecture: "x86_64"}.SourceHash()
	if err != nil {
		t.Fatal(err)
	}
	if arm != again {
		t.Errorf("SourceHash() = %s then %s for the same source", arm, again)
	}
	if arm == x86 {
		t.Errorf("SourceHash() is %s for arm64 and x86_64, want different", arm)
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

// TestSourceHashTracksInputs proves the asset hash changes with what goes
// into the package (a file of an imported package, a model file, the
// architecture) and with nothing else (an unrelated package, a test file).
func TestSourceHashTracksInputs(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("lambda/cmd/bootstrap/main.go", "package main\n\nimport \"example.com/m/lambda/server\"\n\nfunc main() { server.Run() }\n")
	write("lambda/server/server.go", "package server\n\nfunc Run() {}\n")
	write("lambda/server/server_test.go", "package server\n")
	write("other/other.go", "package other\n")
	write("lambda/models/spam/manifest.json", "{}\n")
	write("lambda/models/spam/model.onnx", "onnx\n")

	hash := func() string {
		t.Helper()
		h, err := Handler{Root: root}.SourceHash()
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	base := hash()
	steps := []struct {
		name    string
		change  func()
		changes bool
	}{
		{"unrelated package", func() { write("other/other.go", "package other\n\nvar X = 1\n") }, false},
		{"test file", func() { write("lambda/server/server_test.go", "package server\n\nvar y = 2\n") }, false},
		{"imported package", func() { write("lambda/server/server.go", "package server\n\nfunc Run() { println() }\n") }, true},
		{"model file", func() { write("lambda/models/spam/model.onnx", "onnx v2\n") }, true},
	}
	prev := base
	for _, s := range steps {
		s.change()
		got := hash()
		if (got != prev) != s.changes {
			t.Errorf("after changing the %s, hash changed = %v, want %v", s.name, got != prev, s.changes)
		}
		prev = got
	}
	x86, err := Handler{Root: root, Architecture: workload.ArchX86_64}.SourceHash()
	if err != nil || x86 == prev {
		t.Errorf("x86_64 hash = %s (%v), want one different from arm64's %s", x86, err, prev)
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
