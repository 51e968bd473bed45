package usermodule

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/testmodel"

	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/internal/testproc"
)

// mainGo is the user's CDK app: public API only. Its model directory is
// ./model, its own.
const mainGo = `// Command mymodel deploys my model behind a cost-guarded inference API.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("MyModel"), nil)

	code, err := inference.ModelServerCode("model", workload.ArchX86_64)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tier := workload.TierLambda
	if t := os.Getenv("MYMODEL_TIER"); t != "" {
		tier = workload.Tier(t)
	}
	svc := service.NewInferenceService(stack, "Inference", &service.InferenceServiceProps{
		Profile:          service.Profile{PeakMemoryMB: 300, P99LatencyMs: 200},
		Traffic:          workload.Traffic{RequestsPerMonth: 100_000, AvgDurationMs: 20},
		MonthlyBudgetUSD: 20,
		Tier:             tier,
		Architecture:     workload.ArchX86_64,
		LambdaCode:       code,
		Guard: &guard.CostGuardProps{
			Stage:            "dev",
			EmailSubscribers: []string{"me@example.com"},
			// The kill switch's code is built by import path in this module.
			KillSwitch: &guard.KillSwitchOptions{Architecture: workload.ArchX86_64},
		},
	})
	// Bad props are an error, one line per problem, not a panic.
	if err := svc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	app.Synth(nil)
}
`

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func copyFile(t *testing.T, src, dst string, edit func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		b = edit(b)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOutsideModule is the acceptance test: a module outside the
// repository deploys its own model with the guard through the public API,
// proven under the emulator.
func TestOutsideModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a CDK app in a new module and runs the CDK CLI")
	}
	checkout := cdktest.ModuleRoot(t)
	cdk := filepath.Join(checkout, "node_modules", ".bin", "cdk")
	if _, err := os.Stat(cdk); err != nil {
		t.Fatalf("the pinned CDK CLI is missing (%v): run make deps", err)
	}
	testproc.RIE(t) // fail early, before the slow part

	// GIVEN a module of its own, outside the repository, that requires
	// costguard by a replace of this checkout, with its own model.
	mod := t.TempDir()
	if strings.HasPrefix(mod, checkout+string(os.PathSeparator)) {
		t.Fatalf("%s is inside the checkout", mod)
	}
	files := map[string]string{
		"go.mod": "module example.com/mymodel\n\ngo 1.26.0\n\nrequire github.com/costguard-ml/costguard v0.0.0\n\n" +
			"replace github.com/costguard-ml/costguard => " + checkout + "\n",
		"main.go": mainGo,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, filepath.Join(checkout, "go.sum"), filepath.Join(mod, "go.sum"), nil)
	// cdk.json: this checkout's feature flags, the app run by `go run .`.
	copyFile(t, filepath.Join(checkout, "cdk.json"), filepath.Join(mod, "cdk.json"), func(b []byte) []byte {
		var c map[string]any
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		c["app"] = "go run ."
		delete(c, "watch")
		out, _ := json.MarshalIndent(c, "", "  ")
		return out
	})
	spam := filepath.Join(checkout, "lambda", "models", "spam")
	copyFile(t, filepath.Join(spam, "model.onnx"), filepath.Join(mod, "model", "model.onnx"), nil)
	copyFile(t, filepath.Join(spam, "manifest.json"), filepath.Join(mod, "model", "manifest.json"), func(b []byte) []byte {
		return []byte(strings.Replace(string(b), `"name": "spam"`, `"name": "my-model"`, 1))
	})
	// Offline: every module is in the cache after make deps.
	offline := []string{"GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off"}
	run(t, mod, offline, "go", "mod", "tidy")

	// WHEN the real CDK CLI synthesizes it (bundling its assets).
	outdir := filepath.Join(mod, "cdk.out")
	env := []string{"GOPROXY=off", "GOWORK=off", "CDK_DISABLE_VERSION_CHECK=1", "CDK_CLI_NOTICES=false", "AWS_EC2_METADATA_DISABLED=true",
		"PATH=" + filepath.Dir(cdk) + string(os.PathListSeparator) + os.Getenv("PATH")}
	run(t, mod, env, cdk, "synth", "--no-notices", "--quiet", "--output", outdir)

	// THEN the template holds the model server, the guard and its kill
	// switch, and the model server's asset answers with the module's model.
	raw, err := os.ReadFile(filepath.Join(outdir, "MyModel.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"AWS::Budgets::Budget", "kill switch", "AWS::ApiGateway::RestApi", `"x86_64"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("template lacks %s", want)
		}
	}
	asset := testproc.ModelServerAsset(t, outdir, "MyModel")
	for _, f := range []string{"bootstrap", "model/manifest.json", "model/model.onnx"} {
		if _, err := os.Stat(filepath.Join(asset, f)); err != nil {
			t.Errorf("asset lacks %s", f)
		}
	}
	event, err := os.ReadFile(filepath.Join(checkout, "lambda", "server", "testdata", "events", "rest_v1_predict.json"))
	if err != nil {
		t.Fatal(err)
	}
	url, p := testproc.StartRIE(t, filepath.Join(asset, "bootstrap"))
	status, body := testproc.Invoke(t, url, event)
	testmodel.CheckUserModelAnswer(t, status, body, p.Out.String())

	// AND a rule the caller breaks (a container tier without its image) is
	// one line naming the construct, the field and the tier, with no Go
	// stack trace, and synth fails.
	cmd := exec.Command(cdk, "synth", "--no-notices", "--quiet", "--output", filepath.Join(mod, "cdk.bad"))
	cmd.Dir = mod
	cmd.Env = append(append(os.Environ(), env...), "MYMODEL_TIER=sagemaker-serverless")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("synth with a missing image succeeded:\n%s", out)
	}
	const want = "MyModel/Inference: ContainerImage: required for tier sagemaker-serverless"
	if !strings.Contains(string(out), want) {
		t.Errorf("synth output lacks %q:\n%s", want, out)
	}
	for _, trace := range []string{"goroutine ", "panic:", ".go:"} {
		if strings.Contains(string(out), trace) {
			t.Errorf("synth output has a Go stack trace (%q):\n%s", trace, out)
		}
	}
}
