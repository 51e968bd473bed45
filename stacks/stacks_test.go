package stacks

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	cdktest.RemoveSharedDir()
	os.Exit(code)
}

// The app as `cdk synth` builds it (every stage, cdk-nag applied), built
// once and shared: a synth takes seconds.
var (
	appOnce   sync.Once
	appStacks map[string]*CostguardStack
	appErr    error
)

func builtStacks(t *testing.T) map[string]*CostguardStack {
	t.Helper()
	appOnce.Do(func() {
		app := cdktest.NewAppIn(t, cdktest.SharedDir(t), nil)
		var built []*CostguardStack
		built, appErr = BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t)})
		AddChecks(app)
		appStacks = map[string]*CostguardStack{}
		for _, s := range built {
			appStacks[s.Stage.Name] = s
		}
	})
	if appErr != nil {
		t.Fatalf("BuildApp() error = %v", appErr)
	}
	return appStacks
}

func TestGolden(t *testing.T) {
	for name, s := range builtStacks(t) {
		t.Run(name, func(t *testing.T) {
			path, tmpl := filepath.Join("testdata", s.Stage.StackName()+".template.json"), cdktest.Template(t, s.Stack)
			cdktest.Golden(t, path, tmpl)
			cdktest.GoldenAssets(t, path, tmpl)
		})
	}
}

func TestNoUnsuppressedNagFindings(t *testing.T) {
	for name, s := range builtStacks(t) {
		t.Run(name, func(t *testing.T) {
			// The app has AwsSolutionsChecks applied: nothing may be left unsuppressed.
			for _, f := range cdktest.NagFindings(t, s.Stack, "AwsSolutions-") {
				t.Errorf("unsuppressed cdk-nag finding: %s", f)
			}
		})
	}
}

func TestStageStacks(t *testing.T) {
	for name, s := range builtStacks(t) {
		if s.Inference == nil {
			continue // an example stage placed on a container tier: TestExamples
		}
		t.Run(name, func(t *testing.T) {
			tmpl := assertions.Template_FromStack(s.Stack, nil)
			st := s.Stage

			// The function: arm64 provided.al2023, the stage's memory, a
			// timeout inside the REST API's 29 s, a reserved-concurrency cap.
			// The model server is the function carrying the workload record
			// (the cost guard's kill switch is another function).
			fns := tmpl.FindResources(jsii.String("AWS::Lambda::Function"), map[string]any{
				"Metadata": assertions.Match_ObjectLike(&map[string]any{workload.MetadataKey: assertions.Match_AnyValue()}),
			})
			if n := len(*fns); n != 1 {
				t.Fatalf("%d model-server functions, want 1", n)
			}
			for _, r := range *fns {
				p := (*r)["Properties"].(map[string]any)
				if got := p["Runtime"]; got != "provided.al2023" {
					t.Errorf("Runtime = %v, want provided.al2023", got)
				}
				if got := p["Architectures"]; !slices.Equal(toStrings(got), []string{"arm64"}) {
					t.Errorf("Architectures = %v, want [arm64]", got)
				}
				if got := p["MemorySize"]; got != float64(st.MemoryMiB) {
					t.Errorf("MemorySize = %v, want %d", got, st.MemoryMiB)
				}
				if got, ok := p["Timeout"].(float64); !ok || got < 1 || got > limits.RESTIntegrationTimeout.Seconds() {
					t.Errorf("Timeout = %v, want 1 to %v", p["Timeout"], limits.RESTIntegrationTimeout.Seconds())
				}
				if got := p["ReservedConcurrentExecutions"]; got != float64(st.ReservedConcurrency) {
					t.Errorf("ReservedConcurrentExecutions = %v, want %d", got, st.ReservedConcurrency)
				}
				md := (*r)["Metadata"].(map[string]any)[workload.MetadataKey]
				w, err := workload.Parse(md)
				if err != nil {
					t.Fatalf("workload metadata: %v", err)
				}
				if w.Tier != workload.TierLambda || w.FrontDoor != workload.FrontDoorREST || w.Traffic != st.Traffic || w.Lambda.MemoryMiB != st.MemoryMiB {
					t.Errorf("workload metadata = %+v, want the stage's lambda/rest configuration", w)
				}
			}

			// Finite retention on every log group.
			tmpl.AllResourcesProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": st.LogRetentionDays})
			// Stage throttling.
			tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), map[string]any{
				"MethodSettings": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
					"ThrottlingRateLimit":  st.ThrottleRateLimit,
					"ThrottlingBurstLimit": st.ThrottleBurstLimit,
				})}),
			})
			tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::UsagePlan"), map[string]any{
				"Quota": map[string]any{"Limit": st.MonthlyQuota, "Period": "MONTH"},
			})
			// Tags on every taggable resource.
			for _, typ := range []string{"AWS::Lambda::Function", "AWS::IAM::Role", "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage", "AWS::Logs::LogGroup"} {
				tmpl.AllResourcesProperties(jsii.String(typ), map[string]any{"Tags": assertions.Match_ArrayWith(&[]any{
					map[string]any{"Key": "application", "Value": Application},
					map[string]any{"Key": "cost-center", "Value": st.CostCenter},
					map[string]any{"Key": "stage", "Value": st.Name},
				})})
			}
			// Outputs.
			outputs := *tmpl.FindOutputs(jsii.String("*"), nil)
			if got := slices.Sorted(mapsKeys(outputs)); !slices.Equal(got, []string{"AliasArn", "ApiKeyId", "ApiUrl", "FunctionName"}) {
				t.Errorf("outputs = %v, want AliasArn, ApiKeyId, ApiUrl, FunctionName", got)
			}
			// Template metadata for the cost report.
			raw := (*tmpl.ToJSON())["Metadata"].(map[string]any)[workload.StackMetadataKey]
			meta, err := workload.ParseStack(raw)
			if err != nil {
				t.Fatalf("stack metadata: %v", err)
			}
			if meta.Stage != st.Name || meta.Region != st.Region || meta.MonthlyBudgetUSD != st.MonthlyBudgetUSD {
				t.Errorf("stack metadata = %+v, want stage %s, region %q, budget %g", meta, st.Name, st.Region, st.MonthlyBudgetUSD)
			}
		})
	}
}

