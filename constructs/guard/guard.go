package guard

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsbudgets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/costguard-ml/costguard/cost/caps"
	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/internal/validation"
)

// CostGuard watches one stage's spending and health. Its sub-resources are
// reachable through its methods.
type CostGuard struct {
	constructs.Construct

	cfg          resolved
	err          *validation.Error
	key          awskms.Key
	topic        awssns.ITopic
	budget       awsbudgets.CfnBudget
	spendAlarm   awscloudwatch.Alarm
	runawayAlarm awscloudwatch.Alarm
	alarms       map[string]awscloudwatch.Alarm
	alarmOrder   []string
	dashboard    awscloudwatch.Dashboard
	ks           *killSwitch
	// alarmMetrics counts the metrics the alarms query (CloudWatch bills
	// a metric-math alarm per metric).
	alarmMetrics int
}

// NewCostGuard creates the guard. Bad props build nothing: every problem
// is reported at once as a CDK error annotation (`cdk synth` fails listing
// them) and by [CostGuard.Err].
func NewCostGuard(scope constructs.Construct, id string, props *CostGuardProps) *CostGuard {
	var p CostGuardProps
	if props != nil {
		p = *props
	}
	g := &CostGuard{alarms: map[string]awscloudwatch.Alarm{}}
	constructs.NewConstruct_Override(g, scope, &id)
	cfg, err := p.resolve()
	if g.err = validation.Report(g, err); g.err != nil {
		return g
	}
	g.cfg = cfg

	g.newTopic()
	if cfg.KillSwitch != nil {
		g.ks = g.newKillSwitch()
	}
	g.newBudget()
	g.addOwnCost()
	g.newDollarAlarms()
	g.newOperationalAlarms()
	if !cfg.DisableDashboard {
		g.newDashboard()
	}
	// g.cfg, not cfg: addOwnCost added the guard's own cost to its models.
	if g.cfg.lambda() {
		if fixed := g.cfg.model.ProvisionedPerHour()*pricing.HoursPerMonth + g.cfg.model.Around.FixedMonthlyUSD; fixed > g.cfg.MonthlyBudgetUSD {
			awscdk.Annotations_Of(g).AddWarningV2(ptr("costguard:guard-fixed-over-budget"), ptr(fmt.Sprintf(
				"the stage costs $%.2f a month before its first request (the guard's own alarms, dashboard and key, custom metrics, metric filters, provisioned concurrency), above the $%g budget: "+
					"the budget's alerts fire every month and no cap can be derived from it; raise the budget or trim what is fixed",
				fixed, g.cfg.MonthlyBudgetUSD)), nil)
		}
	} else {
		if floor := g.cfg.tierModel.FloorPerHour(g.cfg.Tier.Workload) * pricing.HoursPerMonth; floor > g.cfg.MonthlyBudgetUSD*g.cfg.SpendBurnRate {
			awscdk.Annotations_Of(g).AddWarningV2(ptr("costguard:guard-floor-over-budget"), ptr(fmt.Sprintf(
				"the %s tier costs $%.2f a month idle (minimum tasks or instances, load balancer, NAT gateways, and the fixed costs around them: the guard's own, custom metrics, public IPv4), above the $%g budget: "+
					"SpendRate stays in ALARM, and RunawaySpend trips the kill switch (if on) once deployed; raise the budget or scale to zero",
				g.cfg.Tier.Workload.Tier, floor, g.cfg.MonthlyBudgetUSD)), nil)
		}
	}
	g.stack().AddMetadata(ptr(guardmeta.MetadataKey), g.Record().Map())
	return g
}

func (g *CostGuard) stack() awscdk.Stack { return awscdk.Stack_Of(g) }

