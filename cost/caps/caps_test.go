package caps

import (
	"math"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/spend"
)

func model(t *testing.T, arch, door string, memMiB, pc int) spend.Model {
	t.Helper()
	r, err := spend.RatesFor(pricing.Default(), workloadArch(arch), workloadDoor(door))
	if err != nil {
		t.Fatal(err)
	}
	return spend.Model{Rates: r, MemoryMiB: memMiB, ProvisionedConcurrency: pc, HasAPI: door != "none"}
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name string
		in   func(t *testing.T) Inputs
		want Caps
	}{
		{
			// $0.0000002 + 100 ms × 1 GB × $0.0000133334 + $0.0000035
			// = $0.00000503334 a request; $10 buys 1,986,752 requests;
			// spread over 72 h that is 7.66 req/s.
			name: "dev arm64 rest 10 dollars",
			in: func(t *testing.T) Inputs {
				return Inputs{MonthlyBudgetUSD: 10, Model: model(t, "arm64", "rest", 1024, 0), AvgDurationMs: 100, P99DurationMs: 400}
			},
			want: Caps{CostPerRequestUSD: 0.00000503334, MonthlyQuota: 1986752, RateLimit: 7.66, BurstLimit: 16, ReservedConcurrency: 4},
		},
		{
			// Provisioned: 2 × 1 GB × 2,628,000 s × $0.0000041667 = $21.90
			// fixed; $78.10 left at $0.000003200004 a request (x86, 120 ms
			// at 1 GB, HTTP $1/M) buys 24,406,164 requests: 282.47 req/s
			// over 24 h.
			name: "provisioned concurrency comes off the top",
			in: func(t *testing.T) Inputs {
				return Inputs{MonthlyBudgetUSD: 100, Model: model(t, "x86_64", "http", 1024, 2), AvgDurationMs: 120, ExhaustHours: 24, BurstFactor: 3}
			},
			want: Caps{CostPerRequestUSD: 0.000003200004, FixedMonthlyUSD: 21.9001752, MonthlyQuota: 24406164, RateLimit: 282.47, BurstLimit: 848, ReservedConcurrency: 34},
		},
		{
			// INIT, logs and fixed costs count: 150 ms of duration a
			// request (100 + 10 % × 500 ms of INIT) at 1 GB is
			// $0.00000200001, + $0.0000002 + $0.0000035 + $0.000001 of logs
			// = $0.00000670001; $10 of the $20 is fixed, so $10 buys
			// 1,492,535 requests: 5.75 req/s over 72 h.
			name: "init, logs and fixed costs come off",
			in: func(t *testing.T) Inputs {
				m := model(t, "arm64", "rest", 1024, 0)
				m.Around = spend.Around{FixedMonthlyUSD: 10, PerRequestUSD: 0.000001}
				return Inputs{MonthlyBudgetUSD: 20, Model: m, AvgDurationMs: 100, ColdStartRate: 0.1, InitDurationMs: 500}
			},
			want: Caps{CostPerRequestUSD: 0.00000670001, FixedMonthlyUSD: 10, MonthlyQuota: 1492535, RateLimit: 5.75, BurstLimit: 12, ReservedConcurrency: 1},
		},
		{
			name: "tiny budget keeps a floor of one",
			in: func(t *testing.T) Inputs {
				return Inputs{MonthlyBudgetUSD: 0.01, Model: model(t, "arm64", "rest", 128, 0), AvgDurationMs: 10}
			},
			want: Caps{CostPerRequestUSD: 0.00000371666675, MonthlyQuota: 2690, RateLimit: 0.01, BurstLimit: 1, ReservedConcurrency: 1},
		},
		{
			name: "reserved at least provisioned",
			in: func(t *testing.T) Inputs {
				// 3 × 0.125 GB × 2,628,000 s × $0.0000033334 = $3.29 fixed;
				// Little's law at 12.73 req/s × 10 ms asks for 1.
				return Inputs{MonthlyBudgetUSD: 4, Model: model(t, "arm64", "none", 128, 3), AvgDurationMs: 10}
			},
			want: Caps{CostPerRequestUSD: 0.00000021666675, FixedMonthlyUSD: 3.2850657, MonthlyQuota: 3299695, RateLimit: 12.73, BurstLimit: 26, ReservedConcurrency: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compute(tt.in(t))
			if err != nil {
				t.Fatal(err)
			}
			near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1e-9, math.Abs(b)) }
			if !near(got.CostPerRequestUSD, tt.want.CostPerRequestUSD) || !near(got.FixedMonthlyUSD, tt.want.FixedMonthlyUSD) ||
				got.MonthlyQuota != tt.want.MonthlyQuota || got.RateLimit != tt.want.RateLimit ||
				got.BurstLimit != tt.want.BurstLimit || got.ReservedConcurrency != tt.want.ReservedConcurrency {
				t.Errorf("Compute() =\n %+v\nwant\n %+v", got, tt.want)
			}
			// The rule itself: at the throttle limit the budget lasts at
			// least ExhaustHours.
			in := tt.in(t)
			hours := in.ExhaustHours
			if hours == 0 {
				hours = DefaultExhaustHours
			}
			burn := got.RateLimit*3600*got.CostPerRequestUSD + got.FixedMonthlyUSD/pricing.HoursPerMonth
			if got.RateLimit > 0.01 && in.MonthlyBudgetUSD/burn < hours {
				t.Errorf("budget lasts %.1f h at the rate limit, want at least %.0f h", in.MonthlyBudgetUSD/burn, hours)
			}
		})
	}
}

