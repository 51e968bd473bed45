package spend

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/metricmath"
)

// monthlyBill is the oracle: the cost model's own estimate
// (cost/estimate) of a month of steady traffic, free tier off (the guard
// watches spend, not the account's free allowance).
func monthlyBill(t *testing.T, p pricing.Prices, arch pricing.Arch, door workload.FrontDoor, memMiB, pc int, pcHours, requests, avgMs float64) float64 {
	t.Helper()
	if pc > 0 && pcHours == 0 {
		pcHours = pricing.HoursPerMonth
	}
	e, err := estimate.EstimateLambda(estimate.Lambda{
		Requests: requests, DurationMs: avgMs, MemoryMiB: memMiB, Arch: arch,
		Provisioned: pc, ProvisionedHours: pcHours, FrontDoor: estimate.FrontDoor(door),
	}, p)
	if err != nil {
		t.Fatal(err)
	}
	return e.TotalUSD
}

func TestProjectedMonthlyMatchesPriceTables(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name     string
		arch     workload.Architecture
		door     workload.FrontDoor
		memMiB   int
		pc       int
		pcHours  float64
		requests float64 // per month
		avgMs    float64
		period   time.Duration
		// overEstimate is set where tiers below the first make the bill
		// cheaper than the first-tier projection.
		overEstimate bool
	}{
		{name: "dev arm64 rest 1M", arch: "arm64", door: "rest", memMiB: 1024, requests: 1e6, avgMs: 120},
		{name: "x86 http 10M", arch: "x86_64", door: "http", memMiB: 2048, requests: 10e6, avgMs: 250},
		{name: "no api", arch: "arm64", door: "none", memMiB: 512, requests: 3e6, avgMs: 40},
		{name: "provisioned concurrency", arch: "arm64", door: "rest", memMiB: 1769, pc: 5, requests: 20e6, avgMs: 80},
		{name: "one-minute period", arch: "arm64", door: "rest", memMiB: 1024, requests: 2e6, avgMs: 100, period: time.Minute},
		{name: "business-hours provisioned concurrency", arch: "arm64", door: "http", memMiB: 2048, pc: 4, pcHours: 260, requests: 5e6, avgMs: 60},
		{name: "idle with provisioned concurrency", arch: "x86_64", door: "rest", memMiB: 1024, pc: 2},
		{name: "beyond the first tiers", arch: "arm64", door: "rest", memMiB: 10240, requests: 900e6, avgMs: 900, overEstimate: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rates, err := RatesFor(p, tt.arch, tt.door)
			if err != nil {
				t.Fatal(err)
			}
			m := Model{Rates: rates, MemoryMiB: tt.memMiB, ProvisionedConcurrency: tt.pc, ProvisionedHoursPerMonth: tt.pcHours, HasAPI: tt.door != workload.FrontDoorNone, Period: tt.period}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			// Steady traffic: each period holds an equal share of the month.
			periods := pricing.HoursPerMonth * m.PeriodsPerHour()
			inv := tt.requests / periods
			values := map[string]float64{IDInvocations: inv, IDDuration: inv * tt.avgMs}
			if m.HasAPI {
				values[IDRequests] = inv
			}
			if tt.requests == 0 {
				values = nil // no datapoints at all when idle
			}
			got, ok, err := metricmath.Eval(m.ProjectedMonthlyExpression(), values)
			if err != nil || !ok {
				t.Fatalf("Eval(%q) = %v, %v", m.ProjectedMonthlyExpression(), ok, err)
			}
			want := monthlyBill(t, p, pricing.Arch(tt.arch), tt.door, tt.memMiB, tt.pc, tt.pcHours, tt.requests, tt.avgMs)
			if tt.pc > 0 && tt.requests == 0 {
				// The allocation is read from the environments in use:
				// with no traffic at all it is not seen (documented).
				if got != 0 {
					t.Errorf("idle projection $%.4f, want 0 (no datapoint shows the allocation)", got)
				}
				return
			}
			if tt.pc > 0 {
				// Periods inside the provisioned window show one
				// environment in use of tt.pc allocated; the month's
				// projection is the time-weighted mean of the periods'.
				share := 1.0
				if tt.pcHours > 0 {
					share = tt.pcHours / pricing.HoursPerMonth
				}
				in := map[string]float64{IDProvisionedInUse: 1, IDProvisionedUtilization: 1 / float64(tt.pc)}
				for k, v := range values {
					in[k] = v
				}
				inside, _, err := metricmath.Eval(m.ProjectedMonthlyExpression(), in)
				if err != nil {
					t.Fatal(err)
				}
				got = share*inside + (1-share)*got
			}
			if tt.overEstimate {
				if got <= want {
					t.Errorf("projection $%.2f is not above the tiered bill $%.2f", got, want)
				}
				return
			}
			// The estimate rounds each of its few lines to the cent.
			if math.Abs(got-want) > 0.03 {
				t.Errorf("projection $%.4f, cost model says $%.2f", got, want)
			}
			perHour, _, _ := metricmath.Eval(m.USDPerHourExpression(), values)
			if direct, _, _ := metricmath.Eval(m.ProjectedMonthlyExpression(), values); math.Abs(perHour*pricing.HoursPerMonth-direct) > 1e-9*math.Max(1, direct) {
				t.Errorf("per hour $%g × 730 = $%g, projection $%g", perHour, perHour*pricing.HoursPerMonth, got)
			}
		})
	}
}