// newKey creates the key of the guard's topics: AWS Budgets and CloudWatch
// alarms of this account may use it to publish, which an AWS managed key
// (alias/aws/sns) would not allow.
func (g *CostGuard) newKey() awskms.Key {
	if g.key != nil {
		return g.key
	}
	g.key = awskms.NewKey(g, ptr("TopicKey"), &awskms.KeyProps{
		Description:       ptr(fmt.Sprintf("costguard %s: encrypts the cost guard's SNS topics", g.cfg.Stage)),
		EnableKeyRotation: ptr(true),
		RemovalPolicy:     awscdk.RemovalPolicy_DESTROY,
	})
	// Budgets: the statement SNS documents for an AWS service that
	// publishes to an encrypted topic, without conditions
	// (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
	// AWS documents aws:SourceAccount and aws:SourceArn for Budgets on the
	// topic's policy (below, https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html),
	// not on the key's: a KMS request from Budgets without them would be
	// refused and the 100 % notification, the kill switch's second
	// trigger, dropped silently. Only this account's budgets may publish
	// to the topics, so the key serves no one else's.
	g.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        ptr("AllowBudgetsToUseTheKey"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(ptr("budgets.amazonaws.com"), nil)},
		Actions:    &[]*string{ptr("kms:Decrypt"), ptr("kms:GenerateDataKey*")},
		Resources:  &[]*string{ptr("*")},
	}), ptr(true))
	g.key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        ptr("AllowCloudWatchAlarmsToUseTheKey"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(ptr("cloudwatch.amazonaws.com"), nil)},
		Actions:    &[]*string{ptr("kms:Decrypt"), ptr("kms:GenerateDataKey*")},
		Resources:  &[]*string{ptr("*")},
		Conditions: &map[string]interface{}{"StringEquals": map[string]interface{}{"aws:SourceAccount": g.stack().Account()}},
	}), ptr(true))
	return g.key
}

// newSecureTopic creates a KMS-encrypted, TLS-only topic that this
// account's budgets may publish to.
func (g *CostGuard) newSecureTopic(id, displayName string) awssns.Topic {
	t := awssns.NewTopic(g, &id, &awssns.TopicProps{
		DisplayName: ptr(displayName),
		MasterKey:   g.newKey(),
		EnforceSSL:  ptr(true),
	})
	t.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        ptr("AllowBudgetsToPublish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(ptr("budgets.amazonaws.com"), nil)},
		Actions:    &[]*string{ptr("sns:Publish")},
		Resources:  &[]*string{t.TopicArn()},
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": g.stack().Account()},
			"ArnLike":      map[string]interface{}{"aws:SourceArn": fmt.Sprintf("arn:%s:budgets::%s:*", *g.stack().Partition(), *g.stack().Account())},
		},
	}))
	// A topic policy replaces SNS's default one, so CloudWatch alarms of
	// this account and region are let in explicitly.
	t.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        ptr("AllowCloudWatchAlarmsToPublish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(ptr("cloudwatch.amazonaws.com"), nil)},
		Actions:    &[]*string{ptr("sns:Publish")},
		Resources:  &[]*string{t.TopicArn()},
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": g.stack().Account()},
			"ArnLike":      map[string]interface{}{"aws:SourceArn": fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:*", *g.stack().Partition(), *g.stack().Region(), *g.stack().Account())},
		},
	}))
	return t
}

func (g *CostGuard) newTopic() {
	if g.cfg.Topic != nil {
		g.topic = g.cfg.Topic
		return
	}
	t := g.newSecureTopic("Topic", "costguard "+g.cfg.Stage)
	for _, e := range g.cfg.EmailSubscribers {
		t.AddSubscription(awssnssubscriptions.NewEmailSubscription(ptr(e), nil))
	}
	g.topic = t
}

// budgetName is the budget's name, unique in the account across regions:
// BudgetName (default: the stack's name, the stage and the region) then a
// hash of the notifications. CloudFormation's schema of
// AWS::Budgets::Budget makes NotificationsWithSubscribers create-only, so
// any change of thresholds or subscribers (e-mails, the kill switch on or
// off, which moves the 100 % subscriber between topics) replaces the
// budget, and CloudFormation cannot replace a resource whose name stays
// the same. The hash changes the name with the notifications, so the
// replacement is created under its new name and the old budget deleted.
func (g *CostGuard) budgetName() string {
	prefix := g.cfg.BudgetName
	if prefix == "" {
		prefix = fmt.Sprintf("%s-%s", g.namePrefix(), *g.stack().Region())
	}
	return prefix + "-" + g.notificationsHash()
}

// notificationsHash is 8 hex digits of a hash of what the budget's
// notifications say, in terms stable across synths (construct paths, not
// tokens, for the topics).
func (g *CostGuard) notificationsHash() string {
	h := sha256.New()
	for _, th := range g.cfg.thresholds {
		topic := *g.topic.Node().Path()
		var emails []string
		if th.TripsKillSwitch && g.ks != nil {
			topic = *g.ks.trigger.Node().Path()
			emails = g.cfg.EmailSubscribers
		}
		fmt.Fprintf(h, "%t %g %s %q\n", th.Forecasted, th.Percent, topic, emails)
	}
	return hex.EncodeToString(h.Sum(nil))[:8]
}

