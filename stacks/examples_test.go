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

// TestExamples synthesizes the example stages as the app does (cdk-nag
// on) and checks that placement put each model where the issue expects.
func TestExamples(t *testing.T) {
	app := cdktest.NewApp(t)
	var built []awscdk.Stack
	for _, name := range []string{"example-large", "example-gpu"} {
		stacks, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: name})
		if err != nil {
			t.Fatal(err)
		}
		built = append(built, stacks[0].Stack)
	}
	AddChecks(app)
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
			path, tmpl := filepath.Join("testdata", name+".template.json"), cdktest.Template(t, stack)
			cdktest.Golden(t, path, tmpl)
			cdktest.GoldenAssets(t, path, tmpl)
		})
	}

	t.Run("image asset stages the model server and the model only", func(t *testing.T) {
		asm := app.Synth(nil)
		dirs, _ := filepath.Glob(filepath.Join(*asm.Directory(), "asset.*"))
		images := 0
		spam := filepath.Join(cdktest.ModuleRoot(t), DefaultModelDir)
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, "Dockerfile")); err != nil {
				continue
			}
			images++
			var got []string
			_ = filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
				if err == nil && !e.IsDir() {
					rel, _ := filepath.Rel(d, p)
					got = append(got, rel)
				}
				return err
			})
			// The native build: ONNX Runtime and the C++ runtime in lib/,
			// the model's offline-optimized graph and its record in model/.
			if want := "Dockerfile bootstrap lib/libgcc_s.so.1 lib/libonnxruntime.so.1 lib/libstdc++.so.6 model/manifest.json model/model.onnx model/model.ort-extended.onnx model/onnxruntime-optimized.json"; strings.Join(got, " ") != want {
				t.Errorf("%s holds %v, want %s", filepath.Base(d), got, want)
			}
			for _, f := range []string{"manifest.json", "model.onnx"} {
				a, _ := os.ReadFile(filepath.Join(d, "model", f))
				b, _ := os.ReadFile(filepath.Join(spam, f))
				if len(a) == 0 || string(a) != string(b) {
					t.Errorf("%s: model/%s is not %s's", filepath.Base(d), f, DefaultModelDir)
				}
			}
		}
		if images != 2 {
			t.Errorf("%d image assets staged, want 2 (the Fargate and SageMaker examples)", images)
		}
	})
}

// TestExampleInfeasibleOverride proves a bad example fails as a
// configuration error naming the limit, not as a panic with a stack trace.
func TestExampleInfeasibleOverride(t *testing.T) {
	_, err := BuildApp(cdktest.NewApp(t), AppOptions{Root: cdktest.ModuleRoot(t), Stage: "example-gpu", Code: stubCode,
		Overrides: map[string]string{"tier": "lambda"}})
	want := "costguard-example-gpu/Inference: Tier: lambda cannot serve this model: needs a GPU; Lambda has none"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}
