package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/costguard-ml/costguard/cmd/costguard/cli"
	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/report"
	"github.com/costguard-ml/costguard/cost/textfmt"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/stacks"
)

func TestMain(m *testing.M) {
	code := m.Run()
	cdktest.RemoveSharedDir()
	os.Exit(code)
}

// synth synthesizes the app as `cdk synth` builds it (bundling skipped):
// the stages BuildApp selects and, when examples is set, the tier
// examples. It returns the cloud assembly's directory, which lives until
// the test binary exits.
func synth(t *testing.T, o stacks.AppOptions) string {
	t.Helper()
	out := cdktest.SharedDir(t)
	app := cdktest.NewAppIn(t, out, nil)
	o.Root = cdktest.ModuleRoot(t)
	if _, err := stacks.BuildApp(app, o); err != nil {
		t.Fatalf("BuildApp() error = %v", err)
	}
	app.Synth(nil)
	return out
}

// The whole app (every stage and the examples), synthesized once per test
// binary: a synth takes seconds.
var (
	appOnce sync.Once
	appDir  string
)

func appAssembly(t *testing.T) string {
	t.Helper()
	appOnce.Do(func() {
		appDir = synth(t, stacks.AppOptions{})
	})
	if appDir == "" {
		t.Fatal("the shared synth failed (see the first test that ran)")
	}
	return appDir
}

func build(t *testing.T, path string) report.Report {
	t.Helper()
	s, err := assembly.Read(path)
	if err != nil {
		t.Fatalf("assembly.Read(%s) error = %v", path, err)
	}
	r, err := report.Build(s, report.Options{})
	if err != nil {
		t.Fatalf("report.Build() error = %v", err)
	}
	return r
}

