package placement

import (
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

var (
	tinyText = Model{ArtifactMB: 40, PeakMemoryMB: 300, P99Ms: 120, AvgMs: 40, PayloadBytes: 2048, RequestsPerMonth: 1e6}
	bigModel = Model{ArtifactMB: 12000, PeakMemoryMB: 12288, P99Ms: 2000, AvgMs: 900, PayloadBytes: 4096, RequestsPerMonth: 1e6}
	gpuModel = Model{ArtifactMB: 3000, PeakMemoryMB: 6000, P99Ms: 800, AvgMs: 300, GPU: true, PayloadBytes: 100 << 10, RequestsPerMonth: 2e6}
	batchJob = Model{ArtifactMB: 500, PeakMemoryMB: 3000, P99Ms: 20 * 60 * 1000, AvgMs: 18 * 60 * 1000, PayloadBytes: 50 << 20, RequestsPerMonth: 300}
)

func withAPI(m Model, fd estimate.FrontDoor) Model {
	m.FrontDoor = fd
	return m
}

func TestPlaceScenarios(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name        string
		model       Model
		want        workload.Tier
		notFeasible map[workload.Tier]string // tier → a limit it must report
	}{
		{name: "tiny text model goes to lambda", model: tinyText, want: workload.TierLambda},
		{name: "tiny model without a front door still goes to lambda", model: withAPI(tinyText, estimate.FrontDoorNone), want: workload.TierLambda},
		{name: "batch job without a front door goes async, cheaper than fargate", model: withAPI(batchJob, estimate.FrontDoorNone), want: workload.TierSageMakerAsync},
		{name: "12 GB model is not lambda", model: bigModel, want: workload.TierFargate, notFeasible: map[workload.Tier]string{
			workload.TierLambda:              "needs 15360 MB (peak 12288 MB + 25%), over Lambda's 10240 MB",
			workload.TierSageMakerServerless: "over SageMaker serverless's 6144 MB",
		}},
		{name: "gpu model goes to sagemaker real-time", model: gpuModel, want: workload.TierSageMakerRealtime, notFeasible: map[workload.Tier]string{
			workload.TierLambda:              "needs a GPU; Lambda has none",
			workload.TierFargate:             "needs a GPU; Fargate has none",
			workload.TierSageMakerServerless: "needs a GPU; SageMaker serverless has none",
		}},
		{name: "20-minute batch job is not lambda but async", model: batchJob, want: workload.TierSageMakerAsync, notFeasible: map[workload.Tier]string{
			workload.TierLambda:              "p99 1200 s exceeds Lambda's 900 s maximum timeout",
			workload.TierFargate:             "p99 1200 s exceeds the REST API's 29 s integration timeout",
			workload.TierSageMakerServerless: "p99 1200 s exceeds SageMaker serverless's 60 s",
			workload.TierSageMakerRealtime:   "p99 1200 s exceeds the real-time endpoint's 60 s",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Place(tc.model, p)
			if err != nil {
				t.Fatal(err)
			}
			if d.Tier != tc.want {
				t.Errorf("tier = %s, want %s; reasons %q", d.Tier, tc.want, d.Reasons)
			}
			for tier, limit := range tc.notFeasible {
				o, _ := d.Option(tier)
				if o.Feasible || !strings.Contains(strings.Join(o.Limits, "; "), limit) {
					t.Errorf("%s: feasible %v, limits %q, want %q", tier, o.Feasible, o.Limits, limit)
				}
				if !strings.Contains(strings.Join(d.Reasons, "\n"), "not "+string(tier)+": ") {
					t.Errorf("reasons do not explain why not %s: %q", tier, d.Reasons)
				}
			}
			chosen, _ := d.Option(d.Tier)
			if !chosen.Feasible || chosen.MonthlyUSD <= 0 || chosen.Estimate == nil {
				t.Errorf("chosen option %+v is not priced", chosen)
			}
		})
	}
}

