package service

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	elb "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// TierGuard watches a container tier (Fargate or SageMaker) until the cost
// guard accepts one: a dollar alarm on the tier's own metrics, priced from
// cost/pricing, and the tier's operational alarms, all to an encrypted
// topic. The budget and the kill switch stay with constructs/guard, which
// today requires a Lambda function.
type TierGuard struct {
	constructs.Construct
	topic  awssns.ITopic
	spend  awscloudwatch.Alarm
	alarms map[string]awscloudwatch.Alarm
}

// The tier guard's alarm names (construct ids).
const (
	AlarmTierSpendRate        = "SpendRate"
	AlarmFargateCPUHigh       = "FargateCpuHigh"
	AlarmFargateTarget5xxRate = "FargateTarget5xxRate"
	AlarmFargateUnhealthy     = "FargateUnhealthyTargets"
	AlarmFargateLatencyP99    = "FargateLatencyP99"
	AlarmEndpoint5xx          = "Endpoint5xxErrors"
	AlarmEndpointLatencyP99   = "EndpointModelLatencyP99"
	AlarmEndpointBacklog      = "EndpointBacklogStuck"
)

// tierAlarm is one operational alarm, as data.
type tierAlarm struct {
	name, description string
	metric            awscloudwatch.IMetric
	threshold         float64
	evaluations       int
}

// spendModel is a tier's spend as a CloudWatch metric-math expression in
// US dollars per hour, over five-minute periods.
type spendModel struct {
	metrics    map[string]awscloudwatch.IMetric
	expression string
}

const fiveMinutes = 5 * time.Minute

// periodsPerHour is how many metric periods make an hour.
const periodsPerHour = float64(time.Hour / fiveMinutes)

// num prints v for metric math, which reads 1e-05 as an identifier.
// Ten decimals keep a hundredth of a micro-dollar and hide float noise.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 10, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// fargateSpendExpression is the Fargate tier's dollars per hour: running
// tasks at the task-hour price plus HTTP API requests at the per-request
// price.
func fargateSpendExpression(p pricing.Prices, f workload.Fargate) string {
	taskHour := p.Fargate.TaskHour(pricing.Arch(f.Architecture), f.CPU, f.MemoryMiB)
	return fmt.Sprintf("tasks * %s + requests * %s", num(taskHour), num(p.APIGateway.HTTPPerRequest()*periodsPerHour))
}

// sageMakerSpendExpression is a SageMaker tier's dollars per hour.
// Serverless: invocations × average model latency (microseconds) × memory
// at the per-GB-second price. Instances: the instances reporting CPU
// utilization (one sample a minute each) at the hourly price. Both add the
// REST API's requests.
func sageMakerSpendExpression(p pricing.Prices, t workload.Tier, s workload.SageMaker) string {
	api := num(p.APIGateway.RESTPerRequest() * periodsPerHour)
	if t == workload.TierSageMakerServerless {
		gbSecond := float64(s.MemoryMiB) / pricing.MiBPerGiB * p.SageMaker.ServerlessPerGBSecond
		return fmt.Sprintf("invocations * latency / 1000000 * %s + requests * %s", num(gbSecond*periodsPerHour), api)
	}
	hourly := p.SageMaker.Instances[s.InstanceType].Hourly
	samplesPerPeriod := fiveMinutes.Minutes()
	return fmt.Sprintf("instanceSamples / %s * %s + requests * %s", num(samplesPerPeriod), num(hourly), api)
}