func stackByName(t *testing.T, r report.Report, name string) report.Stack {
	t.Helper()
	for _, s := range r.Stacks {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no stack %s in the report (stacks: %v)", name, stackNames(r))
	return report.Stack{}
}

func stackNames(r report.Report) []string {
	var n []string
	for _, s := range r.Stacks {
		n = append(n, s.Name)
	}
	return n
}

// workloadResource returns the stack's only resource with a workload record.
func workloadResource(t *testing.T, s report.Stack) report.Resource {
	t.Helper()
	var found []report.Resource
	for _, r := range s.Resources {
		if r.Workload != nil {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("stack %s: %d resources with a workload record, want 1", s.Name, len(found))
	}
	return found[0]
}

func items(r report.Resource) []string {
	var out []string
	for _, l := range r.Lines {
		out = append(out, l.Item)
	}
	return out
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cli.Main(args, cli.Env{Stdout: &stdout, Stderr: &stderr}); code != 0 {
		t.Fatalf("costguard %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String()
}

// TestReportOfTheApp prices the synthesized app: every stage and example
// stack has a non-zero estimate with its tier's lines, the stage's budget,
// the placement reasons of the examples, and the stage guard's own cost and
// caps.
func TestReportOfTheApp(t *testing.T) {
	dir := appAssembly(t)
	r := build(t, dir)

	tiers := []struct {
		stack  string
		tier   workload.Tier
		budget float64
		lines  []string // line items the tier's resource must have
	}{
		{"costguard-example-large", workload.TierFargate, 0, []string{"Fargate vCPU (arm64)", "Fargate memory (arm64)", "API Gateway HTTP requests"}},
		{"costguard-example-gpu", workload.TierSageMakerRealtime, 0, []string{"SageMaker realtime instance (ml.g4dn.xlarge)", "API Gateway REST requests"}},
	}
	for _, name := range stacks.StageNames() {
		st, err := stacks.LookupStage(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Profile != nil {
			for i := range tiers {
				if tiers[i].stack == st.StackName() {
					tiers[i].budget = st.MonthlyBudgetUSD
				}
			}
			continue
		}
		tiers = append(tiers, struct {
			stack  string
			tier   workload.Tier
			budget float64
			lines  []string
		}{st.StackName(), workload.TierLambda, st.MonthlyBudgetUSD, []string{"Lambda compute (arm64)", "Lambda requests", "API Gateway REST requests"}})
	}
	if len(r.Stacks) != len(tiers) {
		t.Errorf("report has stacks %v, want %d", stackNames(r), len(tiers))
	}
	for _, tt := range tiers {
		t.Run(tt.stack, func(t *testing.T) {
			s := stackByName(t, r, tt.stack)
			if s.TotalUSD <= 0 {
				t.Errorf("TotalUSD = %v, want > 0", s.TotalUSD)
			}
			if tt.budget == 0 || s.BudgetUSD != tt.budget {
				t.Errorf("BudgetUSD = %v, want the stage's %v", s.BudgetUSD, tt.budget)
			}
			w := workloadResource(t, s)
			if w.Tier != string(tt.tier) {
				t.Errorf("workload tier = %q, want %q", w.Tier, tt.tier)
			}
			for _, item := range tt.lines {
				if !slices.Contains(items(w), item) {
					t.Errorf("%s lines %q lack %q", w.LogicalID, items(w), item)
				}
			}
			if w.TotalUSD <= 0 {
				t.Errorf("%s TotalUSD = %v, want > 0", w.LogicalID, w.TotalUSD)
			}
		})
	}

	t.Run("placement reasons of the examples", func(t *testing.T) {
		for stack, want := range map[string]struct {
			tier workload.Tier
			why  string // a reason that must be given
		}{
			"costguard-example-large": {workload.TierFargate, "not lambda: needs 15360 MB"},
			"costguard-example-gpu":   {workload.TierSageMakerRealtime, "not lambda: needs a GPU"},
		} {
			s := stackByName(t, r, stack)
			if len(s.Placements) != 1 {
				t.Fatalf("%s: %d placements, want 1", stack, len(s.Placements))
			}
			p := s.Placements[0]
			if p.Tier != want.tier || !strings.HasPrefix(p.Reasons[0], string(want.tier)+" is the cheapest") {
				t.Errorf("%s placement = %s %q, want %s first", stack, p.Tier, p.Reasons, want.tier)
			}
			if !slices.ContainsFunc(p.Reasons, func(r string) bool { return strings.HasPrefix(r, want.why) }) {
				t.Errorf("%s placement reasons %q lack %q", stack, p.Reasons, want.why)
			}
		}
	})

	t.Run("stage guards", func(t *testing.T) {
		for _, name := range stacks.StageNames() {
			st, _ := stacks.LookupStage(name)
			s := stackByName(t, r, st.StackName())
			g := s.Guard
			if g == nil {
				t.Errorf("%s: no cost guard record in the report", s.Name)
				continue
			}
			if g.Stage != name || g.KillSwitch != st.KillSwitch || g.MonthlyBudgetUSD != st.MonthlyBudgetUSD {
				t.Errorf("%s guard = stage %q, kill switch %v, budget %v; want %q, %v, %v", s.Name, g.Stage, g.KillSwitch, g.MonthlyBudgetUSD, name, st.KillSwitch, st.MonthlyBudgetUSD)
			}
			var own []string
			for _, l := range g.OwnCost {
				own = append(own, l.Item)
			}
			for _, prefix := range []string{"CloudWatch alarms (", "CloudWatch dashboard"} {
				if !slices.ContainsFunc(own, func(i string) bool { return strings.HasPrefix(i, prefix) }) {
					t.Errorf("%s guard's own cost %q lacks %q", s.Name, own, prefix)
				}
			}
			if st.KillSwitch && !slices.ContainsFunc(own, func(i string) bool { return strings.HasPrefix(i, "kill-switch Lambda") }) {
				t.Errorf("%s guard's own cost %q lacks the kill switch", s.Name, own)
			}
			if st.Profile != nil {
				// An example stage's container tier has no Lambda caps.
				if g.Caps != nil {
					t.Errorf("%s (a container tier) has budget-derived caps %+v", s.Name, g.Caps)
				}
				continue
			}
			if g.Caps == nil || g.Caps.MonthlyQuota <= 0 || g.Caps.RateLimit <= 0 || g.Caps.BurstLimit <= 0 || g.Caps.ReservedConcurrency <= 0 {
				t.Errorf("%s budget-derived caps = %+v, want every cap set", s.Name, g.Caps)
			}
			want := report.Caps{MonthlyQuota: int64(st.MonthlyQuota), RateLimit: st.ThrottleRateLimit, BurstLimit: st.ThrottleBurstLimit, ReservedConcurrency: st.ReservedConcurrency}
			if g.Applied == nil || !equalCaps(*g.Applied, want) {
				t.Errorf("%s caps in the template = %+v, want the stage's %+v", s.Name, g.Applied, want)
			}
		}
	})

	t.Run("a guard's own cost is what the report prices its resources at", func(t *testing.T) {
		n := 0
		for _, s := range r.Stacks {
			if s.Guard == nil {
				continue
			}
			n++
			// The resources under the guard (construct id CostGuard).
			var priced float64
			for _, res := range s.Resources {
				if strings.Contains(res.Path, "/CostGuard/") {
					priced += res.TotalUSD
				}
			}
			if priced == 0 || math.Abs(priced-s.Guard.OwnMonthlyUSD) > 0.005 {
				t.Errorf("%s: the guard records $%.2f of its own cost; the report prices its resources at $%.2f", s.Name, s.Guard.OwnMonthlyUSD, priced)
			}
		}
		if n < len(stacks.StageNames()) {
			t.Errorf("%d stacks with a guard record, want at least the %d stages", n, len(stacks.StageNames()))
		}
	})

	t.Run("the report reads the record guardmeta writes", func(t *testing.T) {
		stacksRead, err := assembly.Read(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, sr := range stacksRead {
			raw, ok := sr.Template.Metadata[guardmeta.MetadataKey]
			if !ok {
				continue
			}
			rec, err := guardmeta.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			g := stackByName(t, r, sr.Name).Guard
			if g == nil {
				t.Fatalf("%s: record under %s not in the report", sr.Name, guardmeta.MetadataKey)
			}
			// Both sides as JSON, the report's own additions dropped.
			cp := *g
			cp.Applied = nil
			if a, b := jsonOf(t, rec), jsonOf(t, cp); a != b {
				t.Errorf("%s: guardmeta record and report guard differ:\n%s\n%s", sr.Name, a, b)
			}
		}
	})

	t.Run("through the CLI", func(t *testing.T) {
		table := run(t, "report", dir)
		for _, want := range []string{
			"placement of ", "  - fargate is the cheapest feasible synchronous tier",
			"  - sagemaker-realtime is the cheapest feasible synchronous tier",
			"cost guard of stage dev (kill switch on)", "GUARD TOTAL", "CAP  ", "reserved concurrency",
			"costguard-example-large", "costguard-example-gpu", "costguard-prod",
		} {
			if !strings.Contains(table, want) {
				t.Errorf("costguard report lacks %q", want)
			}
		}
		md := run(t, "report", dir, "--format", "markdown")
		for _, want := range []string{"**Placement** of `", "- not lambda: needs a GPU", "**Cost guard of stage prod (kill switch off)", "| Cap | From budget | In template |"} {
			if !strings.Contains(md, want) {
				t.Errorf("costguard report --format markdown lacks %q", want)
			}
		}
		var js struct {
			Stacks []struct {
				Name       string
				Guard      *struct{ OwnMonthlyUSD float64 }
				Placements []struct{ Tier string }
			}
		}
		if err := json.Unmarshal([]byte(run(t, "report", dir, "--json")), &js); err != nil {
			t.Fatal(err)
		}
		for _, s := range js.Stacks {
			example := strings.Contains(s.Name, "-example-")
			if example && len(s.Placements) == 0 {
				t.Errorf("--json: %s has no placements", s.Name)
			}
			if !example && (s.Guard == nil || s.Guard.OwnMonthlyUSD <= 0) {
				t.Errorf("--json: %s has no guard cost", s.Name)
			}
		}
	})
}

func equalCaps(a, b report.Caps) bool {
	return a.MonthlyQuota == b.MonthlyQuota && a.RateLimit == b.RateLimit && a.BurstLimit == b.BurstLimit && a.ReservedConcurrency == b.ReservedConcurrency
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(m) // map keys sorted
	return string(b)
}

// TestDiffOfAMemoryChange is `make diff` after changing a stage's memory
// (-c memoryMiB=2048): the dev stage synthesized again with the override
// against the default app, through `costguard diff` on the two templates.
func TestDiffOfAMemoryChange(t *testing.T) {
	dev, err := stacks.LookupStage("dev")
	if err != nil {
		t.Fatal(err)
	}
	const newMiB = 2048
	if dev.MemoryMiB == newMiB {
		t.Fatalf("dev already has %d MiB; pick another size", newMiB)
	}
	oldDir := appAssembly(t)
	newDir := synth(t, stacks.AppOptions{Stage: "dev", Overrides: map[string]string{"memoryMiB": strconv.Itoa(newMiB)}})
	oldTpl := filepath.Join(oldDir, dev.StackName()+".template.json")
	newTpl := filepath.Join(newDir, dev.StackName()+".template.json")

	d := report.Compare(build(t, oldTpl), build(t, newTpl))
	if len(d.Stacks) != 1 || d.Stacks[0].Status != report.Changed {
		t.Fatalf("diff stacks = %+v, want one changed stack", d.Stacks)
	}
	sd := d.Stacks[0]
	if d.DeltaUSD <= 0 || sd.DeltaUSD != d.DeltaUSD {
		t.Errorf("delta total %v, stack %v: want the same increase", d.DeltaUSD, sd.DeltaUSD)
	}
	change := fmt.Sprintf("lambda.memoryMiB: %d → %d", dev.MemoryMiB, newMiB)
	var fn *report.ResourceDiff
	for i, r := range sd.Resources {
		if slices.Contains(r.Changes, change) {
			fn = &sd.Resources[i]
		}
	}
	if fn == nil {
		t.Fatalf("no resource diff says %q: %+v", change, sd.Resources)
	}
	if fn.Type != "AWS::Lambda::Function" || fn.DeltaUSD <= 0 || math.Abs(fn.NewUSD-fn.OldUSD-fn.DeltaUSD) > 0.005 {
		t.Errorf("function diff = %+v, want a Lambda function costing more", *fn)
	}
	var sum float64
	for _, r := range sd.Resources {
		sum += r.DeltaUSD
	}
	if math.Abs(sum-sd.DeltaUSD) > 0.005 {
		t.Errorf("resource deltas sum to %.2f, stack delta %.2f", sum, sd.DeltaUSD)
	}

	money := textfmt.Money
	table := run(t, "diff", oldTpl, newTpl)
	for _, want := range []string{fn.LogicalID + " (Lambda::Function)", change, "TOTAL", "+" + money(d.DeltaUSD)} {
		if !strings.Contains(table, want) {
			t.Errorf("costguard diff lacks %q:\n%s", want, table)
		}
	}
	md := run(t, "diff", oldTpl, newTpl, "--format", "markdown")
	for _, want := range []string{"## costguard cost diff", "(**+" + money(d.DeltaUSD) + "**", "`" + fn.LogicalID + "`", change} {
		if !strings.Contains(md, want) {
			t.Errorf("costguard diff --format markdown lacks %q:\n%s", want, md)
		}
	}
	t.Logf("dev at %d → %d MiB: %s → %s a month\n%s", dev.MemoryMiB, newMiB, money(d.OldUSD), money(d.NewUSD), table)
}
