package report

import (
	"fmt"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/metricmath"
)

// spendAlarm returns the stack's SpendRate alarm: its projected-month
// expression and its threshold.
func spendAlarm(t *testing.T, tpl assembly.Template) (expr string, threshold float64) {
	t.Helper()
	for _, id := range tpl.LogicalIDs() {
		r := tpl.Resources[id]
		if name, _ := r.Properties["AlarmName"].(string); r.Type != "AWS::CloudWatch::Alarm" || !strings.HasSuffix(name, "-SpendRate") {
			continue
		}
		ms, _ := r.Properties["Metrics"].([]any)
		for _, m := range ms {
			if e, ok := m.(map[string]any)["Expression"].(string); ok {
				threshold, _ = r.Properties["Threshold"].(float64)
				return e, threshold
			}
		}
	}
	t.Fatal("no SpendRate alarm with an expression")
	return "", 0
}

// stackWorkload is the stack's one workload record.
func stackWorkload(t *testing.T, tpl assembly.Template) (string, workload.Workload) {
	t.Helper()
	for _, id := range tpl.LogicalIDs() {
		if raw, ok := tpl.Resources[id].Metadata[workload.MetadataKey]; ok {
			w, err := workload.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			return id, w
		}
	}
	t.Fatal("no workload record")
	return "", workload.Workload{}
}

// periodProjection evaluates the projected-month expression over a month
// of the workload's traffic spread evenly, five-minute period by period:
// the datapoints each metric has at that traffic, and, with provisioned
// concurrency on a schedule, the time-weighted mean of the periods inside
// the window (one environment in use of those allocated) and outside it.
func periodProjection(t *testing.T, expr string, w workload.Workload) float64 {
	t.Helper()
	const periods = pricing.HoursPerMonth * 12
	tr := w.Traffic
	r := tr.RequestsPerMonth / periods
	vals := map[string]float64{}
	ids, err := metricmath.IDs(expr)
	if err != nil {
		t.Fatal(err)
	}
	share, pc := 0.0, 0
	for _, id := range ids {
		switch id {
		case "inv", "req":
			vals[id] = r
		case "dur":
			vals[id] = r * tr.AvgDurationMs
		case "init":
			vals[id] = r * tr.ColdStartRate * tr.InitDurationMs
		case "pce", "pcu":
			pc = w.Lambda.ProvisionedConcurrency
			share = 1
			if h := w.Lambda.ProvisionedHoursPerMonth; h > 0 {
				share = h / pricing.HoursPerMonth
			}
		case "tasks":
			vals[id] = w.Fargate.AvgTasks
			if vals[id] == 0 {
				vals[id] = float64(w.Fargate.MinTasks)
			}
		case "instances":
			n := w.SageMaker.AvgInstances
			if n == 0 {
				n = float64(w.SageMaker.MinInstances)
			}
			vals[id] = 5 * n // SampleCount: one sample a minute per instance
		default:
			t.Fatalf("metric %q: no datapoint known for it", id)
		}
	}
	eval := func(v map[string]float64) float64 {
		got, ok, err := metricmath.Eval(expr, v)
		if err != nil || !ok {
			t.Fatalf("Eval(%q, %v) = %v, %v", expr, v, ok, err)
		}
		return got
	}
	out := eval(vals)
	if pc > 0 {
		in := maps.Clone(vals)
		in["pce"], in["pcu"] = 1, 1/float64(pc)
		out = share*eval(in) + (1-share)*out
	}
	return out
}

// scaled is the stack with its workload's monthly requests times k.
func scaled(s assembly.Stack, id string, w workload.Workload, k float64) assembly.Stack {
	res := maps.Clone(s.Template.Resources)
	r := res[id]
	r.Metadata = maps.Clone(r.Metadata)
	w.Traffic.RequestsPerMonth *= k
	r.Metadata[workload.MetadataKey] = w.Map()
	res[id] = r
	s.Template.Resources = res
	return s
}

// TestDollarAlarmProjectsTheReport checks, on the golden templates, that
// the cost guard's SpendRate expression, evaluated at the datapoints each
// stack's expected traffic implies, projects costguard report's month
// within 5 %, and that the threshold means what docs/guard.md says: the
// alarm first fires at the traffic at which the report's month reaches
// the budget (times the burn rate), within 5 %.
func TestDollarAlarmProjectsTheReport(t *testing.T) {
	stacks, err := assembly.Read("../../stacks/testdata")
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, s := range stacks {
		t.Run(s.Name, func(t *testing.T) {
			expr, threshold := spendAlarm(t, s.Template)
			id, w := stackWorkload(t, s.Template)
			rep, err := Build([]assembly.Stack{s}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			bill := rep.Stacks[0].TotalUSD
			got := periodProjection(t, expr, w)
			diff := (got - bill) / bill
			if math.Abs(diff) > 0.05 {
				t.Errorf("projection at the expected traffic $%.2f, report $%.2f (%+.1f %%); expression %s", got, bill, 100*diff, expr)
			}
			line := fmt.Sprintf("%s: projection $%.2f, report $%.2f (%+.1f %%)", s.Name, got, bill, 100*diff)

			// Where does SpendRate first fire? At k × the expected
			// traffic, found by bisection on the expression; the report's
			// month at that traffic should be the threshold.
			at := func(k float64) float64 {
				ww := w
				ww.Traffic.RequestsPerMonth *= k
				return periodProjection(t, expr, ww)
			}
			if at(0) >= threshold {
				line += fmt.Sprintf("; idle projection $%.2f is above the $%.2f threshold", at(0), threshold)
				summary = append(summary, line)
				return
			}
			lo, hi := 0.0, 1.0
			for at(hi) < threshold {
				hi *= 2
				if hi > 1e9 {
					t.Fatalf("the projection never reaches the $%.2f threshold", threshold)
				}
			}
			for range 60 {
				if mid := (lo + hi) / 2; at(mid) < threshold {
					lo = mid
				} else {
					hi = mid
				}
			}
			r2, err := Build([]assembly.Stack{scaled(s, id, w, hi)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			fires := r2.Stacks[0].TotalUSD
			if math.Abs(fires-threshold) > 0.05*threshold {
				t.Errorf("SpendRate ($%.2f) first fires at %.3g× the expected traffic, where the report's month is $%.2f", threshold, hi, fires)
			}
			line += fmt.Sprintf("; SpendRate ($%.2f) first fires at %.3g× the expected traffic (%.0f requests a month), when the report's month is $%.2f",
				threshold, hi, w.Traffic.RequestsPerMonth*hi, fires)
			summary = append(summary, line)
		})
	}
	t.Log("\n" + strings.Join(summary, "\n"))
}