func (g *CostGuard) newBudget() {
	c := g.cfg
	var tagExprs []interface{}
	for _, t := range c.tags {
		tagExprs = append(tagExprs, &awsbudgets.CfnBudget_ExpressionProperty{
			Tags: &awsbudgets.CfnBudget_TagValuesProperty{
				Key: ptr(t.Key), Values: &[]*string{ptr(t.Value)}, MatchOptions: &[]*string{ptr("EQUALS")},
			},
		})
	}
	var filter interface{} = tagExprs[0]
	if len(tagExprs) > 1 {
		filter = &awsbudgets.CfnBudget_ExpressionProperty{And: &tagExprs}
	}
	var notes []interface{}
	for _, th := range c.thresholds {
		kind := "ACTUAL"
		if th.Forecasted {
			kind = "FORECASTED"
		}
		address := g.topic.TopicArn()
		var subs []interface{}
		if th.TripsKillSwitch && g.ks != nil {
			address = g.ks.trigger.TopicArn()
			// People hear of it even if the kill switch fails.
			for _, e := range c.EmailSubscribers {
				subs = append(subs, &awsbudgets.CfnBudget_SubscriberProperty{SubscriptionType: ptr("EMAIL"), Address: ptr(e)})
			}
		}
		subs = append([]interface{}{&awsbudgets.CfnBudget_SubscriberProperty{SubscriptionType: ptr("SNS"), Address: address}}, subs...)
		notes = append(notes, &awsbudgets.CfnBudget_NotificationWithSubscribersProperty{
			Notification: &awsbudgets.CfnBudget_NotificationProperty{
				NotificationType:   ptr(kind),
				ComparisonOperator: ptr("GREATER_THAN"),
				Threshold:          ptr(th.Percent),
				ThresholdType:      ptr("PERCENTAGE"),
			},
			Subscribers: &subs,
		})
	}
	g.budget = awsbudgets.NewCfnBudget(g, ptr("Budget"), &awsbudgets.CfnBudgetProps{
		Budget: &awsbudgets.CfnBudget_BudgetDataProperty{
			BudgetName:       ptr(g.budgetName()),
			BudgetType:       ptr("COST"),
			TimeUnit:         ptr("MONTHLY"),
			BudgetLimit:      &awsbudgets.CfnBudget_SpendProperty{Amount: ptr(c.MonthlyBudgetUSD), Unit: ptr("USD")},
			FilterExpression: filter,
		},
		NotificationsWithSubscribers: &notes,
	})
	// Budgets checks that it may publish when it saves a notification, so
	// the topics and their policies come first.
	g.budget.Node().AddDependency(g.topic)
	if g.ks != nil {
		g.budget.Node().AddDependency(g.ks.trigger)
	}
}

// spendMetrics are the metrics the dollar expressions use, by id: the
// tier's, and the API's requests.
func (g *CostGuard) spendMetrics() map[string]awscloudwatch.IMetric {
	t := g.cfg.Tier
	ids := g.cfg.tierModel.MetricIDs()
	if g.cfg.lambda() {
		ids = g.cfg.model.MetricIDs()
	}
	m := map[string]awscloudwatch.IMetric{}
	for _, id := range ids {
		if id != spend.IDRequests {
			m[id] = t.SpendMetrics[id]
		}
	}
	if t.API != nil {
		m[spend.IDRequests] = t.API.MetricAPIRequests(&awscloudwatch.MetricOptions{Statistic: ptr("Sum"), Period: duration(spend.DefaultPeriod)})
	}
	return m
}

// MetricSpendPerHour is the stage's spend rate in dollars per hour over
// the last five minutes, priced from cost/pricing.
func (g *CostGuard) MetricSpendPerHour() awscloudwatch.MathExpression {
	if g.err != nil {
		return nil
	}
	using := g.spendMetrics()
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   ptr(g.cfg.dollars().USDPerHourExpression()),
		UsingMetrics: &using,
		Label:        ptr("Spend (USD/hour)"),
		Period:       duration(spend.DefaultPeriod),
	})
}

// MetricProjectedMonthlySpend is the month's bill, in dollars, if the last
// five minutes' spend rate went on all month.
func (g *CostGuard) MetricProjectedMonthlySpend() awscloudwatch.MathExpression {
	if g.err != nil {
		return nil
	}
	using := g.spendMetrics()
	return awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression:   ptr(g.cfg.dollars().ProjectedMonthlyExpression()),
		UsingMetrics: &using,
		Label:        ptr("Projected month (USD)"),
		Period:       duration(spend.DefaultPeriod),
	})
}