func TestComputeWarnings(t *testing.T) {
	in := Inputs{MonthlyBudgetUSD: 10, Model: model(t, "arm64", "rest", 1024, 0), AvgDurationMs: 100, ExpectedRequestsPerMonth: 50e6}
	c, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 2 || !strings.Contains(c.Warnings[0], "exceed the quota of 1986752") || !strings.Contains(c.Warnings[1], "19.03 req/s exceeds the rate limit 7.66") {
		t.Errorf("warnings = %q", c.Warnings)
	}
	in.ExpectedRequestsPerMonth = 1e6
	if c, _ := Compute(in); len(c.Warnings) != 0 {
		t.Errorf("warnings for traffic inside the caps: %q", c.Warnings)
	}
}

func TestComputeErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Inputs)
		want   []string
	}{
		{"budget zero", func(in *Inputs) { in.MonthlyBudgetUSD = 0 }, []string{"monthlyBudgetUSD: 0 is not a positive amount"}},
		{"budget NaN", func(in *Inputs) { in.MonthlyBudgetUSD = math.NaN() }, []string{"monthlyBudgetUSD: NaN"}},
		{"duration", func(in *Inputs) { in.AvgDurationMs = 0 }, []string{"avgDurationMs: 0 is not positive"}},
		{"p99 below average", func(in *Inputs) { in.P99DurationMs = 50 }, []string{"p99DurationMs: 50 is below avgDurationMs 100"}},
		{"exhaust hours", func(in *Inputs) { in.ExhaustHours = 1000 }, []string{"exhaustHours: 1000 is outside 0 to 730"}},
		{"burst factor", func(in *Inputs) { in.BurstFactor = 0.5 }, []string{"burstFactor: 0.5 is below 1"}},
		{"model", func(in *Inputs) { in.Model.MemoryMiB = 0 }, []string{"model: memoryMiB: 0"}},
		{"cold-start rate", func(in *Inputs) { in.ColdStartRate = 1.5 }, []string{"coldStartRate: 1.5 is outside 0 to 1"}},
		{"init duration", func(in *Inputs) { in.InitDurationMs = -1 }, []string{"initDurationMs: -1 is negative"}},
		{"fixed costs over budget", func(in *Inputs) { in.Model.Around.FixedMonthlyUSD = 12 },
			[]string{"monthlyBudgetUSD: 10 does not cover the fixed $12.00 a month"}},
		{"all together", func(in *Inputs) { in.MonthlyBudgetUSD = -1; in.AvgDurationMs = -1; in.BurstFactor = 0.1 },
			[]string{"monthlyBudgetUSD: -1", "avgDurationMs: -1", "burstFactor: 0.1"}},
		{"provisioned over budget", func(in *Inputs) { in.MonthlyBudgetUSD = 5; in.Model.ProvisionedConcurrency = 10 },
			[]string{"monthlyBudgetUSD: 5 does not cover the fixed $87.60 a month"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Inputs{MonthlyBudgetUSD: 10, Model: model(t, "arm64", "rest", 1024, 0), AvgDurationMs: 100}
			tt.modify(&in)
			_, err := Compute(in)
			if err == nil {
				t.Fatal("Compute() succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestOverride(t *testing.T) {
	c := Caps{CostPerRequestUSD: 1, MonthlyQuota: 10, RateLimit: 2, BurstLimit: 4, ReservedConcurrency: 3}
	got := c.Override(Caps{RateLimit: 5, ReservedConcurrency: 7})
	want := Caps{CostPerRequestUSD: 1, MonthlyQuota: 10, RateLimit: 5, BurstLimit: 4, ReservedConcurrency: 7}
	if got.MonthlyQuota != want.MonthlyQuota || got.RateLimit != want.RateLimit || got.BurstLimit != want.BurstLimit || got.ReservedConcurrency != want.ReservedConcurrency || got.CostPerRequestUSD != 1 {
		t.Errorf("Override = %+v, want %+v", got, want)
	}
	if c.RateLimit != 2 {
		t.Error("Override changed its receiver")
	}
}
