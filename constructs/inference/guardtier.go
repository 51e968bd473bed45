package inference

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/cost/workload"
)

// The Lambda tier's operational alarm names: construct ids of the guard's
// alarms and keys of guard.CostGuardProps.Alarms.
const (
	AlarmLambdaErrorRate          = "LambdaErrorRate"
	AlarmLambdaThrottles          = "LambdaThrottles"
	AlarmLambdaDurationOfTimeout  = "LambdaDurationP99OfTimeout"
	AlarmLambdaConcurrencyNearCap = "LambdaConcurrencyNearCap"
	AlarmProvisionedSpillover     = "ProvisionedSpillover"
	AlarmProvisionedUtilization   = "ProvisionedUtilization"
)

// GuardTier describes the function to the cost guard
// (guard.CostGuardProps.Tier): its workload, the invocations and duration
// its dollar model prices, the front door, its timeout, its alarms (errors,
// throttles, p99 duration against the timeout, concurrency against the
// reserved cap, and provisioned-concurrency spillover and utilization when
// it has provisioned concurrency), the function as the kill switch's
// target, and its traffic, concurrency and cold starts for the dashboard.
// Nil when the construct reported problems (see Err).
func (a *LambdaAPI) GuardTier() *guard.Tier {
	if a.err != nil {
		return nil
	}
	fn, five := a.fn, awscdk.Duration_Minutes(jsii.Number(5))
	opts := func(stat string) *awscloudwatch.MetricOptions {
		return &awscloudwatch.MetricOptions{Statistic: jsii.String(stat), Period: five}
	}
	labeled := func(stat, label string) *awscloudwatch.MetricOptions {
		o := opts(stat)
		o.Label = jsii.String(label)
		return o
	}
	period := awscdk.Duration_Seconds(jsii.Number(spend.DefaultPeriod.Seconds()))
	sum := &awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: period}
	maximum := &awscloudwatch.MetricOptions{Statistic: jsii.String("Maximum"), Period: period}
	spendMetrics := map[string]awscloudwatch.IMetric{
		spend.IDInvocations: fn.MetricInvocations(sum),
		spend.IDDuration:    fn.MetricDuration(sum),
		spend.IDInit:        a.MetricInitDuration(sum),
	}
	w := a.Workload()
	if w.Lambda.ProvisionedConcurrency > 0 {
		// What is allocated: the environments in use over the share of
		// the allocation they are (Lambda publishes no allocation metric).
		spendMetrics[spend.IDProvisionedInUse] = a.alias.Metric(jsii.String("ProvisionedConcurrentExecutions"), maximum)
		spendMetrics[spend.IDProvisionedUtilization] = a.alias.Metric(jsii.String("ProvisionedConcurrencyUtilization"), maximum)
	}
	return &guard.Tier{
		Workload:     w,
		API:          a,
		Timeout:      a.cfg.Timeout,
		SpendMetrics: spendMetrics,
		Extras:       a.extras(),
		// The access log is the API's; the init metric is one custom
		// metric whichever of its filters matches.
		AccessLogFormat: a.accessLogLine(),
		CustomMetrics:   1,
		Alarms:          a.guardAlarms(opts),
		Targets:         []guard.Target{guard.LambdaTarget(fn)},
		Traffic:         []awscloudwatch.IMetric{fn.MetricInvocations(labeled("Sum", "Invocations"))},
		Errors:          []awscloudwatch.IMetric{fn.MetricErrors(labeled("Sum", "Errors")), fn.MetricThrottles(labeled("Sum", "Throttles"))},
		Latency: []awscloudwatch.IMetric{
			fn.MetricDuration(labeled("p50", "Duration p50")),
			fn.MetricDuration(labeled("p90", "Duration p90")),
			fn.MetricDuration(labeled("p99", "Duration p99")),
		},
		Widgets: a.guardWidgets(labeled),
	}
}

// extras is what the deployment adds around the function, as the cost
// report reads it from the template: the model server's custom metrics
// (unless its Environment sets METRICS=off), X-Ray traces with active
// tracing, Lambda's and the server's log lines kept for the log group's
// retention, the access log's retention, and half the payload sent back.
func (a *LambdaAPI) extras() estimate.Extras {
	x := estimate.Extras{
		Traced:                   a.cfg.Tracing,
		LogBytesPerRequest:       estimate.DefaultLogBytesPerRequest,
		LogRetentionMonths:       guard.LogRetentionMonths(a.fnLogs),
		AccessLogRetentionMonths: guard.LogRetentionMonths(a.accessLogs),
		ResponseBytes:            a.cfg.Traffic.PayloadBytes / 2,
	}
	if !strings.EqualFold(a.cfg.Environment[workload.ServerMetricsEnv], workload.ServerMetricsOff) {
		x.CustomMetrics = workload.ServerCustomMetrics()
	}
	return x
}

// accessLogLine is the API stage's access-log format.
func (a *LambdaAPI) accessLogLine() string {
	return frontdoor.AccessLogLine(a.cfg.FrontDoor)
}

