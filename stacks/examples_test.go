package stacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// TestExamples synthesizes the example stacks as the app does (cdk-nag on)
// and checks that placement put each model where the issue expects.
func TestExamples(t *testing.T) {
	app := cdktest.NewApp(t)
	built, err := BuildExamples(app, cdktest.ModuleRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	AddChecks(app)
	if len(built) != len(Examples) {
		t.Fatalf("built %d stacks, want %d", len(built), len(Examples))
	}
	want := map[string]struct {
		tier     workload.Tier
		resource string
	}{
		"costguard-example-large": {workload.TierFargate, "AWS::ECS::Service"},
		"costguard-example-gpu":   {workload.TierSageMakerRealtime, "AWS::SageMaker::Endpoint"},
	}
	for _, stack := range built {
		name := *stack.StackName()
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected stack %s", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			tpl := assertions.Template_FromStack(stack, nil)
			tpl.HasResource(jsii.String(w.resource), map[string]any{
				"Metadata": map[string]any{workload.MetadataKey: assertions.Match_ObjectLike(&map[string]any{
					"tier": string(w.tier), "placement": assertions.Match_AnyValue(),
				})},
			})
			if f := cdktest.NagFindings(t, stack, "AwsSolutions-"); len(f) > 0 {
				t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
			}
			cdktest.Golden(t, filepath.Join("testdata", name+".template.json"), cdktest.Template(t, stack))
		})
	}

	t.Run("image asset stages only what the Dockerfile copies", func(t *testing.T) {
		asm := app.Synth(nil)
		dirs, _ := filepath.Glob(filepath.Join(*asm.Directory(), "asset.*"))
		images := 0
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, "lambda", "Dockerfile")); err != nil {
				continue
			}
			images++
			for _, must := range []string{"go.mod", "go.sum", "lambda/cmd/bootstrap", "lambda/models/spam/model.onnx"} {
				if _, err := os.Stat(filepath.Join(d, must)); err != nil {
					t.Errorf("%s: %s missing from the image context", filepath.Base(d), must)
				}
			}
			for _, mustNot := range []string{"node_modules", "cdk.json", "stacks", ".git", "lambda/e2e"} {
				if _, err := os.Stat(filepath.Join(d, mustNot)); err == nil {
					t.Errorf("%s: %s staged into the image context", filepath.Base(d), mustNot)
				}
			}
		}
		if images == 0 {
			t.Error("no image asset staged")
		}
	})
	_ = awscdk.App(app)
}

// TestExampleInfeasibleOverride proves a bad example fails as a
// configuration error naming the limit, not as a panic with a stack trace.
func TestExampleInfeasibleOverride(t *testing.T) {
	app := cdktest.NewApp(t)
	bad := Examples[1] // the GPU model
	bad.Tier = workload.TierLambda
	_, err := newExampleStack(app, bad, ModelServerImage(cdktest.ModuleRoot(t)))
	want := "costguard-example-gpu/Inference: Tier: lambda cannot serve this model: needs a GPU; Lambda has none"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}
