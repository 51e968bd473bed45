package guard

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"

	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/workload"
)

// The operational alarms' names, which are also their construct ids and
// the keys of CostGuardProps.Alarms.
const (
	AlarmLambdaErrorRate          = "LambdaErrorRate"
	AlarmLambdaThrottles          = "LambdaThrottles"
	AlarmLambdaDurationOfTimeout  = "LambdaDurationP99OfTimeout"
	AlarmLambdaConcurrencyNearCap = "LambdaConcurrencyNearCap"
	AlarmProvisionedSpillover     = "ProvisionedSpillover"
	AlarmProvisionedUtilization   = "ProvisionedUtilization"
	AlarmAPIServerErrorRate       = "ApiServerErrorRate"
	AlarmAPIClientErrorRate       = "ApiClientErrorRate"
	AlarmAPILatencyP99            = "ApiLatencyP99"
)

// The dollar alarms' names.
const (
	AlarmSpendRate    = "SpendRate"
	AlarmRunawaySpend = "RunawaySpend"
)

// needs says what an alarm's metric requires of the props.
type needs int

const (
	needFunction needs = iota
	needAPI
	needProvisioned // an alias with provisioned concurrency
	needReserved    // a reserved-concurrency cap
	needTier        // a container tier's own alarm (Tier.Alarms)
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

// DefaultAlarms returns the operational alarms every stage gets, in the
// order they are created. The guard leaves out those whose metric does not
// exist for the stage (API alarms without an API, provisioned-concurrency
// alarms without it, the concurrency alarm without a reserved cap).
func DefaultAlarms() []AlarmSpec {
	five := 5 * time.Minute
	return []AlarmSpec{
		{Name: AlarmLambdaErrorRate, Description: "More than 5% of invocations failed for 15 minutes: read the function's logs.",
			Threshold: 5, Unit: "%", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needFunction},
		{Name: AlarmLambdaThrottles, Description: "Invocations were throttled in 2 of the last 3 five-minute periods: the reserved-concurrency cap (or the kill switch) is refusing work.",
			Threshold: 0, Unit: "count", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 2, needs: needFunction},
		{Name: AlarmLambdaDurationOfTimeout, Description: "The p99 duration passed 80% of the timeout for 15 minutes: the right-sized timeout is about to cut requests off; re-profile latency or raise memory.",
			Threshold: 80, Unit: "%", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needFunction},
		{Name: AlarmLambdaConcurrencyNearCap, Description: "Concurrent executions passed 80% of the reserved-concurrency cap for 15 minutes: throttling is near; check traffic and the caps.",
			Threshold: 80, Unit: "%", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needReserved},
		{Name: AlarmProvisionedSpillover, Description: "More than 10% of invocations spilled over to on-demand environments for 15 minutes: provisioned concurrency is too low (cold starts, higher duration price).",
			Threshold: 10, Unit: "%", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needProvisioned},
		{Name: AlarmProvisionedUtilization, Description: "Provisioned-concurrency utilization passed 90% for 15 minutes: spillover is near; raise it or let autoscaling do so.",
			Threshold: 0.9, Unit: "ratio", Period: five, EvaluationPeriods: 3, DatapointsToAlarm: 3, needs: needProvisioned},
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
	l := r.Workload.Lambda
	switch s.needs {
	case needAPI:
		return r.API != nil
	case needTier:
		return true
	}
	if l == nil {
		return false
	}
	switch s.needs {
	case needProvisioned:
		return r.Alias != nil && l.ProvisionedConcurrency > 0
	case needReserved:
		return l.ReservedConcurrency > 0
	}
	return true
}

// metric builds the spec's metric (or metric-math expression).
func (g *CostGuard) metric(s AlarmSpec) awscloudwatch.IMetric {
	period := duration(s.Period)
	fn := g.cfg.Function
	opts := func(stat string) *awscloudwatch.MetricOptions {
		return &awscloudwatch.MetricOptions{Statistic: ptr(stat), Period: period}
	}
	rate := func(label, num, den string, using map[string]awscloudwatch.IMetric) awscloudwatch.IMetric {
		return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression:   ptr(fmt.Sprintf("100 * FILL(%s, 0) / %s", num, den)),
			UsingMetrics: &using,
			Label:        ptr(label),
			Period:       period,
		})
	}
	if s.needs == needTier {
		return g.cfg.tierMetric[s.Name]
	}
	switch s.Name {
	case AlarmLambdaErrorRate:
		return rate("Errors (% of invocations)", "err", "inv", map[string]awscloudwatch.IMetric{
			"err": fn.MetricErrors(opts("Sum")), "inv": fn.MetricInvocations(opts("Sum"))})
	case AlarmLambdaThrottles:
		return fn.MetricThrottles(opts("Sum"))
	case AlarmLambdaDurationOfTimeout:
		return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression:   ptr(fmt.Sprintf("100 * p99 / %d", g.cfg.Timeout.Milliseconds())),
			UsingMetrics: &map[string]awscloudwatch.IMetric{"p99": fn.MetricDuration(opts("p99"))},
			Label:        ptr("p99 duration (% of timeout)"),
			Period:       period,
		})
	case AlarmLambdaConcurrencyNearCap:
		return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression:   ptr(fmt.Sprintf("100 * conc / %d", g.cfg.Workload.Lambda.ReservedConcurrency)),
			UsingMetrics: &map[string]awscloudwatch.IMetric{"conc": fn.Metric(ptr("ConcurrentExecutions"), opts("Maximum"))},
			Label:        ptr("Concurrency (% of reserved)"),
			Period:       period,
		})
	case AlarmProvisionedSpillover:
		return rate("Spillover (% of invocations)", "spill", "inv", map[string]awscloudwatch.IMetric{
			"spill": g.cfg.Alias.Metric(ptr("ProvisionedConcurrencySpilloverInvocations"), opts("Sum")),
			"inv":   g.cfg.Alias.MetricInvocations(opts("Sum"))})
	case AlarmProvisionedUtilization:
		return g.cfg.Alias.Metric(ptr("ProvisionedConcurrencyUtilization"), opts("Maximum"))
	case AlarmAPIServerErrorRate:
		return rate("5XX (% of requests)", "e5xx", "req", map[string]awscloudwatch.IMetric{
			"e5xx": g.cfg.API.MetricAPIServerErrors(opts("Sum")), "req": g.cfg.API.MetricAPIRequests(opts("Sum"))})
	case AlarmAPIClientErrorRate:
		return rate("4XX (% of requests)", "e4xx", "req", map[string]awscloudwatch.IMetric{
			"e4xx": g.cfg.API.MetricAPIClientErrors(opts("Sum")), "req": g.cfg.API.MetricAPIRequests(opts("Sum"))})
	case AlarmAPILatencyP99:
		return g.cfg.API.MetricAPILatency(opts("p99"))
	}
	panic("guard: no metric for alarm " + s.Name)
}

// threshold resolves thresholds that depend on the props.
func (g *CostGuard) threshold(s AlarmSpec) float64 {
	if s.Name == AlarmAPILatencyP99 && s.Threshold == 0 {
		return float64(g.cfg.latencyBudget().Milliseconds()) * 0.8
	}
	return s.Threshold
}

// latencyBudget is what the API latency alarm measures against: the
// function's timeout, or for a container tier its Timeout or else the
// front door's integration timeout.
func (r resolved) latencyBudget() time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	if r.Workload.FrontDoor == workload.FrontDoorHTTP {
		return limits.HTTPIntegrationTimeout
	}
	return limits.RESTIntegrationTimeout
}
