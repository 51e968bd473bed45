package stacks

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/testmodel"

	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/lambda/model"
)

// measuredModel is the spam model with a profile.json as `costguard model
// check` writes it.
func measuredModel(t *testing.T, p model.Profile) string {
	t.Helper()
	dir := testmodel.Copy(t, cdktest.ModuleRoot(t), "spam", nil)
	testmodel.WriteProfile(t, dir, p)
	return dir
}

// TestModelProfileSizesTheStage: a model measured by `costguard model check`
// right-sizes the function's timeout from its own p99 and load time, and a
// memory setting below its measured peak is refused in one line.
func TestModelProfileSizesTheStage(t *testing.T) {
	t.Run("timeout from the measured latency", func(t *testing.T) {
		// dev: headroom 2, REST front door (29 s): (3,000 + 1,500) ms × 2 = 9 s.
		dir := measuredModel(t, model.Profile{Model: "spam", P99Ms: 3000, LoadMs: 1500, PeakMemoryMiB: 120,
			Timings: []model.Timing{{BatchSize: 1, P50Ms: 900, P99Ms: 3000}}})
		app := cdktest.NewApp(t)
		stacks, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev", Overrides: map[string]string{"modelDir": dir}, Code: stubCode})
		if err != nil {
			t.Fatal(err)
		}
		tpl := cdktest.Template(t, stacks[0].Stack)
		timeouts := 0
		for _, r := range tpl["Resources"].(map[string]any) {
			res := r.(map[string]any)
			props, _ := res["Properties"].(map[string]any)
			if res["Type"] == "AWS::Lambda::Function" && props["Runtime"] == "provided.al2023" && props["Timeout"] != nil && strings.Contains(toJSON(t, props["Environment"]), "MODEL_DIR") {
				timeouts++
				if props["Timeout"] != float64(9) {
					t.Errorf("model server timeout %v s, want 9 (measured p99 3 s + load 1.5 s, × 2)", props["Timeout"])
				}
			}
		}
		if timeouts != 1 {
			t.Fatalf("found %d model server functions, want 1", timeouts)
		}
	})
	t.Run("memory below the measured peak", func(t *testing.T) {
		dir := measuredModel(t, model.Profile{Model: "spam", P99Ms: 20, LoadMs: 100, PeakMemoryMiB: 600})
		app := cdktest.NewApp(t)
		_, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev", Overrides: map[string]string{"modelDir": dir}, Code: stubCode})
		want := "stage dev: memoryMiB: 512 is below the model's measured peak of 600 MiB + 25 % (profile.json): set at least 750"
		if err == nil || err.Error() != want {
			t.Fatalf("BuildApp() error = %v, want %q", err, want)
		}
	})
	t.Run("a profile that is not a measurement", func(t *testing.T) {
		dir := measuredModel(t, model.Profile{Model: "spam", P99Ms: 0})
		app := cdktest.NewApp(t)
		_, err := BuildApp(app, AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev", Overrides: map[string]string{"modelDir": dir}, Code: stubCode})
		if err == nil || !strings.Contains(err.Error(), "are not a measurement (re-run costguard model check)") {
			t.Fatalf("BuildApp() error = %v", err)
		}
	})
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
