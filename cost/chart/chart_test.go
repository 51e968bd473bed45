package chart

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

var model = placement.Model{ArtifactMB: 40, PeakMemoryMB: 300, P99Ms: 120, AvgMs: 40, RequestsPerMonth: 1e6}

func TestCheckPath(t *testing.T) {
	for path, ok := range map[string]bool{"a.png": true, "b.SVG": true, "c.jpg": false, "d": false} {
		if err := CheckPath(path); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", path, err, ok)
		}
	}
}

// The drawn range contains the crossing, and the curves really cross in it.
func TestCurvesCross(t *testing.T) {
	p := pricing.Default()
	d, err := placement.Place(model, p)
	if err != nil {
		t.Fatal(err)
	}
	if d.BreakEven == nil {
		t.Fatal("no break-even")
	}
	lo, hi := Range(model, d)
	if lo >= d.BreakEven.RequestsPerMonth || hi <= d.BreakEven.RequestsPerMonth || lo >= model.RequestsPerMonth {
		t.Fatalf("range %g..%g misses the break-even %g or the traffic", lo, hi, d.BreakEven.RequestsPerMonth)
	}
	var payg, on Series
	for _, s := range Curves(model, d, p, lo, hi, 50) {
		switch s.Tier {
		case d.BreakEven.PayPerUse:
			payg = s
		case d.BreakEven.AlwaysOn:
			on = s
		}
	}
	if len(payg.USD) != 50 || len(on.USD) != 50 {
		t.Fatalf("curves have %d and %d points, want 50", len(payg.USD), len(on.USD))
	}
	if !(payg.USD[0] < on.USD[0] && payg.USD[49] > on.USD[49]) {
		t.Errorf("%s and %s do not cross between %g and %g", payg.Tier, on.Tier, lo, hi)
	}
	if payg.Tier != workload.TierLambda {
		t.Errorf("pay-per-use tier = %s, want lambda", payg.Tier)
	}
}

func TestPlanWritesFiles(t *testing.T) {
	p := pricing.Default()
	d, _ := placement.Place(model, p)
	dir := t.TempDir()
	for _, name := range []string{"c.png", "c.svg"} {
		path := filepath.Join(dir, name)
		if err := Plan(path, model, d, p); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if len(b) < 1000 || (filepath.Ext(name) == ".svg" && !bytes.Contains(b, []byte("lambda"))) {
			t.Errorf("%s: %d bytes, want a drawn chart with a legend", name, len(b))
		}
	}
	if err := Plan(filepath.Join(dir, "c.gif"), model, d, p); err == nil {
		t.Error("Plan wrote a .gif")
	}
}

func TestShortLabels(t *testing.T) {
	for v, want := range map[float64]string{
		0.01: "0.01", 1: "1", 100: "100", 1000: "1k", 1500: "1.5k", 1e5: "100k", 1e6: "1M", 23472857: "23.5M",
		1e9: "1B", 1e12: "1T", 1e15: "1000T",
	} {
		if got := short(v); got != want {
			t.Errorf("short(%g) = %q, want %q", v, got, want)
		}
	}
	for _, tk := range (numberTicks{}).Ticks(100, 1e8) {
		if strings.ContainsAny(tk.Label, "e+") {
			t.Errorf("tick label %q is not a plain number", tk.Label)
		}
	}
}