func TestStageEnvironments(t *testing.T) {
	stacks := builtStacks(t)
	tests := []struct {
		stage, account, region string
	}{
		{"dev", "${Token[AWS.AccountId", "${Token[AWS.Region"},
		{"prod", "111111111111", "us-east-1"},
	}
	for _, tc := range tests {
		t.Run(tc.stage, func(t *testing.T) {
			s := stacks[tc.stage]
			if got := *s.Account(); !strings.HasPrefix(got, tc.account) {
				t.Errorf("Account = %s, want %s", got, tc.account)
			}
			if got := *s.Region(); !strings.HasPrefix(got, tc.region) {
				t.Errorf("Region = %s, want %s", got, tc.region)
			}
		})
	}
}

func TestProdProvisionedConcurrencyIsScheduled(t *testing.T) {
	tmpl := assertions.Template_FromStack(builtStacks(t)["prod"].Stack, nil)
	tmpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
		"ScalableDimension": "lambda:function:ProvisionedConcurrency",
		"ScheduledActions": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Schedule": "cron(0 8 ? * MON,TUE,WED,THU,FRI *)",
			"Timezone": "America/New_York",
		})}),
	})
	tmpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), jsii.Number(1))
	dev := assertions.Template_FromStack(builtStacks(t)["dev"].Stack, nil)
	dev.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), jsii.Number(0))
	dev.HasResourceProperties(jsii.String("AWS::Lambda::Alias"), map[string]any{
		"Name":                         "live",
		"ProvisionedConcurrencyConfig": assertions.Match_Absent(),
	})
}

// TestSynthIsDeterministic builds the app a second time in a new app and
// compares every template, asset hashes included, with the first.
func TestSynthIsDeterministic(t *testing.T) {
	first := builtStacks(t)
	app := cdktest.NewApp(t)
	second, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	AddChecks(app)
	for _, s := range second {
		t.Run(s.Stage.Name, func(t *testing.T) {
			a := cdktest.Template(t, first[s.Stage.Name].Stack)
			b := cdktest.Template(t, s.Stack)
			if ha, hb := cdktest.AssetHashes(a), cdktest.AssetHashes(b); !slices.Equal(ha, hb) || len(ha) == 0 {
				t.Errorf("asset hashes differ or are missing: %v, then %v", ha, hb)
			}
			if ja, jb := cdktest.MarshalTemplate(a), cdktest.MarshalTemplate(b); ja != jb {
				t.Errorf("templates differ:\n%s", cdktest.Diff(ja, jb))
			}
		})
	}
}

// TestBundledSynthIsReproducible synthesizes the dev stack twice with
// bundling on (a real local Go build into two cloud assemblies) and compares
// the templates and the bundled files byte for byte.
func TestBundledSynthIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the model server twice")
	}
	var templates []string
	var dirs [][]string // per run, one bundle per asset hash, sorted by hash
	for i := range 2 {
		outdir := t.TempDir()
		ctx := cdktest.Context(t)
		ctx[cdktest.BundlingStacksContext] = []any{"**"}
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: &outdir})
		built, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev"})
		if err != nil {
			t.Fatal(err)
		}
		tmpl := cdktest.Template(t, built[0].Stack)
		templates = append(templates, cdktest.MarshalTemplate(tmpl))
		hashes := cdktest.AssetHashes(tmpl)
		// The model server's package and the cost guard's kill switch.
		if len(hashes) != 2 {
			t.Fatalf("run %d: asset hashes %v, want two", i, hashes)
		}
		var run []string
		for _, h := range hashes {
			run = append(run, filepath.Join(outdir, "asset."+h))
		}
		dirs = append(dirs, run)
	}
	if templates[0] != templates[1] {
		t.Errorf("templates differ:\n%s", cdktest.Diff(templates[0], templates[1]))
	}
	models := 0
	for j := range dirs[0] {
		a, b := readTree(t, dirs[0][j]), readTree(t, dirs[1][j])
		if a["model/model.onnx"] != nil {
			models++
			if a["bootstrap"] == nil || a["model/manifest.json"] == nil {
				t.Fatalf("bundle %s holds %v, want bootstrap and model/", dirs[0][j], slices.Sorted(mapsKeys(a)))
			}
		}
		if a["bootstrap"] == nil {
			t.Fatalf("bundle %s holds %v, want bootstrap", dirs[0][j], slices.Sorted(mapsKeys(a)))
		}
		for name, content := range a {
			if !bytes.Equal(content, b[name]) {
				t.Errorf("%s differs between two builds of the same source", name)
			}
		}
		if len(a) != len(b) {
			t.Errorf("bundles hold %d and %d files", len(a), len(b))
		}
		if fi, err := os.Stat(filepath.Join(dirs[0][j], "bootstrap")); err != nil || fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("bootstrap is not executable: %v %v", fi.Mode(), err)
		}
	}
	if models != 1 {
		t.Errorf("%d bundles hold the model, want 1", models)
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func toStrings(v any) []string {
	s, _ := v.([]any)
	out := make([]string, len(s))
	for i, x := range s {
		out[i], _ = x.(string)
	}
	return out
}

func stubCode(workload.Architecture) (awslambda.Code, error) {
	return awslambda.Code_FromAsset(jsii.String(filepath.Join("testdata", "asset")), nil), nil
}
