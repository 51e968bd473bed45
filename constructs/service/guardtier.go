package service

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	elb "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/cost/spend"
)

// The container tiers' operational alarm names (construct ids, keys of
// guard.CostGuardProps.Alarms).
const (
	AlarmFargateCPUHigh       = "FargateCpuHigh"
	AlarmFargateTarget5xxRate = "FargateTarget5xxRate"
	AlarmFargateUnhealthy     = "FargateUnhealthyTargets"
	AlarmFargateLatencyP99    = "FargateLatencyP99"
	AlarmEndpoint5xx          = "Endpoint5xxErrors"
	AlarmEndpointLatencyP99   = "EndpointModelLatencyP99"
	AlarmEndpointBacklog      = "EndpointBacklogStuck"
)

const fiveMinutes = 5 * time.Minute

func stat(name string) *awscloudwatch.MetricOptions {
	return &awscloudwatch.MetricOptions{Statistic: jsii.String(name), Period: awscdk.Duration_Minutes(jsii.Number(fiveMinutes.Minutes()))}
}

func labeled(name, label string) *awscloudwatch.MetricOptions {
	o := stat(name)
	o.Label = jsii.String(label)
	return o
}

// alarm is one operational alarm as data: threshold above which it fires
// for n of n five-minute periods.
func alarm(name, description string, threshold float64, n int, m awscloudwatch.IMetric) guard.TierAlarm {
	return guard.TierAlarm{
		AlarmSpec: guard.AlarmSpec{Name: name, Description: description, Threshold: threshold,
			Period: fiveMinutes, EvaluationPeriods: n, DatapointsToAlarm: n},
		Metric: m,
	}
}

// FargateGuardTier describes a Fargate tier to the cost guard: running
// tasks (Container Insights' RunningTaskCount) and the NAT gateways the
// construct created for the dollar model, the
// service's CPU, the model server's 5XX, unhealthy targets and p99
// response time as alarms, and [FargateTarget] for the kill switch. Pass
// it as guard.CostGuardProps.Tier with f.Workload() and
// guard.HTTPStageMetrics(f.Stage()) as API.
func FargateGuardTier(f *fargate.Service) *guard.Tier {
	svc := f.Service()
	tasks := func(o *awscloudwatch.MetricOptions) awscloudwatch.Metric {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("ECS/ContainerInsights"), MetricName: jsii.String("RunningTaskCount"),
			DimensionsMap: &map[string]*string{"ClusterName": f.Cluster().ClusterName(), "ServiceName": svc.ServiceName()},
			Statistic:     o.Statistic, Period: o.Period, Label: o.Label,
		})
	}
	tg := f.TargetGroup().Metrics()
	return &guard.Tier{
		SpendMetrics: map[string]awscloudwatch.IMetric{spend.IDTasks: tasks(stat("Average"))},
		Alarms: []guard.TierAlarm{
			alarm(AlarmFargateCPUHigh, "Average CPU passed 85% for 15 minutes while autoscaling is at its maximum or too slow: raise MaxTasks or the task size.",
				85, 3, f.MetricCPUUtilization(stat("Average"))),
			alarm(AlarmFargateTarget5xxRate, "More than 10 responses from the model server were 5XX in each of 3 five-minute periods: read the container's logs.",
				10, 3, tg.HttpCodeTarget(elb.HttpCodeTarget_TARGET_5XX_COUNT, stat("Sum"))),
			alarm(AlarmFargateUnhealthy, "A task failed its GET /health check for 15 minutes: the model did not load or the task is starved.",
				0, 3, tg.UnhealthyHostCount(stat("Maximum"))),
			alarm(AlarmFargateLatencyP99, "The model server's p99 response time passed 25 seconds for 15 minutes: the HTTP API gives up at 30.",
				25, 3, f.MetricTargetResponseTime(stat("p99"))),
		},
		Targets:     []guard.Target{FargateTarget(f)},
		NATGateways: f.NATGateways(),
		Traffic:     []awscloudwatch.IMetric{f.MetricRequestCount(labeled("Sum", "Load balancer requests"))},
		Errors:      []awscloudwatch.IMetric{tg.HttpCodeTarget(elb.HttpCodeTarget_TARGET_5XX_COUNT, labeled("Sum", "Model server 5XX"))},
		Latency:     []awscloudwatch.IMetric{f.MetricTargetResponseTime(labeled("p50", "Target p50 (s)")), f.MetricTargetResponseTime(labeled("p99", "Target p99 (s)"))},
		Capacity:    []awscloudwatch.IMetric{tasks(labeled("Average", "Running tasks")), f.MetricCPUUtilization(labeled("Average", "CPU %"))},
	}
}

