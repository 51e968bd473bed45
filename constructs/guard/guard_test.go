package guard_test

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/metricmath"
)

// fixture is a test stack with a guarded function: the inference
// construct's LambdaAPI, the tier the guard is built for.
type fixture struct {
	stack awscdk.Stack
	api   *inference.LambdaAPI
	door  workload.FrontDoor
}

func bucketCode(stack awscdk.Stack, key string) awslambda.Code {
	b := awss3.Bucket_FromBucketName(stack, jsii.String("CodeBucket"+key), jsii.String("costguard-test-code"))
	return awslambda.Code_FromBucket(b, jsii.String(key), nil)
}

func newFixture(t *testing.T, name string, door workload.FrontDoor, withAlias bool) *fixture {
	t.Helper()
	app := cdktest.NewApp(t)
	f := &fixture{stack: awscdk.NewStack(app, jsii.String(name), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})}
	pc := 0
	if withAlias {
		pc = 2
	}
	f.door = door
	if door == workload.FrontDoorNone {
		door = workload.FrontDoorREST // the props leave the API out
	}
	f.api = inference.NewLambdaAPI(f.stack, "Inference", &inference.LambdaAPIProps{
		Code: bucketCode(f.stack, "inference.zip"), MemoryMiB: 1024, Timeout: 10 * time.Second,
		ReservedConcurrency: 10, ProvisionedConcurrency: pc, FrontDoor: door,
		Traffic: workload.Traffic{RequestsPerMonth: 1e6, AvgDurationMs: 120},
	})
	if err := f.api.Err(); err != nil {
		t.Fatal(err)
	}
	return f
}

// props returns the guard's props for the fixture's tier; a fixture
// without a front door hands the guard no API.
func (f *fixture) props(workload.FrontDoor) *guard.CostGuardProps {
	t := f.api.GuardTier()
	if f.door == workload.FrontDoorNone {
		t.API, t.Workload.FrontDoor = nil, workload.FrontDoorNone
	}
	return &guard.CostGuardProps{Stage: "dev", MonthlyBudgetUSD: 50, Tier: t}
}

func resources(tmpl map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tmpl["Resources"].(map[string]any) {
		rm := r.(map[string]any)
		if rm["Type"] == typ {
			props, _ := rm["Properties"].(map[string]any)
			out[id] = props
		}
	}
	return out
}

// alarmByName finds the alarm whose AlarmName ends in -name.
func alarmByName(t *testing.T, tmpl map[string]any, name string) map[string]any {
	t.Helper()
	for _, p := range resources(tmpl, "AWS::CloudWatch::Alarm") {
		if n, ok := p["AlarmName"].(string); ok && strings.HasSuffix(n, "-"+name) {
			return p
		}
	}
	return nil
}