func TestExpressionShape(t *testing.T) {
	rates, err := RatesFor(pricing.Default(), "arm64", "rest")
	if err != nil {
		t.Fatal(err)
	}
	m := Model{Rates: rates, MemoryMiB: 1024, HasAPI: true}
	e := m.ProjectedMonthlyExpression()
	if strings.Contains(e, "e-") || strings.Contains(e, "e+") {
		t.Errorf("expression %q uses exponent notation", e)
	}
	ids, err := metricmath.IDs(e)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(ids, ","), strings.Join(m.MetricIDs(), ","); got != want {
		t.Errorf("expression ids %s, MetricIDs %s", got, want)
	}
	if !strings.Contains(e, "FILL(inv, 0) * 0.0000002 + ") {
		t.Errorf("expression %q does not carry the per-request price from the tables", e)
	}
}

func TestRatesFor(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name    string
		arch    workload.Architecture
		door    workload.FrontDoor
		wantAPI float64
		wantGBs float64
		wantErr string
	}{
		{"arm64 rest", "arm64", "rest", p.APIGateway.RESTPerRequest(), p.Lambda.DurationPerGBSecond(pricing.ARM64), ""},
		{"x86 http", "x86_64", "http", p.APIGateway.HTTPPerRequest(), p.Lambda.DurationPerGBSecond(pricing.X86_64), ""},
		{"none", "arm64", "none", 0, p.Lambda.DurationPerGBSecond(pricing.ARM64), ""},
		{"bad door", "arm64", "grpc", 0, 0, `front door "grpc"`},
		{"bad arch", "sparc", "rest", 0, 0, `architecture "sparc"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := RatesFor(p, tt.arch, tt.door)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.APIPerRequest != tt.wantAPI || r.LambdaPerGBSecond != tt.wantGBs {
				t.Errorf("rates = %+v", r)
			}
		})
	}
}

func TestModelValidate(t *testing.T) {
	good := Model{Rates: Rates{LambdaPerRequest: 1e-7}, MemoryMiB: 128}
	tests := []struct {
		name   string
		modify func(*Model)
		want   string
	}{
		{"memory", func(m *Model) { m.MemoryMiB = 0 }, "memoryMiB: 0 is not positive"},
		{"provisioned", func(m *Model) { m.ProvisionedConcurrency = -1 }, "provisionedConcurrency: -1 is negative"},
		{"provisioned hours", func(m *Model) { m.ProvisionedHoursPerMonth = 731 }, "provisionedHoursPerMonth: 731 is outside 0 to 730"},
		{"period seconds", func(m *Model) { m.Period = 90 * time.Second }, "period: 1m30s"},
		{"period not dividing an hour", func(m *Model) { m.Period = 7 * time.Minute }, "period: 7m0s"},
		{"negative price", func(m *Model) { m.Rates.APIPerRequest = -1 }, "rates apiPerRequest: -1"},
	}
	if err := good.Validate(); err != nil {
		t.Fatalf("good model: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good
			tt.modify(&m)
			err := m.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestInitAndAroundMatchTheEstimate prices INIT duration and what bills
// around the function (logs, access logs, traces, responses, custom
// metrics and a fixed amount) and compares the projection at steady
// traffic with cost/estimate's month for the same items.
func TestInitAndAroundMatchTheEstimate(t *testing.T) {
	p := pricing.Default()
	for _, tc := range []struct {
		name     string
		requests float64
		traced   bool
	}{
		{"quiet, untraced", 20_000, false},
		{"busy, traced", 5e6, true},
		{"very busy, traced", 300e6, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := estimate.Extras{Requests: tc.requests, CustomMetrics: 3, Traced: tc.traced, LogBytesPerRequest: 1200, LogRetentionMonths: 3,
				AccessLogBytesPerRequest: 479, AccessLogRetentionMonths: 3, ResponseBytes: 1024}
			rates, err := RatesFor(p, workload.ArchARM64, workload.FrontDoorREST)
			if err != nil {
				t.Fatal(err)
			}
			const fixed = 7.9 // the guard's own, say
			m := Model{Rates: rates, MemoryMiB: 1024, HasAPI: true, HasInit: true, Around: AroundFor(x, p, fixed, 0)}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			const avgMs, coldRate, initMs = 30, 0.01, 600
			periods := pricing.HoursPerMonth * m.PeriodsPerHour()
			inv := tc.requests / periods
			got, ok, err := metricmath.Eval(m.ProjectedMonthlyExpression(), map[string]float64{
				IDInvocations: inv, IDDuration: inv * avgMs, IDInit: inv * coldRate * initMs, IDRequests: inv})
			if err != nil || !ok {
				t.Fatalf("Eval(%q) = %v, %v", m.ProjectedMonthlyExpression(), ok, err)
			}
			l, err := estimate.EstimateLambda(estimate.Lambda{Requests: tc.requests, DurationMs: avgMs, MemoryMiB: 1024, Arch: pricing.ARM64,
				ColdStartRate: coldRate, InitDurationMs: initMs, FrontDoor: estimate.FrontDoorREST}, p)
			if err != nil {
				t.Fatal(err)
			}
			ex, err := estimate.EstimateExtras(x, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := l.TotalUSD + ex.TotalUSD + fixed
			if math.Abs(got-want) > 0.005*float64(len(l.Lines)+len(ex.Lines)) && math.Abs(got-want) > 1e-3*want {
				t.Errorf("projection $%.4f, estimate $%.2f (%+v %+v)", got, want, l.Lines, ex.Lines)
			}
		})
	}
}