func (s *InferenceService) attachTierGuard(p InferenceServiceProps) {
	if p.Guard == nil {
		return
	}
	prices, _ := pricing.ForRegion(p.Guard.PriceRegion)
	g := &TierGuard{alarms: map[string]awscloudwatch.Alarm{}}
	constructs.NewConstruct_Override(g, s, jsii.String("CostGuard"))
	g.topic = p.Guard.Topic
	if g.topic == nil {
		g.topic = newTopic(g, p.Guard.Stage, p.Guard.EmailSubscribers)
	}
	period := &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(fiveMinutes.Minutes()))}
	stat := func(name string) *awscloudwatch.MetricOptions {
		o := *period
		o.Statistic = jsii.String(name)
		return &o
	}
	var model spendModel
	var alarms []tierAlarm
	if f := s.fargate; f != nil {
		svc := f.Service()
		model = spendModel{
			expression: fargateSpendExpression(prices, *s.workload.Fargate),
			metrics: map[string]awscloudwatch.IMetric{
				"tasks": awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
					Namespace: jsii.String("ECS/ContainerInsights"), MetricName: jsii.String("RunningTaskCount"),
					DimensionsMap: &map[string]*string{"ClusterName": f.Cluster().ClusterName(), "ServiceName": svc.ServiceName()},
					Statistic:     jsii.String("Average"), Period: period.Period,
				}),
				"requests": guard.HttpStageMetrics(f.Stage()).MetricAPIRequests(stat("Sum")),
			},
		}
		alarms = []tierAlarm{
			{AlarmFargateCPUHigh, "Average CPU passed 85% for 15 minutes while autoscaling is at its maximum or too slow: raise MaxTasks or the task size.",
				f.MetricCPUUtilization(stat("Average")), 85, 3},
			{AlarmFargateTarget5xxRate, "More than 10 responses from the model server were 5XX in each of 3 five-minute periods: read the container's logs.",
				f.TargetGroup().Metrics().HttpCodeTarget(elb.HttpCodeTarget_TARGET_5XX_COUNT, stat("Sum")), 10, 3},
			{AlarmFargateUnhealthy, "A task failed its GET /health check for 15 minutes: the model did not load or the task is starved.",
				f.TargetGroup().Metrics().UnhealthyHostCount(stat("Maximum")), 0, 3},
			{AlarmFargateLatencyP99, "The model server's p99 response time passed 25 seconds for 15 minutes: the HTTP API gives up at 30.",
				f.MetricTargetResponseTime(stat("p99")), 25, 3},
		}
	} else if e := s.endpoint; e != nil {
		metrics := map[string]awscloudwatch.IMetric{"requests": guard.RestStageMetrics(e.Stage()).MetricAPIRequests(stat("Sum"))}
		sageMetric := func(ns, name, statistic string, variant bool) awscloudwatch.Metric {
			dims := map[string]*string{"EndpointName": jsii.String(e.EndpointName())}
			if variant {
				dims["VariantName"] = jsii.String("AllTraffic")
			}
			return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String(ns), MetricName: jsii.String(name),
				DimensionsMap: &dims, Statistic: jsii.String(statistic), Period: period.Period})
		}
		if s.decision.Tier == workload.TierSageMakerServerless {
			metrics["invocations"] = sageMetric("AWS/SageMaker", "Invocations", "Sum", true)
			metrics["latency"] = sageMetric("AWS/SageMaker", "ModelLatency", "Average", true)
		} else {
			metrics["instanceSamples"] = sageMetric("/aws/sagemaker/Endpoints", "CPUUtilization", "SampleCount", true)
		}
		model = spendModel{expression: sageMakerSpendExpression(prices, s.decision.Tier, *s.workload.SageMaker), metrics: metrics}
		alarms = []tierAlarm{
			{AlarmEndpoint5xx, "The endpoint answered 5XX in 3 five-minute periods: read /aws/sagemaker/Endpoints logs.",
				sageMetric("AWS/SageMaker", "Invocation5XXErrors", "Sum", true), 0, 3},
			{AlarmEndpointLatencyP99, "The model's p99 latency passed 50 seconds for 15 minutes: InvokeEndpoint gives up at 60.",
				sageMetric("AWS/SageMaker", "ModelLatency", "p99", true), 50e6, 3},
		}
		if s.decision.Tier == workload.TierSageMakerAsync {
			alarms = append(alarms, tierAlarm{AlarmEndpointBacklog, "Requests have waited with no instance to serve them for 30 minutes: the endpoint cannot scale out.",
				sageMetric("AWS/SageMaker", "HasBacklogWithoutCapacity", "Maximum", false), 0, 6})
		}
	}
	burn := p.Guard.SpendBurnRate
	if burn == 0 {
		burn = guard.DefaultSpendBurnRate
	}
	projected := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   jsii.String(fmt.Sprintf("(%s) * %d", model.expression, pricing.HoursPerMonth)),
		UsingMetrics: &model.metrics,
		Label:        jsii.String("projected monthly USD"),
		Period:       period.Period,
	})
	budget := p.MonthlyBudgetUSD
	if p.Guard.MonthlyBudgetUSD > 0 {
		budget = p.Guard.MonthlyBudgetUSD
	}
	g.spend = projected.CreateAlarm(g, jsii.String(AlarmTierSpendRate), &awscloudwatch.CreateAlarmOptions{
		AlarmDescription: jsii.String(fmt.Sprintf("The %s tier's spend rate, projected over a month, passed %g × the $%g budget for 15 minutes.",
			s.decision.Tier, burn, budget)),
		Threshold:          jsii.Number(budget * burn),
		EvaluationPeriods:  jsii.Number(3),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	g.addActions(g.spend)
	for _, a := range alarms {
		alarm := a.metric.(interface {
			CreateAlarm(constructs.Construct, *string, *awscloudwatch.CreateAlarmOptions) awscloudwatch.Alarm
		}).CreateAlarm(g, jsii.String(a.name), &awscloudwatch.CreateAlarmOptions{
			AlarmDescription:   jsii.String(a.description),
			Threshold:          jsii.Number(a.threshold),
			EvaluationPeriods:  jsii.Number(float64(a.evaluations)),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		g.addActions(alarm)
		g.alarms[a.name] = alarm
	}
	s.tierGuard = g
}

func (g *TierGuard) addActions(a awscloudwatch.Alarm) {
	action := awscloudwatchactions.NewSnsAction(g.topic)
	a.AddAlarmAction(action)
	a.AddOkAction(action)
}

// newTopic creates an encrypted, TLS-only topic that CloudWatch alarms may
// publish to, with the subscribers.
func newTopic(scope constructs.Construct, stage string, emails []string) awssns.ITopic {
	key := awskms.NewKey(scope, jsii.String("TopicKey"), &awskms.KeyProps{
		Description:       jsii.String("costguard " + stage + ": encrypts the tier guard's topic"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_DESTROY,
	})
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchToPublishEncrypted"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": awscdk.Stack_Of(scope).Account()}},
	}), jsii.Bool(true))
	t := awssns.NewTopic(scope, jsii.String("Topic"), &awssns.TopicProps{
		DisplayName: jsii.String("costguard " + stage),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	// A topic policy (EnforceSSL makes one) replaces SNS's default policy,
	// so this account's CloudWatch alarms are let in explicitly.
	stack := awscdk.Stack_Of(scope)
	t.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsToPublish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  &[]*string{t.TopicArn()},
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]any{"aws:SourceArn": awscdk.Fn_Join(jsii.String(""), &[]*string{
				jsii.String("arn:"), stack.Partition(), jsii.String(":cloudwatch:"), stack.Region(), jsii.String(":"),
				stack.Account(), jsii.String(":alarm:*")})},
		},
	}))
	for _, e := range emails {
		t.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(e), nil))
	}
	return t
}

// Topic returns the topic the tier guard's alarms notify.
func (g *TierGuard) Topic() awssns.ITopic { return g.topic }

// SpendAlarm returns the dollar alarm.
func (g *TierGuard) SpendAlarm() awscloudwatch.IAlarm { return g.spend }

// Alarm returns the operational alarm of that name, or nil.
func (g *TierGuard) Alarm(name string) awscloudwatch.IAlarm {
	if a, ok := g.alarms[name]; ok {
		return a
	}
	return nil
}