// SageMakerGuardTier describes a SageMaker tier to the cost guard: model
// latency and cold starts (serverless) or reporting instances for the
// dollar model, 5XX, p99 model latency and, asynchronous, a backlog with no
// capacity as alarms, and [SageMakerTarget] for the kill switch on the
// instance variants. A serverless endpoint has no target: it has no
// instances to hold at a minimum (nothing runs when idle), so the kill
// switch cannot stop it. Pass it as guard.CostGuardProps.Tier with
// e.Workload() and guard.RestStageMetrics(e.Stage()) as API.
func SageMakerGuardTier(e *sagemaker.Endpoint) *guard.Tier {
	metric := func(ns, name string, o *awscloudwatch.MetricOptions, variant bool) awscloudwatch.Metric {
		dims := map[string]*string{"EndpointName": jsii.String(e.EndpointName())}
		if variant {
			dims["VariantName"] = jsii.String(sagemaker.VariantName)
		}
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String(ns), MetricName: jsii.String(name),
			DimensionsMap: &dims, Statistic: o.Statistic, Period: o.Period, Label: o.Label})
	}
	const aws, endpoints = "AWS/SageMaker", "/aws/sagemaker/Endpoints"
	t := &guard.Tier{
		Alarms: []guard.TierAlarm{
			alarm(AlarmEndpoint5xx, "The endpoint answered 5XX in 3 five-minute periods: read the /aws/sagemaker/Endpoints logs.",
				0, 3, metric(aws, "Invocation5XXErrors", stat("Sum"), true)),
			alarm(AlarmEndpointLatencyP99, "The model's p99 latency passed 50 seconds for 15 minutes: InvokeEndpoint gives up at 60.",
				50e6, 3, metric(aws, "ModelLatency", stat("p99"), true)),
		},
		Traffic: []awscloudwatch.IMetric{metric(aws, "Invocations", labeled("Sum", "Endpoint invocations"), true)},
		Errors: []awscloudwatch.IMetric{metric(aws, "Invocation4XXErrors", labeled("Sum", "Endpoint 4XX"), true),
			metric(aws, "Invocation5XXErrors", labeled("Sum", "Endpoint 5XX"), true)},
		Latency: []awscloudwatch.IMetric{metric(aws, "ModelLatency", labeled("p50", "Model latency p50 (µs)"), true),
			metric(aws, "ModelLatency", labeled("p99", "Model latency p99 (µs)"), true)},
	}
	if e.Variant() == sagemaker.VariantServerless {
		t.SpendMetrics = map[string]awscloudwatch.IMetric{
			spend.IDModelLatency: metric(aws, "ModelLatency", stat("Sum"), true),
			spend.IDModelSetup:   metric(aws, "ModelSetupTime", stat("Sum"), true),
		}
		t.Capacity = []awscloudwatch.IMetric{metric(aws, "ModelSetupTime", labeled("SampleCount", "Cold starts"), true)}
		return t
	}
	t.SpendMetrics = map[string]awscloudwatch.IMetric{
		spend.IDInstanceSamples: metric(endpoints, "CPUUtilization", stat("SampleCount"), true),
	}
	t.Capacity = []awscloudwatch.IMetric{metric(endpoints, "CPUUtilization", labeled("Average", "CPU % (all cores)"), true)}
	if e.Variant() == sagemaker.VariantAsync {
		t.Alarms = append(t.Alarms, alarm(AlarmEndpointBacklog, "Requests have waited with no instance to serve them for 30 minutes: the endpoint cannot scale out.",
			0, 6, metric(aws, "HasBacklogWithoutCapacity", stat("Maximum"), false)))
	}
	t.Targets = []guard.Target{SageMakerTarget(e)}
	return t
}

// attachGuard attaches the cost guard Guard asks for, under the service.
func (s *InferenceService) attachGuard(p InferenceServiceProps) {
	if p.Guard == nil {
		return
	}
	base := *p.Guard
	if base.MonthlyBudgetUSD == 0 {
		base.MonthlyBudgetUSD = p.MonthlyBudgetUSD
	}
	s.costs = guard.NewCostGuard(s, "CostGuard", s.GuardProps(base))
}

// GuardProps completes base, the stage's choices for its cost guard
// (stage, budget, subscribers, tags, alarms, kill switch), with what the
// built tier decides: on Lambda the function, its workload, timeout,
// alias, API and log group; on a container tier the guard.Tier
// (FargateGuardTier or SageMakerGuardTier), its workload and API. On
// sagemaker-serverless, which has no instances to hold, the kill switch is
// left out with a warning. InferenceService calls it for Guard; call it
// yourself (with Guard nil) to create the guard elsewhere, for example at
// the stack's root so that its logical ids stay put when a stage moves
// between tiers.
func (s *InferenceService) GuardProps(base guard.CostGuardProps) *guard.CostGuardProps {
	gp := base
	gp.Workload = s.workload
	switch {
	case s.lambda != nil:
		l := s.lambda
		gp.Function, gp.API, gp.FunctionLogGroup = l.Function(), l, l.FunctionLogGroup()
		if t := l.Function().Node().DefaultChild().(awslambda.CfnFunction).Timeout(); t != nil {
			gp.Timeout = time.Duration(*t) * time.Second
		}
		if s.workload.Lambda.ProvisionedConcurrency > 0 {
			gp.Alias = l.Alias()
		}
		return &gp
	case s.fargate != nil:
		gp.Tier, gp.API = FargateGuardTier(s.fargate), guard.HTTPStageMetrics(s.fargate.Stage())
	default:
		gp.Tier, gp.API = SageMakerGuardTier(s.endpoint), guard.RestStageMetrics(s.endpoint.Stage())
	}
	if gp.KillSwitch != nil && len(gp.Tier.Targets) == 0 && len(gp.KillSwitch.Targets) == 0 {
		awscdk.Annotations_Of(s).AddWarningV2(jsii.String("costguard:no-kill-switch"), jsii.String(
			"tier "+string(s.decision.Tier)+" has nothing the kill switch can stop (no instances to hold at a minimum); "+
				"the kill switch is left out: spend is bounded by the endpoint's MaxConcurrency and the API's throttle, and the dollar alarms still notify"), nil)
		gp.KillSwitch = nil
	}
	return &gp
}