func alarmNames(tmpl map[string]any) []string {
	var names []string
	for _, p := range resources(tmpl, "AWS::CloudWatch::Alarm") {
		n := p["AlarmName"].(string)
		names = append(names, n[strings.LastIndex(n, "-")+1:])
	}
	slices.Sort(names)
	return names
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCostGuardFull(t *testing.T) {
	// GIVEN a REST API over an alias with provisioned concurrency, WHEN the
	// guard is attached with the kill switch, e-mails and two tags
	f := newFixture(t, "Full", workload.FrontDoorREST, true)
	cdktest.AddNagChecks(f.stack)
	p := f.props(workload.FrontDoorREST)
	p.EmailSubscribers = []string{"oncall@example.com", "ml@example.com"}
	p.CostAllocationTags = map[string]string{"application": "costguard", "stage": "dev"}
	p.KillSwitch = &guard.KillSwitchOptions{Code: bucketCode(f.stack, "killswitch.zip")}
	g := guard.NewCostGuard(f.stack, "CostGuard", p)
	tmpl := cdktest.Template(t, f.stack)
	template := assertions.Template_FromStack(f.stack, nil)

	t.Run("budget", func(t *testing.T) {
		budgets := resources(tmpl, "AWS::Budgets::Budget")
		if len(budgets) != 1 {
			t.Fatalf("%d budgets", len(budgets))
		}
		for _, b := range budgets {
			data := b["Budget"].(map[string]any)
			if data["BudgetType"] != "COST" || data["TimeUnit"] != "MONTHLY" || toJSON(data["BudgetLimit"]) != `{"Amount":50,"Unit":"USD"}` {
				t.Errorf("budget data %s", toJSON(data))
			}
			// The name ends with a hash of the notifications, so a change of
			// them (create-only) replaces the budget under a new name.
			if name, _ := data["BudgetName"].(string); !regexp.MustCompile(`^Full-dev-us-east-1-[0-9a-f]{8}$`).MatchString(name) || name != g.BudgetName() {
				t.Errorf("budget name %v", data["BudgetName"])
			}
			want := `{"And":[{"Tags":{"Key":"application","MatchOptions":["EQUALS"],"Values":["costguard"]}},{"Tags":{"Key":"stage","MatchOptions":["EQUALS"],"Values":["dev"]}}]}`
			if got := toJSON(data["FilterExpression"]); got != want {
				t.Errorf("filter\n got %s\nwant %s", got, want)
			}
			notes := b["NotificationsWithSubscribers"].([]any)
			var got []string
			for _, n := range notes {
				nm := n.(map[string]any)
				note := nm["Notification"].(map[string]any)
				subs := nm["Subscribers"].([]any)
				addr := toJSON(subs[0].(map[string]any)["Address"])
				topic := "topic"
				if strings.Contains(addr, "KillSwitchTrigger") {
					topic = "trigger"
				}
				got = append(got, fmt.Sprintf("%s %v %s %s+%d", note["NotificationType"], note["Threshold"], note["ComparisonOperator"], topic, len(subs)-1))
			}
			want2 := []string{"ACTUAL 50 GREATER_THAN topic+0", "ACTUAL 80 GREATER_THAN topic+0", "ACTUAL 100 GREATER_THAN trigger+2", "FORECASTED 100 GREATER_THAN topic+0"}
			if !slices.Equal(got, want2) {
				t.Errorf("notifications\n got %q\nwant %q", got, want2)
			}
		}
	})

	t.Run("topics encrypted, TLS only, open to budgets", func(t *testing.T) {
		template.ResourceCountIs(jsii.String("AWS::SNS::Topic"), jsii.Number(2))
		template.AllResourcesProperties(jsii.String("AWS::SNS::Topic"), map[string]any{
			"KmsMasterKeyId": assertions.Match_ObjectLike(&map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("CostGuardTopicKey"))})}),
		})
		template.ResourceCountIs(jsii.String("AWS::SNS::TopicPolicy"), jsii.Number(2))
		for id, pol := range resources(tmpl, "AWS::SNS::TopicPolicy") {
			s := toJSON(pol)
			if !strings.Contains(s, `"aws:SecureTransport":"false"`) || !strings.Contains(s, `"Service":"budgets.amazonaws.com"`) ||
				!strings.Contains(s, `"aws:SourceAccount":"123456789012"`) || !strings.Contains(s, `arn:aws:budgets::123456789012:*`) ||
				!strings.Contains(s, `"Service":"cloudwatch.amazonaws.com"`) || !strings.Contains(s, `arn:aws:cloudwatch:us-east-1:123456789012:alarm:*`) {
				t.Errorf("topic policy %s: %s", id, s)
			}
		}
		template.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{
			"EnableKeyRotation": true,
			"KeyPolicy": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey*"},
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"}},
			})})},
		})
		for _, e := range p.EmailSubscribers {
			template.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{"Protocol": "email", "Endpoint": e})
		}
	})

	t.Run("dollar alarms price the metrics like the cost model", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			threshold float64
			periods   float64
		}{{guard.AlarmSpendRate, 50, 3}, {guard.AlarmRunawaySpend, 100, 2}} {
			a := alarmByName(t, tmpl, tc.name)
			if a == nil {
				t.Fatalf("no %s alarm", tc.name)
			}
			if a["Threshold"] != tc.threshold || a["EvaluationPeriods"] != tc.periods || a["TreatMissingData"] != "notBreaching" {
				t.Errorf("%s: threshold %v periods %v missing %v", tc.name, a["Threshold"], a["EvaluationPeriods"], a["TreatMissingData"])
			}
			var expr string
			ids := map[string]string{}
			for _, m := range a["Metrics"].([]any) {
				mm := m.(map[string]any)
				if e, ok := mm["Expression"].(string); ok {
					expr = e
					continue
				}
				ms := mm["MetricStat"].(map[string]any)
				ids[mm["Id"].(string)] = fmt.Sprintf("%s/%s %s %v", ms["Metric"].(map[string]any)["Namespace"], ms["Metric"].(map[string]any)["MetricName"], ms["Stat"], ms["Period"])
			}
			wantIDs := map[string]string{"inv": "AWS/Lambda/Invocations Sum 300", "dur": "AWS/Lambda/Duration Sum 300", "req": "AWS/ApiGateway/Count Sum 300",
				"init": "costguard/FullInference125F0976/InitDuration Sum 300",
				"pce":  "AWS/Lambda/ProvisionedConcurrentExecutions Maximum 300", "pcu": "AWS/Lambda/ProvisionedConcurrencyUtilization Maximum 300"}
			if toJSON(ids) != toJSON(wantIDs) {
				t.Errorf("%s metrics %v, want %v", tc.name, ids, wantIDs)
			}
			// A month of 30M requests of 120 ms, 1 % cold starts of 600 ms,
			// one of the two provisioned environments in use, as
			// five-minute datapoints, through the expression exactly as
			// synthesized.
			const requests, avgMs, coldRate, initMs = 30e6, 120.0, 0.01, 600.0
			inv := requests / (pricing.HoursPerMonth * 12)
			got, ok, err := metricmath.Eval(expr, map[string]float64{"inv": inv, "dur": inv * avgMs, "req": inv, "init": inv * coldRate * initMs, "pce": 1, "pcu": 0.5})
			if err != nil || !ok {
				t.Fatalf("Eval(%q) = %v %v", expr, ok, err)
			}
			p := pricing.Default()
			e, err := estimate.EstimateLambda(estimate.Lambda{Requests: requests, DurationMs: avgMs, MemoryMiB: 1024, Arch: pricing.ARM64,
				ColdStartRate: coldRate, InitDurationMs: initMs,
				Provisioned: 2, ProvisionedHours: pricing.HoursPerMonth, FrontDoor: estimate.FrontDoorREST}, p)
			if err != nil {
				t.Fatal(err)
			}
			// What bills around it, as the report prices it: the tier's
			// extras and access log, its init metric, the guard's own cost.
			tier := f.api.GuardTier()
			x := tier.Extras
			x.Requests, x.AccessLogBytesPerRequest = requests, estimate.AccessLogLineBytes(tier.AccessLogFormat, p)
			ex, err := estimate.EstimateExtras(x, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := e.TotalUSD + ex.TotalUSD + float64(tier.CustomMetrics)*p.CloudWatch.CustomMetricMonth + g.Record().OwnMonthlyUSD
			if math.Abs(got-want) > 0.10 {
				t.Errorf("%s projects $%.2f for the month, the cost model says $%.2f", tc.name, got, want)
			}
		}
		runaway := toJSON(alarmByName(t, tmpl, guard.AlarmRunawaySpend)["AlarmActions"])
		if !strings.Contains(runaway, "KillSwitchTrigger") || !strings.Contains(runaway, "CostGuardTopic") {
			t.Errorf("runaway alarm actions %s, want the topic and the kill-switch trigger", runaway)
		}
		if spendActions := toJSON(alarmByName(t, tmpl, guard.AlarmSpendRate)["AlarmActions"]); strings.Contains(spendActions, "KillSwitchTrigger") {
			t.Errorf("the spend alarm trips the kill switch: %s", spendActions)
		}
	})

	t.Run("operational alarms", func(t *testing.T) {
		want := []string{guard.AlarmAPIClientErrorRate, guard.AlarmAPILatencyP99, guard.AlarmAPIServerErrorRate,
			inference.AlarmLambdaConcurrencyNearCap, inference.AlarmLambdaDurationOfTimeout, inference.AlarmLambdaErrorRate, inference.AlarmLambdaThrottles,
			inference.AlarmProvisionedSpillover, inference.AlarmProvisionedUtilization, guard.AlarmRunawaySpend, guard.AlarmSpendRate,
			guard.AlarmKillSwitchErrors}
		slices.Sort(want)
		if got := alarmNames(tmpl); !slices.Equal(got, want) {
			t.Errorf("alarms\n got %q\nwant %q", got, want)
		}
		for _, name := range want {
			a := alarmByName(t, tmpl, name)
			if a["OKActions"] == nil || !strings.Contains(toJSON(a["OKActions"]), "CostGuardTopic") {
				t.Errorf("%s has no OK action to the topic", name)
			}
		}
		thresholds := map[string]float64{inference.AlarmLambdaErrorRate: 5, inference.AlarmLambdaDurationOfTimeout: 80, guard.AlarmAPILatencyP99: 8000, inference.AlarmProvisionedUtilization: 0.9}
		for name, th := range thresholds {
			if got := alarmByName(t, tmpl, name)["Threshold"]; got != th {
				t.Errorf("%s threshold %v, want %v", name, got, th)
			}
		}
		if s := toJSON(alarmByName(t, tmpl, inference.AlarmLambdaDurationOfTimeout)["Metrics"]); !strings.Contains(s, `"Expression":"100 * p99 / 10000"`) {
			t.Errorf("duration alarm metrics %s", s)
		}
		if s := toJSON(alarmByName(t, tmpl, inference.AlarmLambdaConcurrencyNearCap)["Metrics"]); !strings.Contains(s, `"Expression":"100 * conc / 10"`) {
			t.Errorf("concurrency alarm metrics %s", s)
		}
		if got := g.AlarmNames(); len(got) != 9 || g.Alarm(inference.AlarmLambdaErrorRate) == nil {
			t.Errorf("AlarmNames() = %q", got)
		}
	})

	t.Run("dashboard", func(t *testing.T) {
		dash := resources(tmpl, "AWS::CloudWatch::Dashboard")
		if len(dash) != 1 {
			t.Fatalf("%d dashboards", len(dash))
		}
		for _, d := range dash {
			body := toJSON(d["DashboardBody"])
			for _, want := range []string{"Spend (USD/hour)", "budget pace $0.0685", "Projected month", "Latency percentiles", "p99",
				"Cold starts", "@initDuration", "ConcurrentExecutions", "ProvisionedConcurrencyUtilization", "reserved cap", "alarms"} {
				if !strings.Contains(body, want) {
					t.Errorf("dashboard lacks %q", want)
				}
			}
		}
	})

	// A failed trip pages someone: Lambda sends the event that still fails
	// after its two async retries to the stage topic, and an alarm on the
	// function's errors notifies the stage topic at the first error.
	// The key policy lets Budgets use the topics' key in the form SNS
	// documents for AWS services that publish to encrypted topics: no
	// condition, which Budgets' KMS requests might not carry (a 100 %
	// notification refused by KMS is dropped silently).
	t.Run("key policy for budgets", func(t *testing.T) {
		keys := resources(tmpl, "AWS::KMS::Key")
		if len(keys) != 1 {
			t.Fatalf("%d keys", len(keys))
		}
		var budgets []any
		for _, k := range keys {
			for _, st := range k["KeyPolicy"].(map[string]any)["Statement"].([]any) {
				if strings.Contains(toJSON(st.(map[string]any)["Principal"]), "budgets.amazonaws.com") {
					budgets = append(budgets, st)
				}
			}
		}
		want := `{"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Effect":"Allow","Principal":{"Service":"budgets.amazonaws.com"},"Resource":"*","Sid":"AllowBudgetsToUseTheKey"}`
		if len(budgets) != 1 || toJSON(budgets[0]) != want {
			t.Errorf("budgets key statements %s\nwant [%s]", toJSON(budgets), want)
		}
	})

	t.Run("kill switch failures reach the stage topic", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), map[string]any{
			"FunctionName": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^CostGuardKillSwitch"))},
			"DestinationConfig": map[string]any{"OnFailure": map[string]any{
				"Destination": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^CostGuardTopic"))}}},
		})
		a := alarmByName(t, tmpl, guard.AlarmKillSwitchErrors)
		if s := toJSON(a); !strings.Contains(s, `"MetricName":"Errors"`) || !strings.Contains(s, `"Namespace":"AWS/Lambda"`) ||
			!strings.Contains(toJSON(a["Dimensions"]), `{"Ref":"CostGuardKillSwitch`) || a["Threshold"] != 0.0 {
			t.Errorf("kill-switch errors alarm %s", s)
		}
		if !strings.Contains(toJSON(a["AlarmActions"]), `{"Ref":"CostGuardTopic`) {
			t.Errorf("kill-switch errors alarm actions %s", toJSON(a["AlarmActions"]))
		}
		if g.KillSwitchErrorsAlarm() == nil {
			t.Error("KillSwitchErrorsAlarm() = nil")
		}
	})

	t.Run("kill switch", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
			"Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": []any{"arm64"}, "ReservedConcurrentExecutions": 1,
			"Environment": map[string]any{"Variables": map[string]any{
				killswitch.EnvStage:          "dev",
				killswitch.EnvStateParameter: assertions.Match_AnyValue(),
				killswitch.EnvTopicARN:       map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("CostGuardTopic"))},
				killswitch.EnvTargets:        assertions.Match_AnyValue(),
			}},
		})
		var ks map[string]any
		for _, fp := range resources(tmpl, "AWS::Lambda::Function") {
			if strings.Contains(toJSON(fp["Description"]), "kill switch") {
				ks = fp
			}
		}
		targets := toJSON(ks["Environment"].(map[string]any)["Variables"].(map[string]any)[killswitch.EnvTargets])
		if !regexp.MustCompile(`\[\{\\"kind\\":\\"lambda\\",\\"name\\":\\"",\{"Ref":"InferenceFunction[0-9A-F]+"\}`).MatchString(targets) {
			t.Errorf("targets %s", targets)
		}
		template.HasResourceProperties(jsii.String("AWS::SSM::Parameter"), map[string]any{
			"Name": "/costguard/dev/killswitch", "Type": "String", "Value": `{"version":1,"stage":"dev","stopped":{}}`,
		})
		template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
			"ScheduleExpression": guard.DefaultRestoreSchedule,
			"Targets":            []any{assertions.Match_ObjectLike(&map[string]any{"Input": `{"action":"restore","reason":"scheduled monthly restore"}`})},
		})
		template.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]any{
			"Protocol": "lambda", "TopicArn": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("KillSwitchTrigger"))},
		})
		// IAM names only the guarded function, the parameter, the topic
		// and the key; no managed policies.
		var policy string
		for _, pol := range resources(tmpl, "AWS::IAM::Policy") {
			if strings.Contains(toJSON(pol["Roles"]), "KillSwitchRole") {
				policy = toJSON(pol["PolicyDocument"])
			}
		}
		for _, want := range []string{
			`{"Action":["lambda:DeleteFunctionConcurrency","lambda:GetFunctionConcurrency","lambda:ListProvisionedConcurrencyConfigs","lambda:PutFunctionConcurrency"],"Effect":"Allow","Resource":{"Fn::GetAtt":["Inference`,
			`{"Action":["lambda:DeleteProvisionedConcurrencyConfig","lambda:GetProvisionedConcurrencyConfig","lambda:PutProvisionedConcurrencyConfig"],"Effect":"Allow","Resource":{"Fn::Join":["",[{"Fn::GetAtt":["Inference`,
			`"ssm:GetParameter"`, `"ssm:PutParameter"`, `"sns:Publish"`, `"kms:GenerateDataKey*"`,
		} {
			if !strings.Contains(policy, want) {
				t.Errorf("kill-switch policy lacks %s:\n%s", want, policy)
			}
		}
		// Only Application Auto Scaling's target calls, which have no
		// resource-level permission, name every resource.
		if n := strings.Count(policy, `"Resource":"*"`); n != 1 || !strings.Contains(policy,
			`{"Action":["application-autoscaling:DescribeScalableTargets","application-autoscaling:RegisterScalableTarget"],"Effect":"Allow","Resource":"*"}`) {
			t.Errorf("kill-switch policy has a wildcard resource beyond Application Auto Scaling's:\n%s", policy)
		}
		for _, r := range resources(tmpl, "AWS::IAM::Role") {
			if strings.Contains(toJSON(r["Description"]), "kill switch") && r["ManagedPolicyArns"] != nil {
				t.Errorf("kill-switch role has managed policies: %v", r["ManagedPolicyArns"])
			}
		}
		if g.KillSwitchFunction() == nil || g.TriggerTopic() == nil || g.StateParameterName() != "/costguard/dev/killswitch" {
			t.Error("kill switch accessors")
		}
	})

	t.Run("cdk-nag clean", func(t *testing.T) {
		var findings []string
		for _, f := range cdktest.NagFindings(t, f.stack, "AwsSolutions-") {
			if strings.Contains(f, "/CostGuard/") {
				findings = append(findings, f)
			}
		}
		if len(findings) > 0 {
			t.Errorf("unsuppressed cdk-nag findings on the guard:\n%s", strings.Join(findings, "\n"))
		}
	})

	t.Run("own cost", func(t *testing.T) {
		var total float64
		for _, l := range g.MonthlyCost() {
			total += l.USD
		}
		// 12 alarms querying 26 metrics at $0.10 (the dollar alarms 6
		// each), a $3 dashboard and a $1 key with its two billed yearly
		// rotations ($1 each).
		if math.Abs(total-8.6) > 1e-9 {
			t.Errorf("guard's own cost $%.2f: %+v", total, g.MonthlyCost())
		}
	})

	t.Run("metadata for the CLI", func(t *testing.T) {
		meta, ok := tmpl["Metadata"].(map[string]any)[guardmeta.MetadataKey]
		if !ok {
			t.Fatalf("no %s in the template's metadata", guardmeta.MetadataKey)
		}
		r, err := guardmeta.Parse(meta)
		if err != nil {
			t.Fatal(err)
		}
		if r.Stage != "dev" || !r.KillSwitch || r.Alarms != 12 || r.AlarmMetrics != 26 || r.OwnMonthlyUSD != 8.6 || r.StateParameter != "/costguard/dev/killswitch" {
			t.Errorf("record %+v", r)
		}
		// $50 budget less $27.32 fixed: 2 × 1 GB provisioned (arm64)
		// $17.52, the guard's own $8.60, the server's custom metrics $0.90
		// and the init metric $0.30; 120 ms at 1 GB on arm64 behind REST,
		// with its log lines and access-log line, is $0.00000613
		// a request.
		if r.Caps == nil || math.Abs(r.Caps.FixedMonthlyUSD-27.32) > 0.005 || r.Caps.MonthlyQuota != 3700525 || r.Caps.ReservedConcurrency != 2 || r.Caps.RateLimit != 14.27 {
			t.Errorf("caps %+v", r.Caps)
		}
	})
}