func (g *CostGuard) alarmName(name string) *string {
	return ptr(g.namePrefix() + "-" + name)
}

// namePrefix starts the names of the alarms and the budget: the stack's
// name, plus the stage's unless the stack's name has it already (as one
// of its dash-separated parts, or as its end: costguard-dev,
// costguard-example-large).
func (g *CostGuard) namePrefix() string {
	stack := *g.stack().StackName()
	if slices.Contains(strings.Split(stack, "-"), g.cfg.Stage) || strings.HasSuffix(stack, "-"+g.cfg.Stage) {
		return stack
	}
	return stack + "-" + g.cfg.Stage
}

// addOwnCost adds the guard's own monthly cost (its alarms by the metrics
// they will query, the dashboard and the key: what MonthlyCost itemises
// once they exist) to the dollar model's fixed costs, so the dollar alarms
// see the whole stage's bill. The kill switch and the key exist by now;
// the dollar and operational alarms are counted before they are created.
func (g *CostGuard) addOwnCost() {
	prices, _ := g.cfg.prices()
	n := g.alarmMetrics + 2*len(g.spendMetrics())
	for _, s := range g.cfg.alarms {
		if g.cfg.applies(s) {
			n += metricCount(g.metric(s))
		}
	}
	own := float64(n) * prices.CloudWatch.AlarmMetricMonth
	if !g.cfg.DisableDashboard {
		own += prices.CloudWatch.DashboardMonth
	}
	if g.key != nil {
		own += prices.Other.KMSKeyMonthly(true)
	}
	if g.cfg.lambda() {
		g.cfg.model.Around.FixedMonthlyUSD += own
	} else {
		g.cfg.tierModel.Around.FixedMonthlyUSD += own
	}
}

// metricCount is how many metrics an alarm on m queries, the unit
// CloudWatch bills alarms by.
func metricCount(m awscloudwatch.IMetric) int {
	if e, ok := m.(awscloudwatch.MathExpression); ok {
		return len(*e.UsingMetrics())
	}
	return 1
}

