package fargate

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	elb "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/killswitch"
)

// The Fargate tier's operational alarm names: construct ids of the
// guard's alarms and keys of guard.CostGuardProps.Alarms.
const (
	AlarmCPUHigh          = "FargateCpuHigh"
	AlarmTarget5xxRate    = "FargateTarget5xxRate"
	AlarmUnhealthyTargets = "FargateUnhealthyTargets"
	AlarmLatencyP99       = "FargateLatencyP99"
)

// KindECSService is the kill switch's driver of a Fargate service (name
// "CLUSTER/SERVICE"): it holds the service's scalable target at 0..0 and
// sets the desired count to 0; restore puts back what was recorded.
const KindECSService = killswitch.KindECSService

// GuardTier describes the service to the cost guard
// (guard.CostGuardProps.Tier): its workload, running tasks (Container
// Insights' RunningTaskCount) and the NAT gateways it created for the
// dollar model, the HTTP API, the service's CPU, the model server's 5XX,
// unhealthy targets and p99 response time as alarms, [Service.KillSwitchTarget],
// and traffic, errors, latency and capacity for the dashboard. Nil when
// the construct reported problems (see Err).
func (s *Service) GuardTier() *guard.Tier {
	if s.err != nil {
		return nil
	}
	tasks := func(o *awscloudwatch.MetricOptions) awscloudwatch.Metric {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("ECS/ContainerInsights"), MetricName: jsii.String("RunningTaskCount"),
			DimensionsMap: &map[string]*string{"ClusterName": s.cluster.ClusterName(), "ServiceName": s.service.ServiceName()},
			Statistic:     o.Statistic, Period: o.Period, Label: o.Label,
		})
	}
	stat, labeled := func(st string) *awscloudwatch.MetricOptions { return guard.FiveMinutes(st, "") }, guard.FiveMinutes
	tg := s.targetGroup.Metrics()
	return &guard.Tier{
		Workload:     s.workloadInfo,
		API:          guard.HTTPStageMetrics(s.stage),
		SpendMetrics: map[string]awscloudwatch.IMetric{spend.IDTasks: tasks(stat("Average"))},
		Alarms: []guard.TierAlarm{
			guard.NewTierAlarm(AlarmCPUHigh, "Average CPU passed 85% for 15 minutes while autoscaling is at its maximum or too slow: raise MaxTasks or the task size.",
				85, 3, s.MetricCPUUtilization(stat("Average"))),
			guard.NewTierAlarm(AlarmTarget5xxRate, "More than 10 responses from the model server were 5XX in each of 3 five-minute periods: read the container's logs.",
				10, 3, tg.HttpCodeTarget(elb.HttpCodeTarget_TARGET_5XX_COUNT, stat("Sum"))),
			guard.NewTierAlarm(AlarmUnhealthyTargets, "A task failed its GET /health check for 15 minutes: the model did not load or the task is starved.",
				0, 3, tg.UnhealthyHostCount(stat("Maximum"))),
			guard.NewTierAlarm(AlarmLatencyP99, "The model server's p99 response time passed 25 seconds for 15 minutes: the HTTP API gives up at 30.",
				25, 3, s.MetricTargetResponseTime(stat("p99"))),
		},
		Targets:     []guard.Target{s.KillSwitchTarget()},
		NATGateways: s.NATGateways(),
		// Each NAT gateway holds an Elastic IP, billed by the hour.
		PublicIPv4: s.NATGateways(),
		Extras: frontdoor.Extras(s.logs, s.accessLogs, s.workloadInfo.Traffic.PayloadBytes,
			strings.EqualFold(s.props.Environment[workload.ServerMetricsEnv], workload.ServerMetricsOff), guard.LogRetentionMonths),
		AccessLogFormat: frontdoor.AccessLogLine(workload.FrontDoorHTTP),
		// Container Insights on the construct's cluster: its metrics for
		// the cluster, the service and the task family, billed as custom
		// metrics (counts from cost/pricing, as the report counts them).
		CustomMetrics: s.containerInsightsMetrics(),
		Traffic:       []awscloudwatch.IMetric{s.MetricRequestCount(labeled("Sum", "Load balancer requests"))},
		Errors:        []awscloudwatch.IMetric{tg.HttpCodeTarget(elb.HttpCodeTarget_TARGET_5XX_COUNT, labeled("Sum", "Model server 5XX"))},
		Latency:       []awscloudwatch.IMetric{s.MetricTargetResponseTime(labeled("p50", "Target p50 (s)")), s.MetricTargetResponseTime(labeled("p99", "Target p99 (s)"))},
		Widgets: []awscloudwatch.IWidget{awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("Capacity (fargate)"), Width: jsii.Number(24), Height: jsii.Number(6),
			Left: &[]awscloudwatch.IMetric{tasks(labeled("Average", "Running tasks")), s.MetricCPUUtilization(labeled("Average", "CPU %"))},
		})},
	}
}

// containerInsightsMetrics counts the custom metrics Container Insights
// publishes for the construct's cluster (one service, one task family).
func (s *Service) containerInsightsMetrics() int {
	ci := pricing.Default().CloudWatch.ContainerInsights
	return ci.PerCluster + ci.PerService + ci.PerTaskFamily
}

// KillSwitchTarget is the kill switch's target of the service: scale it to
// 0 tasks (its GuardTier's target). Nil when the construct reported
// problems.
func (s *Service) KillSwitchTarget() guard.Target {
	if s.err != nil {
		return nil
	}
	return killSwitchTarget{s}
}

type killSwitchTarget struct{ s *Service }

func (t killSwitchTarget) BindKillSwitch(grantee awsiam.IGrantable) guard.TargetBinding {
	svc := t.s.service
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings("ecs:DescribeServices", "ecs:UpdateService"), ResourceArns: &[]*string{svc.ServiceArn()},
	})
	guard.GrantScalableTargets(grantee)
	name := awscdk.Fn_Join(jsii.String("/"), &[]*string{t.s.cluster.ClusterName(), svc.ServiceName()})
	return guard.TargetBinding{Kind: KindECSService, Name: name}
}

// GrantInvoke lets grantee call POST /predict on the HTTP API
// (execute-api:Invoke on the route). The tasks sit behind an internal load
// balancer in private subnets, so the API is the only way in; the grant
// takes effect when the route uses IAM authorization. Nil when the
// construct reported problems.
func (s *Service) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	if s.err != nil {
		return nil
	}
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings("execute-api:Invoke"),
		ResourceArns: &[]*string{s.api.ArnForExecuteApi(jsii.String("POST"), jsii.String("/predict"), s.stage.StageName())},
	})
}