// guardAlarms are the function's operational alarms as data, in the order
// the guard creates them.
func (a *LambdaAPI) guardAlarms(opts func(string) *awscloudwatch.MetricOptions) []guard.TierAlarm {
	fn, w := a.fn, a.Workload().Lambda
	five := 5 * time.Minute
	period := awscdk.Duration_Minutes(jsii.Number(five.Minutes()))
	alarm := func(name, desc string, threshold float64, unit string, datapoints int, m awscloudwatch.IMetric) guard.TierAlarm {
		return guard.TierAlarm{AlarmSpec: guard.AlarmSpec{Name: name, Description: desc, Threshold: threshold, Unit: unit,
			Period: five, EvaluationPeriods: 3, DatapointsToAlarm: datapoints}, Metric: m}
	}
	expr := func(label, expression string, using map[string]awscloudwatch.IMetric) awscloudwatch.IMetric {
		return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression: jsii.String(expression), UsingMetrics: &using, Label: jsii.String(label), Period: period})
	}
	alarms := []guard.TierAlarm{
		alarm(AlarmLambdaErrorRate, "More than 5% of invocations failed for 15 minutes: read the function's logs.", 5, "%", 3,
			guard.PercentOf("Errors (% of invocations)", period, "err", "inv", map[string]awscloudwatch.IMetric{
				"err": fn.MetricErrors(opts("Sum")), "inv": fn.MetricInvocations(opts("Sum"))})),
		alarm(AlarmLambdaThrottles, "Invocations were throttled in 2 of the last 3 five-minute periods: the reserved-concurrency cap (or the kill switch) is refusing work.",
			0, "count", 2, fn.MetricThrottles(opts("Sum"))),
		alarm(AlarmLambdaDurationOfTimeout, "The p99 duration passed 80% of the timeout for 15 minutes: the right-sized timeout is about to cut requests off; re-profile latency or raise memory.",
			80, "%", 3, expr("p99 duration (% of timeout)", fmt.Sprintf("100 * p99 / %d", a.cfg.Timeout.Milliseconds()),
				map[string]awscloudwatch.IMetric{"p99": fn.MetricDuration(opts("p99"))})),
	}
	if w.ReservedConcurrency > 0 {
		alarms = append(alarms, alarm(AlarmLambdaConcurrencyNearCap, "Concurrent executions passed 80% of the reserved-concurrency cap for 15 minutes: throttling is near; check traffic and the caps.",
			80, "%", 3, expr("Concurrency (% of reserved)", fmt.Sprintf("100 * conc / %d", w.ReservedConcurrency),
				map[string]awscloudwatch.IMetric{"conc": fn.Metric(jsii.String("ConcurrentExecutions"), opts("Maximum"))})))
	}
	if w.ProvisionedConcurrency > 0 {
		alarms = append(alarms,
			alarm(AlarmProvisionedSpillover, "More than 10% of invocations spilled over to on-demand environments for 15 minutes: provisioned concurrency is too low (cold starts, higher duration price).",
				10, "%", 3, guard.PercentOf("Spillover (% of invocations)", period, "spill", "inv", map[string]awscloudwatch.IMetric{
					"spill": a.alias.Metric(jsii.String("ProvisionedConcurrencySpilloverInvocations"), opts("Sum")),
					"inv":   a.alias.MetricInvocations(opts("Sum"))})),
			alarm(AlarmProvisionedUtilization, "Provisioned-concurrency utilization passed 90% for 15 minutes: spillover is near; raise it or let autoscaling do so.",
				0.9, "ratio", 3, a.alias.Metric(jsii.String("ProvisionedConcurrencyUtilization"), opts("Maximum"))))
	}
	return alarms
}

// guardWidgets are the function's dashboard row: concurrency against the
// reserved cap (and provisioned concurrency), and cold starts with their
// init duration from the REPORT log lines.
func (a *LambdaAPI) guardWidgets(labeled func(stat, label string) *awscloudwatch.MetricOptions) []awscloudwatch.IWidget {
	w := a.Workload().Lambda
	conc := []awscloudwatch.IMetric{a.fn.Metric(jsii.String("ConcurrentExecutions"), labeled("Maximum", "Concurrent executions"))}
	var right []awscloudwatch.IMetric
	var lines []*awscloudwatch.HorizontalAnnotation
	if w.ReservedConcurrency > 0 {
		lines = append(lines, &awscloudwatch.HorizontalAnnotation{Value: jsii.Number(float64(w.ReservedConcurrency)), Label: jsii.String("reserved cap")})
	}
	if w.ProvisionedConcurrency > 0 {
		conc = append(conc,
			a.alias.Metric(jsii.String("ProvisionedConcurrentExecutions"), labeled("Maximum", "Provisioned in use")),
			a.alias.Metric(jsii.String("ProvisionedConcurrencySpilloverInvocations"), labeled("Sum", "Spillover invocations")))
		right = append(right, a.alias.Metric(jsii.String("ProvisionedConcurrencyUtilization"), labeled("Maximum", "Provisioned utilization")))
	}
	return []awscloudwatch.IWidget{
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("Concurrency"), Width: jsii.Number(12), Height: jsii.Number(6), Left: &conc, Right: &right, LeftAnnotations: &lines,
		}),
		awscloudwatch.NewLogQueryWidget(&awscloudwatch.LogQueryWidgetProps{
			Title:         jsii.String("Cold starts and init duration (ms), from REPORT lines"),
			Width:         jsii.Number(12),
			Height:        jsii.Number(6),
			LogGroupNames: &[]*string{a.fnLogs.LogGroupName()},
			View:          awscloudwatch.LogQueryVisualizationType_LINE,
			QueryLines: &[]*string{
				jsii.String(`filter @type = "REPORT"`),
				jsii.String(`stats sum(ispresent(@initDuration)) as coldStarts, avg(@initDuration) as avgInitMs, max(@initDuration) as maxInitMs by bin(5m)`),
			},
		}),
	}
}

// GrantInvoke lets grantee invoke the model directly, as the API does:
// lambda:InvokeFunction on the alias "live" (for a batch job or a Step
// Functions task that skips the front door). Nil when the construct
// reported problems.
func (a *LambdaAPI) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	if a.err != nil {
		return nil
	}
	return a.alias.GrantInvoke(grantee)
}
