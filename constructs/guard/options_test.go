package guard_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// A stage without an API, an alias or a kill switch, notifying an
// existing topic, gets only what applies to it.
func TestCostGuardMinimal(t *testing.T) {
	f := newFixture(t, "Minimal", workload.FrontDoorNone, false)
	p := f.props(workload.FrontDoorNone)
	p.Topic = awssns.Topic_FromTopicArn(f.stack, jsii.String("Existing"), jsii.String("arn:aws:sns:us-east-1:123456789012:ops"))
	g := guard.NewCostGuard(f.stack, "CostGuard", p)
	tmpl := cdktest.Template(t, f.stack)
	template := assertions.Template_FromStack(f.stack, nil)

	t.Run("no topic, key or kill switch", func(t *testing.T) {
		template.ResourceCountIs(jsii.String("AWS::SNS::Topic"), jsii.Number(0))
		template.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(0))
		template.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(1))
		template.ResourceCountIs(jsii.String("AWS::SSM::Parameter"), jsii.Number(0))
		template.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(0))
		if g.Key() != nil || g.KillSwitchFunction() != nil || g.TriggerTopic() != nil {
			t.Error("accessors of resources not created are not nil")
		}
	})
	t.Run("only function alarms", func(t *testing.T) {
		want := []string{inference.AlarmLambdaConcurrencyNearCap, inference.AlarmLambdaDurationOfTimeout, inference.AlarmLambdaErrorRate,
			inference.AlarmLambdaThrottles, guard.AlarmRunawaySpend, guard.AlarmSpendRate}
		if got := alarmNames(tmpl); !slices.Equal(got, want) {
			t.Errorf("alarms\n got %q\nwant %q", got, want)
		}
		for _, name := range want {
			if acts := toJSON(alarmByName(t, tmpl, name)["AlarmActions"]); acts != `["arn:aws:sns:us-east-1:123456789012:ops"]` {
				t.Errorf("%s actions %s", name, acts)
			}
		}
	})
	t.Run("budget to the existing topic, scoped by the stage tag", func(t *testing.T) {
		if n := len(resources(tmpl, "AWS::Budgets::Budget")); n != 1 {
			t.Fatalf("%d budgets, want 1", n)
		}
		for _, b := range resources(tmpl, "AWS::Budgets::Budget") {
			if got := toJSON(b["Budget"].(map[string]any)["FilterExpression"]); got != `{"Tags":{"Key":"stage","MatchOptions":["EQUALS"],"Values":["dev"]}}` {
				t.Errorf("filter %s", got)
			}
			for _, n := range b["NotificationsWithSubscribers"].([]any) {
				if s := toJSON(n.(map[string]any)["Subscribers"]); s != `[{"Address":"arn:aws:sns:us-east-1:123456789012:ops","SubscriptionType":"SNS"}]` {
					t.Errorf("subscribers %s", s)
				}
			}
		}
	})
	t.Run("dollar metric without the API", func(t *testing.T) {
		s := toJSON(alarmByName(t, tmpl, guard.AlarmSpendRate)["Metrics"])
		if strings.Contains(s, "ApiGateway") || strings.Contains(s, "req") {
			t.Errorf("spend metrics mention an API: %s", s)
		}
	})
	t.Run("dashboard without API or PC widgets", func(t *testing.T) {
		if n := len(resources(tmpl, "AWS::CloudWatch::Dashboard")); n != 1 {
			t.Fatalf("%d dashboards, want 1", n)
		}
		for _, d := range resources(tmpl, "AWS::CloudWatch::Dashboard") {
			body := toJSON(d["DashboardBody"])
			for _, absent := range []string{"ApiGateway", "Provisioned"} {
				if strings.Contains(body, absent) {
					t.Errorf("dashboard mentions %s", absent)
				}
			}
		}
	})
}

