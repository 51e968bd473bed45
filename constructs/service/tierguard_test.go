package service

import (
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// evalExpression evaluates a metric-math expression of + - * / over the
// given metric values, as CloudWatch would for one period.
func evalExpression(t *testing.T, expr string, values map[string]float64) float64 {
	t.Helper()
	var pairs []string
	for k, v := range values {
		pairs = append(pairs, k, strconv.FormatFloat(v, 'f', -1, 64))
	}
	tv, err := types.Eval(token.NewFileSet(), nil, token.NoPos, strings.NewReplacer(pairs...).Replace(expr))
	if err != nil {
		t.Fatalf("eval %q: %v", expr, err)
	}
	f, _ := constant.Float64Val(constant.ToFloat(tv.Value))
	return f
}

// computeAndRequests sums an estimate's lines that a spend expression
// covers: compute and the front door's requests (not data transfer).
func computeAndRequests(e estimate.Estimate) float64 {
	var usd float64
	for _, l := range e.Lines {
		if strings.Contains(strings.ToLower(l.Item), "data") {
			continue
		}
		usd += l.USD
	}
	return usd
}

// TestSpendExpressionsMatchTheCostModel evaluates each tier's dollar
// expression on steady sample metrics and compares the month it projects
// with cost/estimate for the same month.
func TestSpendExpressionsMatchTheCostModel(t *testing.T) {
	p := pricing.Default()
	const requestsPer5Min = 1000.0
	monthlyRequests := requestsPer5Min * periodsPerHour * pricing.HoursPerMonth
	tests := []struct {
		name   string
		expr   string
		values map[string]float64
		want   estimate.Estimate
	}{
		{
			name:   "fargate, two arm64 tasks of 2 vCPU and 15 GB",
			expr:   fargateSpendExpression(p, workload.Fargate{CPU: 2048, MemoryMiB: 15360, Architecture: workload.ArchARM64}),
			values: map[string]float64{"tasks": 2, "requests": requestsPer5Min},
			want: must(estimate.EstimateFargate(estimate.Fargate{CPU: 2048, MemoryMiB: 15360, Arch: pricing.ARM64, Tasks: 2,
				FrontDoor: estimate.FrontDoorHTTP, Requests: monthlyRequests}, p)),
		},
		{
			name:   "sagemaker serverless, 2 GB, 40 ms a request",
			expr:   sageMakerSpendExpression(p, workload.TierSageMakerServerless, workload.SageMaker{MemoryMiB: 2048}),
			values: map[string]float64{"invocations": requestsPer5Min, "latency": 40_000, "requests": requestsPer5Min},
			want: must(estimate.EstimateSageMaker(estimate.SageMaker{Mode: estimate.SageMakerServerless, Requests: monthlyRequests,
				DurationMs: 40, MemoryMiB: 2048, FrontDoor: estimate.FrontDoorREST}, p)),
		},
		{
			name: "sagemaker real-time, two ml.g4dn.xlarge",
			expr: sageMakerSpendExpression(p, workload.TierSageMakerRealtime, workload.SageMaker{InstanceType: "ml.g4dn.xlarge"}),
			// Two instances, one CPU sample a minute each, over five minutes.
			values: map[string]float64{"instanceSamples": 10, "requests": requestsPer5Min},
			want: must(estimate.EstimateSageMaker(estimate.SageMaker{Mode: estimate.SageMakerRealtime, Requests: monthlyRequests,
				DurationMs: 40, InstanceType: "ml.g4dn.xlarge", Instances: 2, FrontDoor: estimate.FrontDoorREST}, p)),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := evalExpression(t, tc.expr, tc.values) * pricing.HoursPerMonth
			want := computeAndRequests(tc.want)
			if want <= 0 {
				t.Fatalf("cost/estimate priced nothing: %+v", tc.want)
			}
			// Lines are rounded to the cent; allow a cent a line.
			if math.Abs(got-want) > 0.01*float64(len(tc.want.Lines)) {
				t.Errorf("%s projects $%.2f a month, cost/estimate says $%.2f (lines %+v)", tc.expr, got, want, tc.want.Lines)
			}
		})
	}
}

func must(e estimate.Estimate, err error) estimate.Estimate {
	if err != nil {
		panic(err)
	}
	return e
}
