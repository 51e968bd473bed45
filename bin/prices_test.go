package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cmd/costguard/cli"
	"github.com/costguard-ml/costguard/cost/report"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// A stage deployed in a region without built-in prices (Seoul) is priced
// end to end from AWS Price List files: `cdk synth -c region=… -c
// pricesFile=…` builds its guard with them, and `costguard report
// --prices` prices the assembly in that region with the same files. Without
// the files, synth fails in one line that says how to import them.
func TestSynthRegionFromPriceListFiles(t *testing.T) {
	root := cdktest.ModuleRoot(t)
	abs, err := filepath.Glob(filepath.Join(root, "cost", "pricing", "testdata", "pricelist", "*.json"))
	if err != nil || len(abs) < 2 {
		t.Fatalf("price list fixtures: %v", err)
	}
	var rel []string
	for _, f := range abs {
		r, _ := filepath.Rel(root, f)
		rel = append(rel, r)
	}

	out, err := cdk(t, "synth", "--quiet", "--output", t.TempDir(), "-c", "stage=dev", "-c", "region=ap-northeast-2")
	if err == nil || !strings.Contains(out, `stage dev: Region: "ap-northeast-2" has no built-in prices`) || !strings.Contains(out, "-c pricesFile=FILE[,FILE]") {
		t.Fatalf("synth without prices: err %v, want the one-line import hint:\n%s", err, out)
	}

	outdir := t.TempDir()
	if out, err := cdk(t, "synth", "--quiet", "--output", outdir, "-c", "stage=dev", "-c", "region=ap-northeast-2",
		"-c", "pricesFile="+strings.Join(rel, ",")); err != nil {
		t.Fatalf("synth with prices: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main([]string{"report", outdir, "--prices", strings.Join(abs, ","), "--json"}, cli.Env{Stdout: &stdout, Stderr: &stderr}); code != 0 {
		t.Fatalf("costguard report: exit %d: %s", code, stderr.String())
	}
	var r report.Report
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Stacks) != 1 || r.Stacks[0].Region != "ap-northeast-2" || !(r.Stacks[0].TotalUSD > 0) {
		t.Fatalf("report stacks %+v, want costguard-dev priced in ap-northeast-2", r.Stacks)
	}
	// The guard priced the stage with the imported prices too: its own
	// cost is not the one the same stage gets with us-east-1's built-in
	// prices (its committed golden). At the fixtures' higher prices dev's
	// fixed costs pass its $10 budget, so its record says there are no
	// caps, and why.
	g := r.Stacks[0].Guard
	if g == nil || !(g.OwnMonthlyUSD > 0) {
		t.Fatalf("report has no guard: %+v", g)
	}
	if g.Caps != nil || !strings.Contains(g.NoCaps, "does not cover the fixed") {
		t.Errorf("caps %+v, noCaps %q: want none, because the imported prices put the fixed costs above the budget", g.Caps, g.NoCaps)
	}
	stdout.Reset()
	if code := cli.Main([]string{"report", filepath.Join(root, "stacks", "testdata", "costguard-dev.template.json"), "--json"}, cli.Env{Stdout: &stdout, Stderr: &stderr}); code != 0 {
		t.Fatalf("costguard report of the golden: exit %d: %s", code, stderr.String())
	}
	var golden report.Report
	if err := json.Unmarshal(stdout.Bytes(), &golden); err != nil {
		t.Fatal(err)
	}
	if gg := golden.Stacks[0].Guard; gg == nil || gg.Caps == nil || gg.OwnMonthlyUSD == g.OwnMonthlyUSD {
		t.Errorf("the guard's own cost in ap-northeast-2 ($%.2f) is us-east-1's (%+v): the imported prices did not reach the guard", g.OwnMonthlyUSD, gg)
	}
}