func workloadArch(s string) workload.Architecture { return workload.Architecture(s) }

// TestFixedCostOverBudget: a budget the stage's fixed costs exceed gets a
// synth warning, and the record says why it has no caps; a budget that
// covers them gets neither.
func TestFixedCostOverBudget(t *testing.T) {
	for _, tc := range []struct {
		name    string
		budget  float64
		warn    bool
		noCaps  string
		hasCaps bool
	}{
		// 2 × 1 GB provisioned (arm64) $17.52, the guard's own $8.50 (no
		// kill switch here), the server's custom metrics and the init
		// metric $1.20: $27.22 a month before any request.
		{name: "budget below the fixed cost", budget: 20, warn: true, noCaps: "monthlyBudgetUSD: 20 does not cover the fixed $27.22 a month"},
		{name: "budget above it", budget: 50, hasCaps: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "Fixed", workload.FrontDoorREST, true)
			p := f.props(workload.FrontDoorREST)
			p.MonthlyBudgetUSD = tc.budget
			g := guard.NewCostGuard(f.stack, "Guard", p)
			if err := g.Err(); err != nil {
				t.Fatal(err)
			}
			// Any budget: the regex must be able to match the case that
			// wants no warning.
			w := assertions.Annotations_FromStack(f.stack).FindWarning(jsii.String("*"),
				assertions.Match_StringLikeRegexp(jsii.String(`.*costs \$27\.22 a month before its first request.*above the \$\d+ budget.*`)))
			if got := len(*w) == 1; got != tc.warn {
				t.Errorf("warning: %v, want %v", got, tc.warn)
			}
			r := g.Record()
			if (r.Caps != nil) != tc.hasCaps || !strings.HasPrefix(r.NoCaps, tc.noCaps) || (tc.noCaps == "") != (r.NoCaps == "") {
				t.Errorf("caps %+v, noCaps %q, want caps %v and noCaps %q", r.Caps, r.NoCaps, tc.hasCaps, tc.noCaps)
			}
		})
	}
}