// Each hard limit, alone, rules Lambda out with its own message.
func TestLambdaLimits(t *testing.T) {
	p := pricing.Default()
	base := tinyText
	tests := []struct {
		name   string
		change func(*Model)
		limit  string
	}{
		{name: "memory", change: func(m *Model) { m.PeakMemoryMB = 9000 }, limit: "over Lambda's 10240 MB"},
		{name: "900 s", change: func(m *Model) { m.P99Ms = 901_000; m.AvgMs = 1000; m.FrontDoor = estimate.FrontDoorNone }, limit: "exceeds Lambda's 900 s maximum timeout"},
		{name: "rest front door timeout", change: func(m *Model) { m.P99Ms = 29_001 }, limit: "exceeds the REST API's 29 s integration timeout"},
		{name: "http front door timeout", change: func(m *Model) { m.P99Ms = 30_001; m.FrontDoor = estimate.FrontDoorHTTP }, limit: "exceeds the HTTP API's 30 s integration timeout"},
		{name: "6 MB payload", change: func(m *Model) { m.PayloadBytes = 6<<20 + 1 }, limit: "exceeds Lambda's 6 MB synchronous payload"},
		{name: "10 GB image", change: func(m *Model) { m.ArtifactMB = 10*1024 + 1 }, limit: "exceeds Lambda's 10 GB container image"},
		{name: "gpu", change: func(m *Model) { m.GPU = true }, limit: "needs a GPU; Lambda has none"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := base
			tc.change(&m)
			o := Evaluate(m, workload.TierLambda, p)
			if o.Feasible || len(o.Limits) != 1 || !strings.Contains(o.Limits[0], tc.limit) {
				t.Errorf("limits = %q, want exactly one containing %q", o.Limits, tc.limit)
			}
		})
	}
	t.Run("just inside every limit", func(t *testing.T) {
		m := Model{ArtifactMB: 10 * 1024, PeakMemoryMB: 8192, P99Ms: 29_000, AvgMs: 1000, PayloadBytes: 6 << 20, RequestsPerMonth: 1000}
		o := Evaluate(m, workload.TierLambda, p)
		if !o.Feasible {
			t.Errorf("limits = %q, want feasible", o.Limits)
		}
		if len(o.Notes) == 0 || !strings.Contains(o.Notes[0], "container image") {
			t.Errorf("notes = %q, want a container image note", o.Notes)
		}
	})
	t.Run("every limit at once is listed", func(t *testing.T) {
		m := Model{ArtifactMB: 20000, PeakMemoryMB: 20000, P99Ms: 1_000_000, PayloadBytes: 7 << 20, GPU: true, RequestsPerMonth: 1}
		if o := Evaluate(m, workload.TierLambda, p); len(o.Limits) != 6 {
			t.Errorf("limits = %q, want 6", o.Limits)
		}
	})
}

func TestBreakEven(t *testing.T) {
	p := pricing.Default()
	m := tinyText
	m.PeakMemoryMB = 1500
	m.AvgMs = 100
	d, err := Place(m, p)
	if err != nil {
		t.Fatal(err)
	}
	be := d.BreakEven
	if be == nil {
		t.Fatal("no break-even")
	}
	if be.PayPerUse != workload.TierLambda {
		t.Errorf("pay-per-use tier = %s, want lambda", be.PayPerUse)
	}
	below, _ := CostAt(m, be.PayPerUse, be.RequestsPerMonth*0.9, p)
	belowOn, _ := CostAt(m, be.AlwaysOn, be.RequestsPerMonth*0.9, p)
	above, _ := CostAt(m, be.PayPerUse, be.RequestsPerMonth*1.1, p)
	aboveOn, _ := CostAt(m, be.AlwaysOn, be.RequestsPerMonth*1.1, p)
	if below >= belowOn || above <= aboveOn {
		t.Errorf("at 0.9× break-even %s $%.2f vs %s $%.2f; at 1.1× $%.2f vs $%.2f: not a crossing",
			be.PayPerUse, below, be.AlwaysOn, belowOn, above, aboveOn)
	}
	if be.RequestsPerMonth < 1e6 || be.RequestsPerMonth > 1e9 {
		t.Errorf("break-even at %g requests is implausible", be.RequestsPerMonth)
	}
}

