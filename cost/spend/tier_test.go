package spend

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/metricmath"
)

// computeAndRequests sums the estimate's lines a spend expression covers:
// all but data processed (metrics cannot see payload sizes).
func computeAndRequests(e estimate.Estimate) float64 {
	var usd float64
	for _, l := range e.Lines {
		if !strings.Contains(strings.ToLower(l.Item), "data") {
			usd += l.USD
		}
	}
	return usd
}

func must(e estimate.Estimate, err error) estimate.Estimate {
	if err != nil {
		panic(err)
	}
	return e
}

// TestTierExpressionsMatchTheCostModel evaluates each container tier's
// synthesized dollar expression (the string the alarms carry) with the
// metric-math evaluator on steady sample datapoints and compares the month
// it projects with cost/estimate's bill for the same month.
func TestTierExpressionsMatchTheCostModel(t *testing.T) {
	p := pricing.Default()
	const perPeriod = 1000.0 // requests every five minutes
	periods := float64(pricing.HoursPerMonth) * 12
	monthly := perPeriod * periods
	traffic := workload.Traffic{RequestsPerMonth: monthly}
	tests := []struct {
		name   string
		w      workload.Workload
		values map[string]float64
		want   estimate.Estimate
	}{
		{
			name: "fargate, two arm64 tasks of 2 vCPU and 15 GB, HTTP API, load balancer",
			w: workload.Workload{Version: workload.SchemaVersion, Tier: workload.TierFargate, FrontDoor: workload.FrontDoorHTTP, Traffic: traffic,
				Fargate: &workload.Fargate{CPU: 2048, MemoryMiB: 15360, Architecture: workload.ArchARM64, MinTasks: 2, MaxTasks: 4}},
			values: map[string]float64{IDTasks: 2, IDRequests: perPeriod},
			want: must(estimate.EstimateFargate(estimate.Fargate{CPU: 2048, MemoryMiB: 15360, Arch: pricing.ARM64, Tasks: 2, ALB: true,
				FrontDoor: estimate.FrontDoorHTTP, Requests: monthly}, p)),
		},
		{
			name: "sagemaker serverless, 2 GB, 40 ms a request, no cold start",
			w: workload.Workload{Version: workload.SchemaVersion, Tier: workload.TierSageMakerServerless, FrontDoor: workload.FrontDoorREST, Traffic: traffic,
				SageMaker: &workload.SageMaker{MemoryMiB: 2048, MaxConcurrency: 5}},
			values: map[string]float64{IDModelLatency: perPeriod * 40_000, IDRequests: perPeriod}, // no setup datapoint: FILL 0
			want: must(estimate.EstimateSageMaker(estimate.SageMaker{Mode: estimate.SageMakerServerless, Requests: monthly,
				DurationMs: 40, MemoryMiB: 2048, FrontDoor: estimate.FrontDoorREST}, p)),
		},
		{
			name: "sagemaker real-time, two ml.g4dn.xlarge",
			w: workload.Workload{Version: workload.SchemaVersion, Tier: workload.TierSageMakerRealtime, FrontDoor: workload.FrontDoorREST, Traffic: traffic,
				SageMaker: &workload.SageMaker{InstanceType: "ml.g4dn.xlarge", MinInstances: 2, MaxInstances: 4}},
			// Two instances, one CPU sample a minute each, over five minutes.
			values: map[string]float64{IDInstanceSamples: 10, IDRequests: perPeriod},
			want: must(estimate.EstimateSageMaker(estimate.SageMaker{Mode: estimate.SageMakerRealtime, Requests: monthly,
				DurationMs: 40, InstanceType: "ml.g4dn.xlarge", Instances: 2, FrontDoor: estimate.FrontDoorREST}, p)),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := TierModelFor(p, tc.w, true)
			if err != nil {
				t.Fatal(err)
			}
			expr := m.ProjectedMonthlyExpression()
			ids, err := metricmath.IDs(expr)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(m.MetricIDs())
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(slices.Compact(ids), want) {
				t.Errorf("expression uses %q, MetricIDs says %q", ids, m.MetricIDs())
			}
			got, ok, err := metricmath.Eval(expr, tc.values)
			if err != nil || !ok {
				t.Fatalf("eval %q: ok %v, %v", expr, ok, err)
			}
			usd := computeAndRequests(tc.want)
			if usd <= 0 {
				t.Fatalf("cost/estimate priced nothing: %+v", tc.want)
			}
			// Lines are rounded to the cent; allow a cent a line.
			if math.Abs(got-usd) > 0.01*float64(len(tc.want.Lines)) {
				t.Errorf("%s projects $%.2f a month, cost/estimate says $%.2f (lines %+v)", expr, got, usd, tc.want.Lines)
			}
		})
	}
}

// TestTierExpressionIdle proves an idle API does not hide the running
// tasks: with no request datapoint the projection is the tasks and the
// load balancer, not missing.
func TestTierExpressionIdle(t *testing.T) {
	p := pricing.Default()
	w := workload.Workload{Version: workload.SchemaVersion, Tier: workload.TierFargate, FrontDoor: workload.FrontDoorHTTP,
		Fargate: &workload.Fargate{CPU: 1024, MemoryMiB: 2048, Architecture: workload.ArchARM64, MinTasks: 1, MaxTasks: 2}}
	m, err := TierModelFor(p, w, true)
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := metricmath.Eval(m.ProjectedMonthlyExpression(), map[string]float64{IDTasks: 1})
	if err != nil || !ok {
		t.Fatalf("eval: ok %v, %v", ok, err)
	}
	want := m.FloorPerHour(w) * pricing.HoursPerMonth
	if math.Abs(got-want) > 1e-9 || want <= 0 {
		t.Errorf("idle projection $%.4f, want the floor $%.4f", got, want)
	}
}

func TestTierModelForRejects(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name string
		w    workload.Workload
		want string
	}{
		{"lambda", workload.Workload{Tier: workload.TierLambda}, `tier "lambda" is not fargate or a sagemaker tier`},
		{"fargate without config", workload.Workload{Tier: workload.TierFargate}, "tier fargate without its fargate configuration"},
		{"serverless without memory", workload.Workload{Tier: workload.TierSageMakerServerless, SageMaker: &workload.SageMaker{}}, "without its memory size"},
		{"unpriced instance", workload.Workload{Tier: workload.TierSageMakerRealtime, SageMaker: &workload.SageMaker{InstanceType: "ml.nope"}}, `instance type "ml.nope" has no price`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := TierModelFor(p, tc.w, true)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}
