package estimate

import (
	"math"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
)

func TestSampledTraces(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name     string
		requests float64
		want     float64
	}{
		// λ = 20,000 / 2,628,000 s: almost every second holds at most one
		// request, so the reservoir records nearly all of them.
		{"quiet: nearly every request", 20000, 2628000 * (1 - math.Exp(-20000.0/2628000) + 0.05*(20000.0/2628000-(1-math.Exp(-20000.0/2628000))))},
		// λ = 100/s: the reservoir's one a second, then 5 % of the other 99.
		{"busy: one a second and 5 % of the rest", 100 * 2628000, 2628000 * (1 + 0.05*99)},
		{"none", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := SampledTraces(tc.requests, p)
			if math.Abs(got-tc.want) > 1e-6*math.Max(tc.want, 1) {
				t.Errorf("SampledTraces(%g) = %.1f, want %.1f", tc.requests, got, tc.want)
			}
			if got > tc.requests {
				t.Errorf("more traces (%.0f) than requests (%.0f)", got, tc.requests)
			}
		})
	}
}

func TestEstimateExtras(t *testing.T) {
	p := pricing.Default()
	x := Extras{
		Requests: 5e6, CustomMetrics: 3, Traced: true,
		LogBytesPerRequest: 1200, LogRetentionMonths: 3,
		AccessLogBytesPerRequest: 480, AccessLogRetentionMonths: 3,
		ResponseBytes: 1024,
	}
	e, err := EstimateExtras(x, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := SampledTraces(5e6, p)
	logGB, accessGB, outGB := 5e6*1200/(1<<30), 5e6*480.0/(1<<30), 5e6*1024.0/(1<<30)
	want := map[string]float64{
		"CloudWatch custom metrics (model server EMF)": 0.90,
		"X-Ray traces recorded":                        pricing.RoundCents(rec * 5 / 1e6),
		"X-Ray traces retrieved or scanned":            pricing.RoundCents(rec * 0.5 / 1e6),
		"CloudWatch Logs ingestion":                    pricing.RoundCents(logGB * 0.50),
		"CloudWatch Logs storage":                      pricing.RoundCents(logGB * 3 * 0.03),
		"API Gateway access logs ingestion":            pricing.RoundCents(accessGB * 0.50),
		"API Gateway access logs storage":              pricing.RoundCents(accessGB * 3 * 0.03),
		"Data transfer out to the internet":            pricing.RoundCents(outGB * 0.09),
	}
	if len(e.Lines) != len(want) {
		t.Errorf("lines %+v, want %d", e.Lines, len(want))
	}
	for item, usd := range want {
		if l, ok := e.Line(item); !ok || l.USD != usd {
			t.Errorf("%s = %+v (present %v), want $%.2f", item, l, ok, usd)
		}
	}

	t.Run("free tiers are shared first come, first served", func(t *testing.T) {
		free := NewAllowance(p)
		first, _ := EstimateExtras(Extras{Requests: 60000, CustomMetrics: 8, Traced: true}, p, free)
		second, _ := EstimateExtras(Extras{Requests: 60000, CustomMetrics: 3, Traced: true}, p, free)
		if l, _ := first.Line("CloudWatch custom metrics (model server EMF)"); l.USD != 0 {
			t.Errorf("first 8 metrics = $%.2f, want free", l.USD)
		}
		// 2 of the 10 free metrics left for the second: 1 billed.
		if l, _ := second.Line("CloudWatch custom metrics (model server EMF)"); l.USD != 0.30 {
			t.Errorf("second 3 metrics = $%.2f, want $0.30", l.USD)
		}
		// 100,000 free traces: the first ~60,000 fit, the second pays for
		// what passes the 100,000.
		r := SampledTraces(60000, p)
		if l, _ := second.Line("X-Ray traces recorded"); l.USD != pricing.RoundCents((2*r-100000)*5/1e6) {
			t.Errorf("second's traces = $%.2f, want $%.2f", l.USD, pricing.RoundCents((2*r-100000)*5/1e6))
		}
	})

	t.Run("nothing set prices nothing", func(t *testing.T) {
		if e, err := EstimateExtras(Extras{Requests: 1e6}, p, nil); err != nil || len(e.Lines) != 0 || e.TotalUSD != 0 {
			t.Errorf("got %+v, %v", e, err)
		}
	})
}

func TestExtrasValidate(t *testing.T) {
	tests := []struct {
		name string
		x    Extras
		want string
	}{
		{"negative requests", Extras{Requests: -1}, "requests: -1 is not a non-negative number"},
		{"negative metrics", Extras{CustomMetrics: -2}, "custom-metrics: -2 is negative"},
		{"NaN response", Extras{ResponseBytes: math.NaN()}, "response-bytes: NaN is not a non-negative number"},
		{"negative access log", Extras{AccessLogBytesPerRequest: -5}, "access-log-bytes: -5 is not a non-negative number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.x.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestExtrasRatesAgreeWithEstimate checks the per-unit prices the cost
// guard's expressions use against EstimateExtras' month for the same items.
func TestExtrasRatesAgreeWithEstimate(t *testing.T) {
	p := pricing.Default()
	for _, x := range []Extras{
		{Requests: 5e6, CustomMetrics: 3, Traced: true, LogBytesPerRequest: 1200, LogRetentionMonths: 3, AccessLogBytesPerRequest: 479, AccessLogRetentionMonths: 3, ResponseBytes: 1024},
		{Requests: 20_000, CustomMetrics: 3, LogBytesPerRequest: 1200, LogRetentionMonths: 7.0 / 30},
		{Requests: 3e6, Traced: true, TraceReadsPerTrace: 2, ResponseBytes: 32768},
	} {
		e, err := EstimateExtras(x, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := x.Rates(p)
		got := r.FixedMonthlyUSD + x.Requests*r.PerRequestUSD
		if x.Traced {
			got += SampledTraces(x.Requests, p) * r.PerTraceUSD
		}
		if math.Abs(got-e.TotalUSD) > 0.005*float64(len(e.Lines)) {
			t.Errorf("%+v: rates give $%.4f a month, EstimateExtras $%.2f (%+v)", x, got, e.TotalUSD, e.Lines)
		}
	}
}
