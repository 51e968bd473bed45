package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// cdk runs the pinned CDK CLI from the module root, offline.
func cdk(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := cdktest.ModuleRoot(t)
	bin := filepath.Join(root, "node_modules", ".bin", "cdk")
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("the pinned CDK CLI is not installed (%v); run make deps", err)
	}
	cmd := exec.Command(bin, append([]string{"--no-notices"}, args...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Join(root, "node_modules", ".bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CDK_DISABLE_VERSION_CHECK=1", "CDK_CLI_NOTICES=false", "AWS_EC2_METADATA_DISABLED=true")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// TestSynthRejectsBadConfiguration runs `cdk synth` with bad context
// overrides: it must fail with one line per problem naming the field, and
// no Go or jsii stack trace.
func TestSynthRejectsBadConfiguration(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CDK CLI")
	}
	out, err := cdk(t, "synth", "--quiet", "--output", t.TempDir(),
		"-c", "stage=dev", "-c", "memoryMiB=64", "-c", "timeoutSeconds=60",
		"-c", "provisionedConcurrency=10", "-c", "reservedConcurrency=5", "-c", "memorymib=2048")
	if err == nil {
		t.Fatalf("cdk synth succeeded, want a failure:\n%s", out)
	}
	for _, want := range []string{
		"costguard: invalid configuration:\n",
		"-c memorymib: not a context key of this app (did you mean memoryMiB?",
		"\ncostguard-dev/Inference/Default: MemoryMiB: 64 is outside the allowed 128 to 10240\n",
		"\ncostguard-dev/Inference/Default: Timeout: 60s exceeds the REST API's 29s integration timeout",
		"\ncostguard-dev/Inference/Default: ProvisionedConcurrency: 10 exceeds ReservedConcurrency 5",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, trace := range []string{"goroutine ", "panic:", "jsii", ".go:"} {
		if strings.Contains(out, trace) {
			t.Errorf("output holds a stack trace (%q):\n%s", trace, out)
		}
	}
}

// TestSynthOneStage runs the real `cdk synth -c stage=dev`: the handler is
// built locally, cdk-nag passes, and the cloud assembly holds the stack.
func TestSynthOneStage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CDK CLI and builds the model server")
	}
	outdir := t.TempDir()
	out, err := cdk(t, "synth", "--quiet", "--output", outdir, "-c", "stage=dev")
	if err != nil {
		t.Fatalf("cdk synth: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(outdir, "costguard-dev.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	// The model server is the function that carries the workload record.
	var key string
	for _, r := range tmpl["Resources"].(map[string]any) {
		res := r.(map[string]any)
		md, _ := res["Metadata"].(map[string]any)
		if res["Type"] == "AWS::Lambda::Function" && md[workload.MetadataKey] != nil {
			key, _ = res["Properties"].(map[string]any)["Code"].(map[string]any)["S3Key"].(string)
		}
	}
	hash := strings.TrimSuffix(key, ".zip")
	if hash == "" || hash == key {
		t.Fatalf("model server S3Key = %q, want HASH.zip", key)
	}
	for _, f := range []string{"bootstrap", "model/model.onnx", "model/manifest.json"} {
		if _, err := os.Stat(filepath.Join(outdir, "asset."+hash, f)); err != nil {
			t.Errorf("asset lacks %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(outdir, "costguard-prod.template.json")); err == nil {
		t.Error("-c stage=dev synthesized the prod stack too")
	}
}

// TestTierSwitch runs the one-line stage switch through the real CLI: a
// table of `cdk synth` runs with a `-c tier=` override. Moving dev to
// Fargate must synthesize a stack that keeps the stage's budget and kill
// switch, and `cdk diff` against the committed golden must show the
// template change; a 12 GB model, too big for Lambda, must synthesize on
// Fargate with a 12 GB task; moving it to SageMaker serverless with a 10 GB
// model must fail with one clean line naming the 6,144 MB limit.
func TestTierSwitch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CDK CLI")
	}
	tests := []struct {
		name    string
		context []string
		fail    bool
		want    []string // in the synth output (failure) or the diff (success)
		// taskMemory, if set, is the Fargate task's memory (MiB) the
		// stage's MemoryMiB maps to (success).
		taskMemory string
	}{
		{
			name:    "dev on fargate keeps budget and kill switch",
			context: []string{"-c", "stage=dev", "-c", "tier=fargate"},
			want: []string{"[+] AWS::ECS::Service", "[+] AWS::ElasticLoadBalancingV2::LoadBalancer", "[-] AWS::Lambda::Function Inference/Default/Function",
				"[+] AWS::CloudWatch::Alarm CostGuard/FargateCpuHighAlarm", "[~] AWS::Lambda::Function CostGuard/KillSwitch"},
		},
		{
			name:       "12 GB model too big for lambda synthesizes on fargate",
			context:    []string{"-c", "stage=dev", "-c", "tier=fargate", "-c", "memoryMiB=12288"},
			want:       []string{"[+] AWS::ECS::Service", "[-] AWS::Lambda::Function Inference/Default/Function"},
			taskMemory: "12288",
		},
		{
			name:    "10 GB model on sagemaker serverless fails naming the limit",
			context: []string{"-c", "stage=dev", "-c", "tier=sagemaker-serverless", "-c", "memoryMiB=10240"},
			fail:    true,
			want: []string{"costguard: invalid configuration:\ncostguard-dev/Inference: Tier: sagemaker-serverless cannot serve this model: " +
				"needs 10240 MB, over SageMaker serverless's 6144 MB\n"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outdir := t.TempDir()
			out, err := cdk(t, append([]string{"synth", "--quiet", "--output", outdir}, tc.context...)...)
			if tc.fail {
				if err == nil {
					t.Fatalf("cdk synth succeeded, want a failure:\n%s", out)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("output lacks %q:\n%s", w, out)
					}
				}
				for _, trace := range []string{"goroutine ", "panic:", "jsii", ".go:"} {
					if strings.Contains(out, trace) {
						t.Errorf("output holds a stack trace (%q):\n%s", trace, out)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("cdk synth: %v\n%s", err, out)
			}
			raw, err := os.ReadFile(filepath.Join(outdir, "costguard-dev.template.json"))
			if err != nil {
				t.Fatal(err)
			}
			var tmpl struct {
				Resources map[string]struct {
					Type       string
					Properties struct{ Memory any }
				}
			}
			if err := json.Unmarshal(raw, &tmpl); err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, r := range tmpl.Resources {
				count[r.Type]++
				if r.Type == "AWS::ECS::TaskDefinition" && tc.taskMemory != "" && r.Properties.Memory != tc.taskMemory {
					t.Errorf("task memory %v, want %s", r.Properties.Memory, tc.taskMemory)
				}
			}
			for _, typ := range []string{"AWS::Budgets::Budget", "AWS::SSM::Parameter", "AWS::ECS::Service"} {
				if count[typ] != 1 {
					t.Errorf("%d %s in the fargate stage, want 1", count[typ], typ)
				}
			}
			root := cdktest.ModuleRoot(t)
			diff, _ := cdk(t, "diff", "--app", outdir, "--template", filepath.Join(root, "stacks", "testdata", "costguard-dev.template.json"), "costguard-dev")
			for _, w := range tc.want {
				if !strings.Contains(diff, w) {
					t.Errorf("cdk diff lacks %q:\n%s", w, diff)
				}
			}
			// The guard keeps its logical ids: the budget and the kill
			// switch's state are updated in place, never replaced.
			for _, gone := range []string{"[-] AWS::Budgets::Budget", "[-] AWS::SSM::Parameter", "[-] AWS::SNS::Topic CostGuard/Topic"} {
				if strings.Contains(diff, gone) {
					t.Errorf("cdk diff removes the guard's resource (%q):\n%s", gone, diff)
				}
			}
		})
	}
}