func TestPlaceValidate(t *testing.T) {
	tests := []struct {
		name string
		m    Model
		want string
	}{
		{name: "empty", m: Model{}, want: "peak-memory-mb: required"},
		{name: "avg above p99", m: Model{PeakMemoryMB: 1, P99Ms: 10, AvgMs: 20}, want: "avg-ms: 20 exceeds p99-ms 10"},
		{name: "negative", m: Model{PeakMemoryMB: 1, P99Ms: 1, RequestsPerMonth: -1}, want: "requests: -1 is not a non-negative number"},
		{name: "bad api", m: Model{PeakMemoryMB: 1, P99Ms: 1, FrontDoor: "grpc"}, want: `api: "grpc" is not one of none, rest, http`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Place(tc.m, pricing.Default())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
	huge := Model{PeakMemoryMB: 500_000, P99Ms: 5 * 3600 * 1000, RequestsPerMonth: 1}
	if _, err := Place(huge, pricing.Default()); err == nil || !strings.Contains(err.Error(), "no tier can serve this model") {
		t.Errorf("huge model error = %v", err)
	}
}

func TestOptionSizingFields(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name  string
		model Model
		tier  workload.Tier
		want  Option // only the sizing fields are compared
	}{
		{"lambda memory", tinyText, workload.TierLambda, Option{MemoryMiB: 1769}},
		{"fargate task", bigModel, workload.TierFargate, Option{CPU: 2048, MemoryMiB: 15360, Count: 1}},
		{"serverless memory", tinyText, workload.TierSageMakerServerless, Option{MemoryMiB: 2048}},
		{"real-time gpu instances", gpuModel, workload.TierSageMakerRealtime, Option{InstanceType: "ml.g4dn.xlarge", Count: 1}},
		{"async scales to zero", withAPI(batchJob, estimate.FrontDoorNone), workload.TierSageMakerAsync, Option{InstanceType: "ml.t2.medium"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Evaluate(tc.model, tc.tier, p)
			if !o.Feasible {
				t.Fatalf("%s infeasible: %q", tc.tier, o.Limits)
			}
			got := Option{MemoryMiB: o.MemoryMiB, CPU: o.CPU, Count: o.Count, InstanceType: o.InstanceType}
			if got.MemoryMiB != tc.want.MemoryMiB || got.CPU != tc.want.CPU || got.Count != tc.want.Count || got.InstanceType != tc.want.InstanceType {
				t.Errorf("sizing = %+v, want %+v (config %q)", got, tc.want, o.Config)
			}
		})
	}
}

// TestPlacementsThatHold: the audit's cases and the rules behind them, at
// several traffic levels.
func TestPlacementsThatHold(t *testing.T) {
	p := pricing.Default()
	steady := Model{PeakMemoryMB: 1000, P99Ms: 200, RequestsPerMonth: 50 * pricing.SecondsPerMonth}
	gpuJobs := Model{PeakMemoryMB: 6000, P99Ms: 2000, GPU: true, FrontDoor: estimate.FrontDoorNone}
	at := func(m Model, r float64) Model { m.RequestsPerMonth = r; return m }
	margin := func(m Model, v float64) Model { m.Margin = v; return m }
	small := Model{PeakMemoryMB: 300, P99Ms: 120, AvgMs: 40, FrontDoor: estimate.FrontDoorHTTP}
	tests := []struct {
		name   string
		model  Model
		want   workload.Tier
		reason string // a reason the decision must print
	}{
		{name: "steady 50 req/s: t2 sized on its baseline, fargate wins", model: steady, want: workload.TierFargate,
			reason: "ml.t2.medium not used: burstable, it sustains 20% of each vCPU (0.4 of 2) under steady load, so it needs 18 instances"},
		{name: "steady 50 req/s: fargate carries its NAT gateway", model: steady, want: workload.TierFargate,
			reason: "1 NAT gateway with its public IPv4 address all month"},
		{name: "GPU jobs at 500k: async never scales in, so not cheaper", model: at(gpuJobs, 500e3), want: workload.TierSageMakerRealtime,
			reason: "probability 100.0%, so it bills 730 instance-hours"},
		{name: "GPU jobs at 2k: async scales in", model: at(gpuJobs, 2e3), want: workload.TierSageMakerAsync,
			reason: "probability 20.4%"},
		{name: "GPU jobs at 100: async", model: at(gpuJobs, 100), want: workload.TierSageMakerAsync},
		{name: "small model at 1M: lambda", model: at(small, 1e6), want: workload.TierLambda},
		{name: "small model at 180M: 14 % saving is under the margin", model: at(small, 180e6), want: workload.TierLambda,
			reason: "lambda kept: sagemaker-realtime saves 14%"},
		{name: "small model at 180M, margin 10 %", model: margin(at(small, 180e6), 0.10), want: workload.TierSageMakerRealtime},
		{name: "small model at 180M, no margin", model: margin(at(small, 180e6), NoMargin), want: workload.TierSageMakerRealtime},
		{name: "small model at 1B through an HTTP API: 19 % is still under the margin", model: at(small, 1e9), want: workload.TierLambda},
		{name: "small model at 1B from a queue: fargate 36 % cheaper", model: withAPI(at(small, 1e9), estimate.FrontDoorNone), want: workload.TierFargate,
			reason: "fargate saves 36% over lambda"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Place(tc.model, p)
			if err != nil {
				t.Fatal(err)
			}
			if d.Tier != tc.want {
				t.Errorf("tier = %s, want %s; reasons %q", d.Tier, tc.want, d.Reasons)
			}
			if tc.reason != "" && !strings.Contains(strings.Join(d.Reasons, "\n"), tc.reason) {
				t.Errorf("reasons %q lack %q", d.Reasons, tc.reason)
			}
		})
	}
}