// Each option, on one stack: an HTTP API, overrides, custom thresholds and
// burn rates, no dashboard, a kill switch without the scheduled restore.
func TestCostGuardOptions(t *testing.T) {
	f := newFixture(t, "Options", workload.FrontDoorHTTP, false)
	p := f.props(workload.FrontDoorHTTP)
	p.Stage = "staging"
	p.MonthlyBudgetUSD = 200
	p.SpendBurnRate = 1.5
	p.RunawayBurnRate = 8
	p.BudgetName = "my-budget"
	p.BudgetThresholds = []guard.BudgetThreshold{{Percent: 90, TripsKillSwitch: true}, {Percent: 120, Forecasted: true}}
	p.Alarms = map[string]guard.AlarmOverride{
		inference.AlarmLambdaThrottles: {Disabled: true},
		inference.AlarmLambdaErrorRate: {Threshold: 2, EvaluationPeriods: 6, DatapointsToAlarm: 4},
		guard.AlarmAPILatencyP99:       {Threshold: 1500},
	}
	p.DisableDashboard = true
	p.KillSwitch = &guard.KillSwitchOptions{Code: bucketCode(f.stack, "ks.zip"), DisableScheduledRestore: true, StateParameterName: "/team/ks"}
	g := guard.NewCostGuard(f.stack, "CostGuard", p)
	tmpl := cdktest.Template(t, f.stack)
	template := assertions.Template_FromStack(f.stack, nil)

	t.Run("burn rates", func(t *testing.T) {
		if a := alarmByName(t, tmpl, guard.AlarmSpendRate); a["Threshold"] != 300.0 {
			t.Errorf("spend threshold %v", a["Threshold"])
		}
		if a := alarmByName(t, tmpl, guard.AlarmRunawaySpend); a["Threshold"] != 1600.0 {
			t.Errorf("runaway threshold %v", a["Threshold"])
		}
	})
	t.Run("HTTP API metrics and price", func(t *testing.T) {
		s := toJSON(alarmByName(t, tmpl, guard.AlarmSpendRate)["Metrics"])
		if !strings.Contains(s, `"Name":"ApiId"`) || !strings.Contains(s, "FILL(req, 0) * 0.000001") {
			t.Errorf("spend metrics %s", s)
		}
		if alarmByName(t, tmpl, guard.AlarmAPIServerErrorRate) == nil {
			t.Error("no API 5XX alarm for the HTTP API")
		}
	})
	t.Run("alarm overrides", func(t *testing.T) {
		if alarmByName(t, tmpl, inference.AlarmLambdaThrottles) != nil {
			t.Error("disabled alarm created")
		}
		a := alarmByName(t, tmpl, inference.AlarmLambdaErrorRate)
		if a["Threshold"] != 2.0 || a["EvaluationPeriods"] != 6.0 || a["DatapointsToAlarm"] != 4.0 {
			t.Errorf("error-rate alarm %v/%v/%v", a["Threshold"], a["EvaluationPeriods"], a["DatapointsToAlarm"])
		}
		if a := alarmByName(t, tmpl, guard.AlarmAPILatencyP99); a["Threshold"] != 1500.0 {
			t.Errorf("latency threshold %v", a["Threshold"])
		}
	})
	t.Run("custom budget", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Budgets::Budget"), map[string]any{
			"Budget": assertions.Match_ObjectLike(&map[string]any{"BudgetName": assertions.Match_StringLikeRegexp(jsii.String("^my-budget-[0-9a-f]{8}$")), "BudgetLimit": map[string]any{"Amount": 200, "Unit": "USD"}}),
			"NotificationsWithSubscribers": []any{
				assertions.Match_ObjectLike(&map[string]any{
					"Notification": map[string]any{"NotificationType": "ACTUAL", "Threshold": 90, "ComparisonOperator": "GREATER_THAN", "ThresholdType": "PERCENTAGE"},
					"Subscribers":  []any{map[string]any{"SubscriptionType": "SNS", "Address": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("KillSwitchTrigger"))}}},
				}),
				assertions.Match_ObjectLike(&map[string]any{
					"Notification": map[string]any{"NotificationType": "FORECASTED", "Threshold": 120, "ComparisonOperator": "GREATER_THAN", "ThresholdType": "PERCENTAGE"},
				}),
			},
		})
		if !regexp.MustCompile(`^my-budget-[0-9a-f]{8}$`).MatchString(g.BudgetName()) {
			t.Errorf("BudgetName() = %q", g.BudgetName())
		}
	})
	t.Run("no dashboard, no schedule, custom parameter", func(t *testing.T) {
		template.ResourceCountIs(jsii.String("AWS::CloudWatch::Dashboard"), jsii.Number(0))
		template.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(0))
		template.HasResourceProperties(jsii.String("AWS::SSM::Parameter"), map[string]any{"Name": "/team/ks", "Value": `{"version":1,"stage":"staging","stopped":{}}`})
		if g.Dashboard() != nil || g.StateParameterName() != "/team/ks" {
			t.Error("accessors")
		}
	})
}

