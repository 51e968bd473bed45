package sagemaker

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/killswitch"
)

// The SageMaker tier's operational alarm names: construct ids of the
// guard's alarms and keys of guard.CostGuardProps.Alarms.
const (
	Alarm5xxErrors       = "Endpoint5xxErrors"
	AlarmModelLatencyP99 = "EndpointModelLatencyP99"
	AlarmBacklogStuck    = "EndpointBacklogStuck"
)

// KindSageMakerEndpoint is the kill switch's driver of an endpoint (name
// "ENDPOINT"): it holds every instance variant's scalable target at its
// minimum; restore puts back what was recorded.
const KindSageMakerEndpoint = killswitch.KindSageMakerEndpoint

// GuardTier describes the endpoint to the cost guard
// (guard.CostGuardProps.Tier): its workload, model latency and cold starts
// (serverless) or reporting instances for the dollar model, the REST API,
// 5XX, p99 model latency and, asynchronous, a backlog with no capacity as
// alarms, [Endpoint.KillSwitchTarget] on the instance variants, and
// traffic, errors, latency and capacity for the dashboard. A serverless
// endpoint has no target: it has no instances to hold at a minimum
// (nothing runs when idle), so the kill switch cannot stop it. Nil when
// the construct reported problems (see Err).
func (e *Endpoint) GuardTier() *guard.Tier {
	if e.err != nil {
		return nil
	}
	metric := func(ns, name string, o *awscloudwatch.MetricOptions, variant bool) awscloudwatch.Metric {
		dims := map[string]*string{"EndpointName": jsii.String(e.name)}
		if variant {
			dims["VariantName"] = jsii.String(VariantName)
		}
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String(ns), MetricName: jsii.String(name),
			DimensionsMap: &dims, Statistic: o.Statistic, Period: o.Period, Label: o.Label})
	}
	stat, labeled := func(st string) *awscloudwatch.MetricOptions { return guard.FiveMinutes(st, "") }, guard.FiveMinutes
	const aws, endpoints = "AWS/SageMaker", "/aws/sagemaker/Endpoints"
	t := &guard.Tier{
		Workload: e.workloadInfo,
		API:      guard.RestStageMetrics(e.Stage()),
		Alarms: []guard.TierAlarm{
			guard.NewTierAlarm(Alarm5xxErrors, "The endpoint answered 5XX in 3 five-minute periods: read the /aws/sagemaker/Endpoints logs.",
				0, 3, metric(aws, "Invocation5XXErrors", stat("Sum"), true)),
			guard.NewTierAlarm(AlarmModelLatencyP99, "The model's p99 latency passed 50 seconds for 15 minutes: InvokeEndpoint gives up at 60.",
				50e6, 3, metric(aws, "ModelLatency", stat("p99"), true)),
		},
		Extras: frontdoor.Extras(e.logs, e.accessLogs, e.workloadInfo.Traffic.PayloadBytes,
			strings.EqualFold(e.props.Environment[workload.ServerMetricsEnv], workload.ServerMetricsOff), guard.LogRetentionMonths),
		AccessLogFormat: frontdoor.AccessLogLine(workload.FrontDoorREST),
		Traffic:         []awscloudwatch.IMetric{metric(aws, "Invocations", labeled("Sum", "Endpoint invocations"), true)},
		Errors: []awscloudwatch.IMetric{metric(aws, "Invocation4XXErrors", labeled("Sum", "Endpoint 4XX"), true),
			metric(aws, "Invocation5XXErrors", labeled("Sum", "Endpoint 5XX"), true)},
		Latency: []awscloudwatch.IMetric{metric(aws, "ModelLatency", labeled("p50", "Model latency p50 (µs)"), true),
			metric(aws, "ModelLatency", labeled("p99", "Model latency p99 (µs)"), true)},
	}
	var capacity []awscloudwatch.IMetric
	if e.props.Variant == VariantServerless {
		t.SpendMetrics = map[string]awscloudwatch.IMetric{
			spend.IDModelLatency: metric(aws, "ModelLatency", stat("Sum"), true),
			spend.IDModelSetup:   metric(aws, "ModelSetupTime", stat("Sum"), true),
		}
		capacity = []awscloudwatch.IMetric{metric(aws, "ModelSetupTime", labeled("SampleCount", "Cold starts"), true)}
	} else {
		t.SpendMetrics = map[string]awscloudwatch.IMetric{
			spend.IDInstanceSamples: metric(endpoints, "CPUUtilization", stat("SampleCount"), true),
		}
		capacity = []awscloudwatch.IMetric{metric(endpoints, "CPUUtilization", labeled("Average", "CPU % (all cores)"), true)}
		if e.props.Variant == VariantAsync {
			t.Alarms = append(t.Alarms, guard.NewTierAlarm(AlarmBacklogStuck, "Requests have waited with no instance to serve them for 30 minutes: the endpoint cannot scale out.",
				0, 6, metric(aws, "HasBacklogWithoutCapacity", stat("Maximum"), false)))
		}
		t.Targets = []guard.Target{e.KillSwitchTarget()}
	}
	t.Widgets = []awscloudwatch.IWidget{awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
		Title: jsii.String("Capacity (" + string(e.workloadInfo.Tier) + ")"), Width: jsii.Number(24), Height: jsii.Number(6), Left: &capacity,
	})}
	return t
}

// KillSwitchTarget is the kill switch's target of an instance endpoint:
// hold its instances at their minimum (its GuardTier's target). Nil for
// the serverless variant, which has no instances to hold, and when the
// construct reported problems.
func (e *Endpoint) KillSwitchTarget() guard.Target {
	if e.err != nil || e.props.Variant == VariantServerless {
		return nil
	}
	return killSwitchTarget{e}
}

type killSwitchTarget struct{ e *Endpoint }

func (t killSwitchTarget) BindKillSwitch(grantee awsiam.IGrantable) guard.TargetBinding {
	// Application Auto Scaling checks that the caller of
	// RegisterScalableTarget may DescribeEndpoint, DescribeEndpointConfig
	// and UpdateEndpointWeightsAndCapacities
	// (https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html,
	// "Permissions required for API actions on target services and
	// CloudWatch"); the endpoint config's Ref is its ARN.
	grant := func(resource *string, actions ...string) {
		awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
			Grantee: grantee, Actions: jsii.Strings(actions...), ResourceArns: &[]*string{resource},
		})
	}
	grant(t.e.EndpointARN(), "sagemaker:DescribeEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities")
	grant(t.e.config.Ref(), "sagemaker:DescribeEndpointConfig")
	guard.GrantScalableTargets(grantee)
	return guard.TargetBinding{Kind: KindSageMakerEndpoint, Name: jsii.String(t.e.name)}
}

// GrantInvoke lets grantee invoke the model directly, as the API does:
// sagemaker:InvokeEndpoint and InvokeEndpointAsync on the endpoint (for a
// batch job that skips the front door). Nil when the construct reported
// problems.
func (e *Endpoint) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	if e.err != nil {
		return nil
	}
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync"),
		ResourceArns: &[]*string{e.EndpointARN()},
	})
}