func TestFargateOptionBillsTheNetwork(t *testing.T) {
	o := Evaluate(Model{PeakMemoryMB: 1000, P99Ms: 200, RequestsPerMonth: 1e6}, workload.TierFargate, pricing.Default())
	for item, want := range map[string]float64{
		"NAT gateway":                       pricing.RoundCents(730 * 0.045),
		"Public IPv4 address (NAT gateway)": pricing.RoundCents(730 * 0.005),
		"Application Load Balancer":         pricing.RoundCents(730 * 0.0225),
		"API Gateway HTTP requests":         1.00,
	} {
		if l, ok := o.Estimate.Line(item); !ok || l.USD != want {
			t.Errorf("%s = %+v, want $%.2f", item, l, want)
		}
	}
}

func TestBreakEvensWithEveryAlwaysOnTier(t *testing.T) {
	d, err := Place(Model{PeakMemoryMB: 300, P99Ms: 120, AvgMs: 40, RequestsPerMonth: 20e6}, pricing.Default())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.BreakEvens) < 2 || d.BreakEven == nil {
		t.Fatalf("break-evens = %+v", d.BreakEvens)
	}
	for i := 1; i < len(d.BreakEvens); i++ {
		if d.BreakEvens[i].RequestsPerMonth < d.BreakEvens[i-1].RequestsPerMonth {
			t.Errorf("break-evens not by traffic: %+v", d.BreakEvens)
		}
	}
}

// A 10 KB model at 50 k requests a month: SageMaker serverless was a cent
// cheaper than Lambda and won, then the caller (with no image) could not
// build it. Lambda is kept unless another tier is cheaper by the margin,
// and a tier the caller cannot build (no container image) is never chosen.
func TestPlaceKeepsLambdaWithinMargin(t *testing.T) {
	p := pricing.Default()
	small := Model{ArtifactMB: 0.01, PeakMemoryMB: 64, P99Ms: 3, AvgMs: 1, PayloadBytes: 512, RequestsPerMonth: 50_000}
	d, err := Place(small, p)
	if err != nil {
		t.Fatal(err)
	}
	if d.Tier != workload.TierLambda {
		l, _ := d.Option(workload.TierLambda)
		t.Errorf("tier %s, want lambda (lambda $%.2f; reasons %q)", d.Tier, l.MonthlyUSD, d.Reasons)
	}

	// A container tier cheaper by more than the margin still wins...
	huge := bigModel
	if d, err := Place(huge, p); err != nil || d.Tier != workload.TierFargate {
		t.Errorf("12 GB model: %s, %v; want fargate", d.Tier, err)
	}
	// ...but not without a container image: then nothing synchronous fits.
	huge.NoContainerImage = true
	d, err = Place(huge, p)
	if err == nil && d.Tier != workload.TierLambda {
		t.Errorf("no image: placed on %s, which needs an image", d.Tier)
	}
	if err == nil || !strings.Contains(err.Error(), "no container image") {
		t.Errorf("no image: error %v, want one naming the missing container image", err)
	}
	// A margin outside 0..1 is refused.
	small.Margin = 2
	if _, err := Place(small, p); err == nil || !strings.Contains(err.Error(), "margin: 2 is outside 0 to 1") {
		t.Errorf("margin above 1: %v", err)
	}
}