func TestCustomRestoreSchedule(t *testing.T) {
	f := newFixture(t, "Schedule", workload.FrontDoorNone, false)
	p := f.props(workload.FrontDoorNone)
	p.KillSwitch = &guard.KillSwitchOptions{Code: bucketCode(f.stack, "ks.zip"), RestoreSchedule: awsevents.Schedule_Expression(jsii.String("cron(0 8 1 * ? *)"))}
	guard.NewCostGuard(f.stack, "CostGuard", p)
	assertions.Template_FromStack(f.stack, nil).HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{"ScheduleExpression": "cron(0 8 1 * ? *)"})
}

// Each validation rule, with the field, the bad value and what is allowed,
// under the construct's path; all problems are reported together.
func TestValidation(t *testing.T) {
	f := newFixture(t, "Validation", workload.FrontDoorREST, false)
	existing := awssns.Topic_FromTopicArn(f.stack, jsii.String("Existing"), jsii.String("arn:aws:sns:us-east-1:123456789012:ops"))
	tests := []struct {
		name   string
		modify func(p *guard.CostGuardProps)
		want   []string
	}{
		{"nil props", nil, []string{`Stage: "" is not a stage name`, "MonthlyBudgetUSD: 0 is not a positive amount", "Tier: missing (the guarded tier is required: pass the tier construct's GuardTier())"}},
		{"stage", func(p *guard.CostGuardProps) { p.Stage = "Prod" }, []string{`Stage: "Prod" is not a stage name (lower-case letters`}},
		{"budget", func(p *guard.CostGuardProps) { p.MonthlyBudgetUSD = -5 }, []string{"MonthlyBudgetUSD: -5 is not a positive amount of dollars"}},
		{"workload tier", func(p *guard.CostGuardProps) { p.Tier.Workload.Tier = workload.TierFargate }, []string{`Tier.Workload: `}},
		{"workload invalid", func(p *guard.CostGuardProps) { p.Tier.Workload.Traffic.RequestsPerMonth = -1 }, []string{"Tier.Workload: workload traffic.requestsPerMonth: -1 is negative"}},
		{"timeout", func(p *guard.CostGuardProps) { p.Tier.Timeout = 20 * time.Minute }, []string{"Tier.Timeout: 20m0s is outside 1s to 15m0s"}},
		{"emails with topic", func(p *guard.CostGuardProps) { p.Topic = existing; p.EmailSubscribers = []string{"a@example.com"} }, []string{"EmailSubscribers: 1 given with an existing Topic"}},
		{"bad email", func(p *guard.CostGuardProps) { p.EmailSubscribers = []string{"Ops <ops@example.com>"} }, []string{`EmailSubscribers[0]: "Ops <ops@example.com>" is not a bare e-mail address`}},
		{"price region", func(p *guard.CostGuardProps) { p.PriceRegion = "eu-west-9" }, []string{`PriceRegion: region "eu-west-9" is not priced (priced: us-east-1)`}},
		{"aws tag", func(p *guard.CostGuardProps) { p.CostAllocationTags = map[string]string{"aws:createdBy": "x"} }, []string{`CostAllocationTags: "aws:createdBy"="x" is not a user tag`}},
		{"budget name", func(p *guard.CostGuardProps) { p.BudgetName = "a:b" }, []string{`BudgetName: "a:b" is not a budget name`}},
		{"threshold percent", func(p *guard.CostGuardProps) { p.BudgetThresholds = []guard.BudgetThreshold{{Percent: 0}} }, []string{"BudgetThresholds[0].Percent: 0 is outside (0, 1000]"}},
		{"forecast trips", func(p *guard.CostGuardProps) {
			p.BudgetThresholds = []guard.BudgetThreshold{{Percent: 100, Forecasted: true, TripsKillSwitch: true}}
		}, []string{"BudgetThresholds[0]: a forecasted notification may not trip the kill switch"}},
		{"two trip", func(p *guard.CostGuardProps) {
			p.BudgetThresholds = []guard.BudgetThreshold{{Percent: 90, TripsKillSwitch: true}, {Percent: 100, TripsKillSwitch: true}}
		}, []string{"BudgetThresholds: 2 thresholds trip the kill switch, at most 1 may"}},
		{"duplicate threshold", func(p *guard.CostGuardProps) {
			p.BudgetThresholds = []guard.BudgetThreshold{{Percent: 80}, {Percent: 80}}
		}, []string{"BudgetThresholds[1]: 80% actual is given twice"}},
		{"too many thresholds", func(p *guard.CostGuardProps) {
			p.BudgetThresholds = []guard.BudgetThreshold{{Percent: 10}, {Percent: 20}, {Percent: 30}, {Percent: 40}, {Percent: 50}, {Percent: 60}}
		}, []string{"BudgetThresholds: 6 notifications, AWS Budgets allows at most 5"}},
		{"burn rates", func(p *guard.CostGuardProps) { p.SpendBurnRate = 3; p.RunawayBurnRate = 2 }, []string{"RunawayBurnRate: 2 is below SpendBurnRate 3"}},
		{"caps derived", func(p *guard.CostGuardProps) { p.CapsDerived = []string{"rateLimit", "quota"} }, []string{`CapsDerived[1]: "quota" is not one of monthlyQuota, rateLimit, burstLimit, reservedConcurrency`}},
		{"unknown alarm", func(p *guard.CostGuardProps) { p.Alarms = map[string]guard.AlarmOverride{"Errors": {Threshold: 1}} }, []string{`Alarms: "Errors" is not an alarm (one of LambdaErrorRate, LambdaThrottles`}},
		{"alarm datapoints", func(p *guard.CostGuardProps) {
			p.Alarms = map[string]guard.AlarmOverride{inference.AlarmLambdaErrorRate: {DatapointsToAlarm: 5}}
		}, []string{`Alarms["LambdaErrorRate"].DatapointsToAlarm: 5 is above EvaluationPeriods 3`}},
		{"kill switch parameter", func(p *guard.CostGuardProps) {
			p.KillSwitch = &guard.KillSwitchOptions{Code: bucketCode(f.stack, "x"+p.Stage), StateParameterName: "costguard/dev"}
		}, []string{`KillSwitch.StateParameterName: "costguard/dev" is not a parameter path`}},
		{"schedule with restore disabled", func(p *guard.CostGuardProps) {
			p.KillSwitch = &guard.KillSwitchOptions{Code: bucketCode(f.stack, "y"+p.Stage), DisableScheduledRestore: true, RestoreSchedule: awsevents.Schedule_Expression(jsii.String("rate(1 day)"))}
		}, []string{"KillSwitch.RestoreSchedule: set while DisableScheduledRestore is true"}},
		{"provisioned concurrency over budget", func(p *guard.CostGuardProps) {
			p.MonthlyBudgetUSD = 5
			p.Tier.Workload.Lambda.ProvisionedConcurrency = 10
		},
			[]string{"MonthlyBudgetUSD: 5 is below the provisioned concurrency's fixed $87.60 a month"}},
		{"tier without the metrics its workload prices", func(p *guard.CostGuardProps) { w := p.Tier.Workload; toTier(p); p.Tier.Workload = w },
			[]string{`Tier.SpendMetrics: no metric "inv" (the lambda tier's dollar model needs inv, dur)`}},
		{"tier spend metric missing", func(p *guard.CostGuardProps) { toTier(p); p.Tier.SpendMetrics = nil },
			[]string{`Tier.SpendMetrics: no metric "tasks" (the fargate tier's dollar model needs tasks)`}},
		{"tier alarms", func(p *guard.CostGuardProps) {
			toTier(p)
			m := p.Tier.SpendMetrics["tasks"]
			p.Tier.Alarms = []guard.TierAlarm{
				{AlarmSpec: guard.AlarmSpec{Name: "cpu", EvaluationPeriods: 3, DatapointsToAlarm: 3}, Metric: m},
				{AlarmSpec: guard.AlarmSpec{Name: guard.AlarmAPILatencyP99, EvaluationPeriods: 3, DatapointsToAlarm: 3}, Metric: m},
				{AlarmSpec: guard.AlarmSpec{Name: "NoMetric", EvaluationPeriods: 3, DatapointsToAlarm: 3}},
				{AlarmSpec: guard.AlarmSpec{Name: "Datapoints", EvaluationPeriods: 2, DatapointsToAlarm: 3}, Metric: m},
			}
		}, []string{`Tier.Alarms[0].Name: "cpu" is not an alarm name`, `Tier.Alarms[1].Name: "ApiLatencyP99" is given twice`,
			`Tier.Alarms[2].Metric: missing for alarm "NoMetric"`, `Tier.Alarms[3]: alarm "Datapoints" needs 1 <= DatapointsToAlarm (3) <= EvaluationPeriods (2)`}},
		{"tier nat gateways", func(p *guard.CostGuardProps) { toTier(p); p.Tier.NATGateways = -1 }, []string{"Tier.NATGateways: -1 is negative"}},
		{"tier kill switch without a target", func(p *guard.CostGuardProps) {
			toTier(p)
			p.KillSwitch = &guard.KillSwitchOptions{Code: bucketCode(f.stack, "z"+p.Stage)}
		}, []string{"KillSwitch: tier fargate has no target the kill switch can stop"}},
		{"all together", func(p *guard.CostGuardProps) { p.Stage = ""; p.MonthlyBudgetUSD = 0; p.Tier.Timeout = time.Hour },
			[]string{`Stage: ""`, "MonthlyBudgetUSD: 0", "Tier.Timeout: 1h0m0s"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *guard.CostGuardProps
			if tt.modify != nil {
				p = f.props(workload.FrontDoorREST)
				tt.modify(p)
			}
			g := guard.NewCostGuard(f.stack, "Guard"+string(rune('A'+i)), p)
			msg := cdktest.CheckReported(t, g, tt.want...)
			if !strings.HasPrefix(msg, "Validation/Guard"+string(rune('A'+i))+": ") {
				t.Errorf("message %q does not start with the construct path", msg)
			}
		})
	}
}

// fargateTier is a Fargate guard.Tier with its dollar model's metric and
// no API.
func fargateTier() *guard.Tier {
	return &guard.Tier{
		Workload: workload.Workload{Version: workload.SchemaVersion, Tier: workload.TierFargate, FrontDoor: workload.FrontDoorHTTP,
			Fargate: &workload.Fargate{CPU: 1024, MemoryMiB: 2048, Architecture: workload.ArchARM64, MinTasks: 1, MaxTasks: 2}},
		SpendMetrics: map[string]awscloudwatch.IMetric{"tasks": awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("ECS/ContainerInsights"), MetricName: jsii.String("RunningTaskCount"),
			DimensionsMap: &map[string]*string{"ClusterName": jsii.String("c"), "ServiceName": jsii.String("s")},
		})},
	}
}

// toTier turns the fixture's props into a Fargate tier's.
func toTier(p *guard.CostGuardProps) { p.Tier = fargateTier() }
