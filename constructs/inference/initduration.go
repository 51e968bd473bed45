package inference

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
)

// InitDurationMetricName is the metric the function's REPORT lines'
// Init Duration is published as, in namespace InitDurationNamespace
// followed by the function's unique id.
const (
	InitDurationMetricName = "InitDuration"
	InitDurationNamespace  = "costguard/"
)

// The REPORT line Lambda writes after each invocation, in the function's
// log group, carries the INIT phase's duration on a cold start (Lambda's
// Duration metric leaves it out, and Lambda bills it: since 1 August 2025
// on every runtime, and always on OS-only runtimes such as this one's).
// In the text log format it reads
//
//	REPORT RequestId: 8f5c… Duration: 38.02 ms Billed Duration: 639 ms Memory Size: 512 MB Max Memory Used: 61 MB Init Duration: 600.12 ms
//
// (with active tracing an XRAY TraceId … part follows), which a
// space-delimited pattern reads field by field: Init Duration's value is
// the 22nd field. In the JSON log format the same report is a
// platform.report event whose record.metrics.initDurationMs carries it
// (Lambda's telemetry schema reference). The function logs Lambda's lines
// in the text format (LoggingConfig's default; the stage's LogFormat is
// the model server's own lines), and a filter for each format publishes
// the same metric, so the dollar alarm keeps seeing INIT if the function's
// log format changes: the filter that does not match publishes nothing.
const (
	initDurationTextPattern = `[type="REPORT", requestIdLabel, requestId, durationLabel, duration, durationUnit, billedLabel, billedDurationLabel, billedDuration, billedUnit, memoryLabel, memorySizeLabel, memorySize, memoryUnit, maxLabel, maxMemoryLabel, usedLabel, maxMemoryUsed, maxMemoryUnit, initLabel="Init", initDurationLabel="Duration:", initDuration, initUnit="ms", ...]`
	initDurationJSONPattern = `{ $.type = "platform.report" && $.record.metrics.initDurationMs > 0 }`
)

// newInitDurationFilters publishes the Init Duration of the function's
// REPORT lines as a metric (milliseconds, no default value: no cold start
// publishes nothing, which the dollar expression fills with 0). One custom
// metric whichever filter matches, billed like any other.
func (a *LambdaAPI) newInitDurationFilters() {
	for _, f := range []struct{ id, pattern, value string }{
		{"InitDurationText", initDurationTextPattern, "$initDuration"},
		{"InitDurationJson", initDurationJSONPattern, "$.record.metrics.initDurationMs"},
	} {
		a.initFilters = append(a.initFilters, a.fnLogs.AddMetricFilter(jsii.String(f.id), &awslogs.MetricFilterOptions{
			FilterPattern:   awslogs.FilterPattern_Literal(jsii.String(f.pattern)),
			MetricNamespace: jsii.String(a.initNamespace()),
			MetricName:      jsii.String(InitDurationMetricName),
			MetricValue:     jsii.String(f.value),
			Unit:            awscloudwatch.Unit_MILLISECONDS,
		}))
	}
}

// initNamespace is the init metric's namespace, unique to the construct.
func (a *LambdaAPI) initNamespace() string {
	return InitDurationNamespace + *awscdk.Names_UniqueId(a)
}

// MetricInitDuration is the INIT duration of the function's cold starts in
// milliseconds, read from its REPORT lines by a metric filter: Sum is the
// INIT time billed, SampleCount the cold starts. Default: Sum over 5
// minutes.
func (a *LambdaAPI) MetricInitDuration(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	o := awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: awscdk.Duration_Minutes(jsii.Number(5))}
	if props != nil {
		o = *props
	}
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace: jsii.String(a.initNamespace()), MetricName: jsii.String(InitDurationMetricName),
		Statistic: o.Statistic, Period: o.Period, Label: o.Label, Unit: awscloudwatch.Unit_MILLISECONDS,
	})
}