func (g *CostGuard) newDollarAlarms() {
	c := g.cfg
	topic := awscloudwatchactions.NewSnsAction(g.topic)
	g.spendAlarm = awscloudwatch.NewAlarm(g, ptr(AlarmSpendRate+"Alarm"), &awscloudwatch.AlarmProps{
		AlarmName: g.alarmName(AlarmSpendRate),
		AlarmDescription: ptr(fmt.Sprintf("At the last 15 minutes' pace the month would cost more than %g× the $%g budget. "+
			"Look at the dashboard's spend and traffic; the budget's own alerts lag by hours.", c.SpendBurnRate, c.MonthlyBudgetUSD)),
		Metric:             g.MetricProjectedMonthlySpend(),
		Threshold:          ptr(c.MonthlyBudgetUSD * c.SpendBurnRate),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		EvaluationPeriods:  ptr(3.0),
		DatapointsToAlarm:  ptr(3.0),
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	g.alarmMetrics += 2 * len(g.spendMetrics())
	g.spendAlarm.AddAlarmAction(topic)
	g.spendAlarm.AddOkAction(topic)

	desc := fmt.Sprintf("At the last 10 minutes' pace the month would cost more than %g× the $%g budget: runaway spend.", c.RunawayBurnRate, c.MonthlyBudgetUSD)
	if g.ks != nil {
		desc += " The kill switch stops the stage; restore with: costguard restore --stage " + c.Stage
	}
	g.runawayAlarm = awscloudwatch.NewAlarm(g, ptr(AlarmRunawaySpend+"Alarm"), &awscloudwatch.AlarmProps{
		AlarmName:          g.alarmName(AlarmRunawaySpend),
		AlarmDescription:   ptr(desc),
		Metric:             g.MetricProjectedMonthlySpend(),
		Threshold:          ptr(c.MonthlyBudgetUSD * c.RunawayBurnRate),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		EvaluationPeriods:  ptr(2.0),
		DatapointsToAlarm:  ptr(2.0),
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	g.runawayAlarm.AddAlarmAction(topic)
	g.runawayAlarm.AddOkAction(topic)
	if g.ks != nil {
		g.runawayAlarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(g.ks.trigger))
	}
}

func (g *CostGuard) newOperationalAlarms() {
	topic := awscloudwatchactions.NewSnsAction(g.topic)
	for _, s := range g.cfg.alarms {
		if !g.cfg.applies(s) {
			continue
		}
		cmp := awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD
		if s.Below {
			cmp = awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD
		}
		m := g.metric(s)
		g.alarmMetrics += metricCount(m)
		a := awscloudwatch.NewAlarm(g, ptr(s.Name+"Alarm"), &awscloudwatch.AlarmProps{
			AlarmName:          g.alarmName(s.Name),
			AlarmDescription:   ptr(s.Description),
			Metric:             m,
			Threshold:          ptr(g.threshold(s)),
			ComparisonOperator: cmp,
			EvaluationPeriods:  ptr(float64(s.EvaluationPeriods)),
			DatapointsToAlarm:  ptr(float64(s.DatapointsToAlarm)),
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		a.AddAlarmAction(topic)
		a.AddOkAction(topic)
		g.alarms[s.Name] = a
		g.alarmOrder = append(g.alarmOrder, s.Name)
	}
}

// Topic is the stage's notification topic.
func (g *CostGuard) Topic() awssns.ITopic { return g.topic }

// Key is the topics' KMS key; nil when an existing topic was passed and the
// kill switch is off.
func (g *CostGuard) Key() awskms.IKey {
	if g.key == nil {
		return nil
	}
	return g.key
}

// Budget is the stage's AWS::Budgets::Budget.
func (g *CostGuard) Budget() awsbudgets.CfnBudget { return g.budget }

// BudgetName is the budget's name.
func (g *CostGuard) BudgetName() string {
	if g.err != nil {
		return ""
	}
	return g.budgetName()
}

// SpendAlarm is the SpendRate dollar alarm.
func (g *CostGuard) SpendAlarm() awscloudwatch.IAlarm { return g.spendAlarm }

// RunawayAlarm is the RunawaySpend dollar alarm, which trips the kill switch.
func (g *CostGuard) RunawayAlarm() awscloudwatch.IAlarm { return g.runawayAlarm }

// Alarm returns the operational alarm named name, or nil when the stage
// does not have it.
func (g *CostGuard) Alarm(name string) awscloudwatch.IAlarm {
	if a, ok := g.alarms[name]; ok {
		return a
	}
	return nil
}

// AlarmNames lists the operational alarms created, in order.
func (g *CostGuard) AlarmNames() []string { return append([]string(nil), g.alarmOrder...) }

// Alarms lists every alarm: the dollar alarms, the operational ones, then
// the kill switch's errors alarm when the kill switch is on.
func (g *CostGuard) Alarms() []awscloudwatch.IAlarm {
	if g.err != nil {
		return nil
	}
	out := []awscloudwatch.IAlarm{g.spendAlarm, g.runawayAlarm}
	for _, n := range g.alarmOrder {
		out = append(out, g.alarms[n])
	}
	if g.ks != nil {
		out = append(out, g.ks.errors)
	}
	return out
}

// Dashboard is the stage's dashboard, nil when disabled.
func (g *CostGuard) Dashboard() awscloudwatch.Dashboard { return g.dashboard }

// KillSwitchFunction is the kill switch's function, nil when off.
func (g *CostGuard) KillSwitchFunction() awscdk.Resource {
	if g.ks == nil {
		return nil
	}
	return g.ks.fn
}

// KillSwitchErrorsAlarm is the alarm on the kill switch's own errors,
// nil when the kill switch is off.
func (g *CostGuard) KillSwitchErrorsAlarm() awscloudwatch.IAlarm {
	if g.ks == nil {
		return nil
	}
	return g.ks.errors
}

// TriggerTopic is the topic that trips the kill switch, nil when off.
func (g *CostGuard) TriggerTopic() awssns.ITopic {
	if g.ks == nil {
		return nil
	}
	return g.ks.trigger
}

// StateParameterName is where the kill switch records what it changed
// (whether or not it is on, the name `costguard restore` looks at).
func (g *CostGuard) StateParameterName() string { return g.cfg.stateParameterName() }

// Model is the dollar model the expressions come from on the Lambda tier
// (the zero Model on a container tier; see TierModel).
func (g *CostGuard) Model() spend.Model { return g.cfg.model }

// TierModel is the dollar model of a container tier (the zero TierModel
// on the Lambda tier).
func (g *CostGuard) TierModel() spend.TierModel { return g.cfg.tierModel }

// SpendExpression is the projected-month expression the dollar alarms
// use, whatever the tier.
func (g *CostGuard) SpendExpression() string { return g.cfg.dollars().ProjectedMonthlyExpression() }

// MonthlyCost itemises the guard's own monthly cost at list prices, free
// tiers left out: the alarms (per metric they query), the dashboard, the
// KMS key (with its rotations), and the kill switch (idle: a few
// invocations a month, a standard parameter and a scheduled rule, all free
// or under a cent).
func (g *CostGuard) MonthlyCost() []guardmeta.Line {
	prices, _ := g.cfg.prices()
	cw := prices.CloudWatch
	var lines []guardmeta.Line
	metrics := g.alarmMetrics
	lines = append(lines, guardmeta.Line{Item: fmt.Sprintf("CloudWatch alarms (%d, %d metrics)", len(g.Alarms()), metrics), USD: float64(metrics) * cw.AlarmMetricMonth})
	if g.dashboard != nil {
		lines = append(lines, guardmeta.Line{Item: "CloudWatch dashboard", USD: cw.DashboardMonth})
	}
	if g.key != nil {
		// The key rotates yearly (EnableKeyRotation): priced, as costguard
		// report prices it, with its two billed rotations.
		lines = append(lines, guardmeta.Line{Item: "KMS key of the topics, rotated yearly", USD: prices.Other.KMSKeyMonthly(true)})
	}
	if g.ks != nil {
		lines = append(lines, guardmeta.Line{Item: "kill-switch Lambda, SSM parameter, schedule (idle: well under a cent)", USD: 0})
	}
	return lines
}

// Caps are the static caps the budget pays for at the stage's expected
// duration, INIT share and traffic, with everything the dollar model
// prices around the function and its fixed costs, the guard's own
// included (see package caps); ok is false when the workload has no
// expected duration, the budget cannot pay for the fixed cost, or the
// guarded tier is not Lambda (the caps are Lambda's and the REST API's).
// [CostGuard.Record] says which.
func (g *CostGuard) Caps() (c caps.Caps, ok bool) {
	c, why := g.caps()
	return c, why == ""
}

// caps returns the caps, or why the budget gives none.
func (g *CostGuard) caps() (caps.Caps, string) {
	if g.err != nil {
		return caps.Caps{}, "the guard's props are invalid"
	}
	if !g.cfg.lambda() {
		return caps.Caps{}, fmt.Sprintf("the %s tier has no budget-derived caps (they are Lambda's and the REST API's)", g.cfg.Tier.Workload.Tier)
	}
	tr := g.cfg.Tier.Workload.Traffic
	if tr.AvgDurationMs <= 0 {
		return caps.Caps{}, "the workload has no expected duration (Traffic.AvgDurationMs) to pay requests at"
	}
	p99 := tr.P99DurationMs
	if p99 < tr.AvgDurationMs {
		p99 = 0
	}
	c, err := caps.Compute(caps.Inputs{
		MonthlyBudgetUSD: g.cfg.MonthlyBudgetUSD, Model: g.cfg.model, AvgDurationMs: tr.AvgDurationMs,
		P99DurationMs: p99, ColdStartRate: tr.ColdStartRate, InitDurationMs: tr.InitDurationMs,
		ExpectedRequestsPerMonth: tr.RequestsPerMonth,
	})
	if err != nil {
		return caps.Caps{}, err.Error()
	}
	return c, ""
}

// Record is what the guard records in the template's metadata under
// guardmeta.MetadataKey for the CLI.
func (g *CostGuard) Record() guardmeta.Record {
	r := guardmeta.Record{
		Version: guardmeta.Version, Stage: g.cfg.Stage, MonthlyBudgetUSD: g.cfg.MonthlyBudgetUSD,
		SpendBurnRate: g.cfg.SpendBurnRate, RunawayBurnRate: g.cfg.RunawayBurnRate,
		KillSwitch: g.ks != nil, Alarms: len(g.Alarms()), AlarmMetrics: g.alarmMetrics, Dashboard: g.dashboard != nil,
		OwnCost: g.MonthlyCost(),
	}
	if g.ks != nil {
		r.StateParameter = g.cfg.stateParameterName()
	}
	for _, l := range r.OwnCost {
		r.OwnMonthlyUSD += l.USD
	}
	r.OwnMonthlyUSD = pricing.RoundCents(r.OwnMonthlyUSD)
	if c, why := g.caps(); why == "" {
		r.Caps = &c
		r.CapsDerived = slices.Clone(g.cfg.CapsDerived)
	} else {
		r.NoCaps = why
	}
	return r
}

// Err returns the problems of the props it was built from, or nil: a
// guard with problems built nothing and its other methods return zero
// values (nil resources and metrics).
func (g *CostGuard) Err() error { return g.err.AsError() }
