package guard

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"

	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/workload"
)

// The API's operational alarms' names, which are also their construct ids
// and the keys of CostGuardProps.Alarms. Each tier names its own alarms
// (inference.AlarmLambdaErrorRate, fargate.AlarmCPUHigh, …).
const (
	AlarmAPIServerErrorRate = "ApiServerErrorRate"
	AlarmAPIClientErrorRate = "ApiClientErrorRate"
	AlarmAPILatencyP99      = "ApiLatencyP99"
)

// The dollar alarms' names.
const (
	AlarmSpendRate    = "SpendRate"
	AlarmRunawaySpend = "RunawaySpend"
)

// needs says where an alarm's metric comes from.
type needs int

const (
	needAPI  needs = iota // the front door's metrics
	needTier              // the tier's own alarm (Tier.Alarms)
)

// AlarmSpec is one operational alarm, as data: the guard turns each spec
// into a CloudWatch alarm with ALARM and OK actions to the topic, treating
// missing data as not breaching (no traffic is not an incident).
type AlarmSpec struct {
	// Name is the alarm's id and the suffix of its CloudWatch name.
	Name string
	// Description says what the alarm means and what to look at first.
	Description string
	// Threshold is compared with the metric, in Unit.
	Threshold float64
	Unit      string
	// Below alarms when the metric is below the threshold instead of above.
	Below bool
	// Period is the metric period; EvaluationPeriods of them are evaluated
	// and DatapointsToAlarm of those must breach.
	Period            time.Duration
	EvaluationPeriods int
	DatapointsToAlarm int

	needs needs
}

// DefaultAlarms returns the front door's operational alarms, which every
// guarded tier with an API gets after its own (Tier.Alarms).
func DefaultAlarms() []AlarmSpec {
	five := 5 * time.Minute
	return []AlarmSpec{
		{Name: AlarmAPIServerErrorRate, Description: "More than 1% of API requests ended in 5XX for 15 minutes: the function fails, times out or is throttled.",
			Threshold: 1, Unit: "%", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needAPI},
		{Name: AlarmAPIClientErrorRate, Description: "More than 10% of API requests ended in 4XX for 15 minutes: bad clients, missing keys, quota or throttling.",
			Threshold: 10, Unit: "%", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needAPI},
		{Name: AlarmAPILatencyP99, Description: "The API's p99 latency passed 80% of the function's timeout for 15 minutes (the threshold is set from Timeout unless overridden).",
			Threshold: 0, Unit: "ms", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needAPI},
	}
}

// applyOverrides applies the overrides by name and reports unknown names
// and bad values.
func applyOverrides(specs []AlarmSpec, o map[string]AlarmOverride) ([]AlarmSpec, []error) {
	var errs []error
	byName := map[string]int{}
	names := make([]string, len(specs))
	for i, s := range specs {
		byName[s.Name] = i
		names[i] = s.Name
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	disabled := map[string]bool{}
	for _, k := range keys {
		v := o[k]
		i, ok := byName[k]
		if !ok {
			errs = append(errs, fmt.Errorf("Alarms: %q is not an alarm (one of %s)", k, strings.Join(names, ", ")))
			continue
		}
		if v.Disabled {
			disabled[k] = true
			continue
		}
		s := &specs[i]
		if v.Threshold < 0 {
			errs = append(errs, fmt.Errorf("Alarms[%q].Threshold: %g is negative", k, v.Threshold))
		} else if v.Threshold != 0 {
			s.Threshold = v.Threshold
		}
		if v.EvaluationPeriods < 0 || v.DatapointsToAlarm < 0 {
			errs = append(errs, fmt.Errorf("Alarms[%q].EvaluationPeriods: %d and DatapointsToAlarm: %d must not be negative", k, v.EvaluationPeriods, v.DatapointsToAlarm))
			continue
		}
		if v.EvaluationPeriods != 0 {
			s.EvaluationPeriods = v.EvaluationPeriods
		}
		if v.DatapointsToAlarm != 0 {
			s.DatapointsToAlarm = v.DatapointsToAlarm
		}
		if s.DatapointsToAlarm > s.EvaluationPeriods {
			errs = append(errs, fmt.Errorf("Alarms[%q].DatapointsToAlarm: %d is above EvaluationPeriods %d", k, s.DatapointsToAlarm, s.EvaluationPeriods))
		}
	}
	out := specs[:0:0]
	for _, s := range specs {
		if !disabled[s.Name] {
			out = append(out, s)
		}
	}
	return out, errs
}

// applies says whether the stage has the metric the spec needs.
func (r resolved) applies(s AlarmSpec) bool {
	if s.needs == needAPI {
		return r.Tier.API != nil
	}
	return true
}

// metric builds the spec's metric (or metric-math expression).
func (g *CostGuard) metric(s AlarmSpec) awscloudwatch.IMetric {
	if s.needs == needTier {
		return g.cfg.tierMetric[s.Name]
	}
	period := duration(s.Period)
	opts := func(stat string) *awscloudwatch.MetricOptions {
		return &awscloudwatch.MetricOptions{Statistic: ptr(stat), Period: period}
	}
	api := g.cfg.Tier.API
	switch s.Name {
	case AlarmAPIServerErrorRate:
		return PercentOf("5XX (% of requests)", period, "e5xx", "req", map[string]awscloudwatch.IMetric{
			"e5xx": api.MetricAPIServerErrors(opts("Sum")), "req": api.MetricAPIRequests(opts("Sum"))})
	case AlarmAPIClientErrorRate:
		return PercentOf("4XX (% of requests)", period, "e4xx", "req", map[string]awscloudwatch.IMetric{
			"e4xx": api.MetricAPIClientErrors(opts("Sum")), "req": api.MetricAPIRequests(opts("Sum"))})
	}
	return api.MetricAPILatency(opts("p99"))
}

// PercentOf is the metric-math expression 100 × num ÷ den (a missing num
// counts as 0), over the metrics using names, labelled label.
func PercentOf(label string, period awscdk.Duration, num, den string, using map[string]awscloudwatch.IMetric) awscloudwatch.IMetric {
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   ptr(fmt.Sprintf("100 * FILL(%s, 0) / %s", num, den)),
		UsingMetrics: &using,
		Label:        ptr(label),
		Period:       period,
	})
}

// threshold resolves thresholds that depend on the props.
func (g *CostGuard) threshold(s AlarmSpec) float64 {
	if s.Name == AlarmAPILatencyP99 && s.Threshold == 0 {
		return float64(g.cfg.latencyBudget().Milliseconds()) * 0.8
	}
	return s.Threshold
}

// latencyBudget is what the API latency alarm measures against: the
// tier's Timeout, or else the front door's integration timeout.
func (r resolved) latencyBudget() time.Duration {
	if r.Tier.Timeout > 0 {
		return r.Tier.Timeout
	}
	if r.Tier.Workload.FrontDoor == workload.FrontDoorHTTP {
		return limits.HTTPIntegrationTimeout
	}
	return limits.RESTIntegrationTimeout
}
