package guard

import (
	"errors"
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/validation"
)

// Defaults of the optional props.
const (
	// DefaultSpendBurnRate is the SpendRate alarm's threshold: the projected
	// month over the budget.
	DefaultSpendBurnRate = 1.0
	// DefaultRunawayBurnRate is the RunawaySpend alarm's threshold: the
	// projected month twice the budget (the month's budget would be gone in
	// about 15 days), sustained for ten minutes. It sits well below the
	// ten-fold pace the budget-derived caps allow (caps.DefaultExhaustHours),
	// so a flood at the throttle limit trips it; slower burns are left to
	// the SpendRate alarm and the budget's 100 % notification.
	DefaultRunawayBurnRate = 2.0
	// DefaultRestoreSchedule is the scheduled restore: 00:05 UTC on the
	// first of the month, when the budget's month starts again.
	DefaultRestoreSchedule = "cron(5 0 1 * ? *)"
	// DefaultCostAllocationTag is the tag key that scopes the budget, with
	// the stage name as its value, unless CostAllocationTags says otherwise.
	DefaultCostAllocationTag = "stage"
)

// DefaultBudgetThresholds are the budget's notifications when
// CostGuardProps.BudgetThresholds is empty.
var DefaultBudgetThresholds = []BudgetThreshold{
	{Percent: 50},
	{Percent: 80},
	{Percent: 100, TripsKillSwitch: true},
	{Percent: 100, Forecasted: true},
}

// API is the front door's metrics. *inference.LambdaAPI satisfies it; wrap
// a plain stage with [RestStageMetrics] or [HTTPStageMetrics].
type API interface {
	MetricAPIRequests(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricAPIClientErrors(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricAPIServerErrors(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricAPILatency(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
}

// BudgetThreshold is one budget notification.
type BudgetThreshold struct {
	// Percent of the monthly budget, above 0.
	Percent float64
	// Forecasted notifies on AWS's forecast of the month instead of the
	// actual spend.
	Forecasted bool
	// TripsKillSwitch sends this notification to the kill switch (when
	// enabled) instead of the topic; the kill switch then tells the topic.
	// At most one threshold may trip it, and only an actual one.
	TripsKillSwitch bool
}

// AlarmOverride changes one alarm of [DefaultAlarms], by name. Zero fields
// keep the default.
type AlarmOverride struct {
	Threshold         float64
	EvaluationPeriods int
	DatapointsToAlarm int
	// Disabled removes the alarm.
	Disabled bool
}

// KillSwitchOptions turns on the kill switch.
type KillSwitchOptions struct {
	// Code is the kill switch's deployment package, a bootstrap built from
	// [KillSwitchPackage]. Default: [KillSwitchCode] for Architecture, built
	// by import path in the working directory's module when the app bundles.
	Code awslambda.Code
	// Architecture is the kill switch's architecture. Default: arm64.
	Architecture awslambda.Architecture
	// DisableScheduledRestore turns off the monthly restore; the stage then
	// stays stopped until `costguard restore`. Default: false (scheduled).
	DisableScheduledRestore bool
	// RestoreSchedule is when the scheduled restore runs. Default:
	// DefaultRestoreSchedule.
	RestoreSchedule awsevents.Schedule
	// StateParameterName is the SSM parameter that records what the switch
	// changed. Default: /costguard/STAGE/killswitch, which is where
	// `costguard restore --stage STAGE` looks.
	StateParameterName string
	// Targets are what the switch stops, besides the guarded function
	// (the seam for Fargate services and SageMaker endpoints). Default: none.
	Targets []Target
	// LogRetention is how long the kill switch's logs are kept. Default:
	// one year (a trip is an incident worth a record).
	LogRetention awslogs.RetentionDays
}

// Tier describes a guarded tier other than Lambda (a Fargate service, a
// SageMaker endpoint): the metrics its dollar model prices, its
// operational alarms as data, what the kill switch stops, and what the
// dashboard draws. constructs/service builds one for each container tier
// (service.FargateGuardTier, service.SageMakerGuardTier).
type Tier struct {
	// SpendMetrics are the metrics of the tier's dollar model
	// (spend.TierModel for the Workload), by id: spend.TierModel.MetricIDs
	// without spend.IDRequests, which comes from API. Required.
	SpendMetrics map[string]awscloudwatch.IMetric
	// Alarms are the tier's operational alarms, created after the API's
	// alarms and overridable by name through CostGuardProps.Alarms.
	// Default: none.
	Alarms []TierAlarm
	// Targets are what the kill switch stops (service.FargateTarget,
	// service.SageMakerTarget). Required with KillSwitch, unless
	// KillSwitchOptions.Targets has one.
	Targets []Target
	// NATGateways is how many NAT gateways the tier's network runs; they
	// bill by the hour whatever the traffic, so the dollar expression adds
	// their hourly price. Default: 0.
	NATGateways int
	// Traffic, Errors, Latency and Capacity are drawn on the dashboard
	// (with the API's metrics). Default: none (the widget shows the API's
	// metrics only, or is left out).
	Traffic, Errors, Latency, Capacity []awscloudwatch.IMetric
}

// TierAlarm is one operational alarm of a [Tier], as data: the spec
// (Name, Description, Threshold, EvaluationPeriods, DatapointsToAlarm,
// Below) and the metric or metric-math expression it watches.
type TierAlarm struct {
	AlarmSpec
	Metric awscloudwatch.IMetric
}

// CostGuardProps configures a [CostGuard]. The zero value of every optional
// field means its documented default.
type CostGuardProps struct {
	// Stage is the stage's name (dev, staging, prod). Required.
	Stage string
	// MonthlyBudgetUSD is the stage's monthly budget in US dollars. Required.
	MonthlyBudgetUSD float64
	// Function is the guarded inference function. Required unless Tier is
	// set; not with Tier.
	Function awslambda.IFunction
	// Tier is the guarded container tier, instead of Function. Default:
	// none (the Lambda tier).
	Tier *Tier
	// Workload describes what is guarded as it bills: with Function, tier
	// lambda (memory, architecture, reserved and provisioned concurrency,
	// expected traffic; inference.LambdaAPI.Workload()); with Tier, the
	// Fargate or SageMaker record (fargate.Service.Workload(),
	// sagemaker.Endpoint.Workload()). Required.
	Workload workload.Workload
	// Timeout is the function's timeout, for the p99-duration alarm.
	// Required with Function; with Tier it defaults to the front door's
	// integration timeout (REST 29 s, HTTP 30 s) for the API latency alarm.
	Timeout time.Duration
	// Alias is the alias the API invokes, for the provisioned-concurrency
	// alarms. Default: none (those alarms are left out).
	Alias awslambda.IAlias
	// API is the front door's metrics. Default: none (API alarms and the
	// API's share of the dollar metric are left out).
	API API
	// FunctionLogGroup is the function's log group, for the cold-start
	// widget (init durations are only in the REPORT log lines). Default:
	// none (the widget is left out).
	FunctionLogGroup awslogs.ILogGroup
	// PriceRegion is the region whose prices the dollar metric uses.
	// Default: pricing.DefaultRegion.
	PriceRegion string
	// Topic is an existing topic to notify. It must already let AWS Budgets
	// and CloudWatch publish (and use its key). Default: a new topic.
	Topic awssns.ITopic
	// EmailSubscribers are subscribed to the new topic (and to the budget
	// notification that trips the kill switch). Not allowed with Topic.
	// Default: none.
	EmailSubscribers []string
	// CostAllocationTags scope the budget: costs carrying all of these tags.
	// The tags must be activated as cost-allocation tags in the Billing
	// console. Default: {"stage": Stage}.
	CostAllocationTags map[string]string
	// BudgetName starts the budget's name (unique in the account), which
	// ends with "-" and 8 hex digits that change with the notifications:
	// CloudFormation replaces a budget whose notifications change and
	// cannot replace one under the same name. Default: the stack name, the
	// stage and the region.
	BudgetName string
	// BudgetThresholds are the budget's notifications. Default:
	// DefaultBudgetThresholds.
	BudgetThresholds []BudgetThreshold
	// SpendBurnRate is the SpendRate alarm's threshold, as a multiple of the
	// budget. Default: DefaultSpendBurnRate.
	SpendBurnRate float64
	// RunawayBurnRate is the RunawaySpend alarm's threshold, as a multiple
	// of the budget; it trips the kill switch. Default:
	// DefaultRunawayBurnRate, or twice SpendBurnRate if that is higher.
	RunawayBurnRate float64
	// Alarms overrides operational alarms by name (see [DefaultAlarms]).
	// Default: none.
	Alarms map[string]AlarmOverride
	// KillSwitch turns on the kill switch. Default: off.
	KillSwitch *KillSwitchOptions
	// DisableDashboard leaves the dashboard out. Default: false.
	DisableDashboard bool
}

// resolved is the props with defaults applied, and what is derived.
type resolved struct {
	CostGuardProps
	model      spend.Model
	tierModel  spend.TierModel
	tierMetric map[string]awscloudwatch.IMetric
	tags       []tagPair
	// killSwitchCode is KillSwitch.Code, or the default built for the
	// kill switch's architecture.
	killSwitchCode awslambda.Code
	thresholds     []BudgetThreshold
	alarms         []AlarmSpec
}

type tagPair struct{ Key, Value string }

var (
	stageRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	paramRe = regexp.MustCompile(`^(/[a-zA-Z0-9_.\-]+)+$`)
	// alarmNameRe is a construct id and the suffix of an alarm's name.
	alarmNameRe = regexp.MustCompile(`^[A-Z][A-Za-z0-9]{0,63}$`)
)

// resolve applies the defaults on a copy and gathers every problem.
func (p CostGuardProps) resolve() (resolved, error) {
	r := resolved{CostGuardProps: p}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !stageRe.MatchString(p.Stage) {
		bad("Stage: %q is not a stage name (lower-case letters, digits and dashes, starting with a letter, at most 31)", p.Stage)
	}
	if !(p.MonthlyBudgetUSD > 0) || math.IsInf(p.MonthlyBudgetUSD, 0) {
		bad("MonthlyBudgetUSD: %g is not a positive amount of dollars", p.MonthlyBudgetUSD)
	}
	tier := p.Tier != nil
	switch {
	case tier && p.Function != nil:
		bad("Function: set together with Tier (guard either a Lambda function or a container tier)")
	case !tier && p.Function == nil:
		bad("Function: missing (the guarded inference function is required, or Tier for a container tier)")
	}
	if !tier {
		if p.Workload.Tier != workload.TierLambda || p.Workload.Lambda == nil {
			bad("Workload: tier %q is not %q with its lambda configuration (pass inference.LambdaAPI.Workload())", p.Workload.Tier, workload.TierLambda)
		} else if err := p.Workload.Validate(); err != nil {
			bad("Workload: %v", err)
		}
		if p.Timeout < time.Second || p.Timeout > 900*time.Second {
			bad("Timeout: %s is outside 1s to 15m0s (the function's timeout is required)", p.Timeout)
		}
	} else {
		if p.Workload.Tier == workload.TierLambda || (p.Workload.Fargate == nil && p.Workload.SageMaker == nil) {
			bad("Workload: tier %q is not fargate, sagemaker-serverless, sagemaker-realtime or sagemaker-async with its configuration (pass the tier construct's Workload())", p.Workload.Tier)
		} else if err := p.Workload.Validate(); err != nil {
			bad("Workload: %v", err)
		}
		if p.Timeout != 0 && (p.Timeout < time.Second || p.Timeout > 900*time.Second) {
			bad("Timeout: %s is outside 1s to 15m0s", p.Timeout)
		}
		if p.Alias != nil || p.FunctionLogGroup != nil {
			bad("Alias, FunctionLogGroup: set with Tier (they describe a Lambda function)")
		}
		for id, m := range p.Tier.SpendMetrics {
			if m == nil {
				bad("Tier.SpendMetrics[%q]: nil", id)
			}
		}
		names := map[string]bool{}
		for _, a := range DefaultAlarms() {
			names[a.Name] = true
		}
		for i, a := range p.Tier.Alarms {
			switch {
			case a.Name == "" || !alarmNameRe.MatchString(a.Name):
				bad("Tier.Alarms[%d].Name: %q is not an alarm name (letters and digits, starting with a capital)", i, a.Name)
			case names[a.Name]:
				bad("Tier.Alarms[%d].Name: %q is given twice (or is a default alarm's name)", i, a.Name)
			}
			names[a.Name] = true
			if a.Metric == nil {
				bad("Tier.Alarms[%d].Metric: missing for alarm %q", i, a.Name)
			}
			if a.EvaluationPeriods < 1 || a.DatapointsToAlarm < 1 || a.DatapointsToAlarm > a.EvaluationPeriods {
				bad("Tier.Alarms[%d]: alarm %q needs 1 <= DatapointsToAlarm (%d) <= EvaluationPeriods (%d)", i, a.Name, a.DatapointsToAlarm, a.EvaluationPeriods)
			}
		}
		for i, t := range p.Tier.Targets {
			if t == nil {
				bad("Tier.Targets[%d]: nil", i)
			}
		}
		if p.Tier.NATGateways < 0 {
			bad("Tier.NATGateways: %d is negative", p.Tier.NATGateways)
		}
	}
	if p.Topic != nil && len(p.EmailSubscribers) > 0 {
		bad("EmailSubscribers: %d given with an existing Topic (subscribe them to that topic instead, or let the guard create one)", len(p.EmailSubscribers))
	}
	for i, e := range p.EmailSubscribers {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			bad("EmailSubscribers[%d]: %q is not a bare e-mail address", i, e)
		}
	}
	if len(p.EmailSubscribers) > 10 {
		bad("EmailSubscribers: %d addresses, AWS Budgets allows at most 10 per notification", len(p.EmailSubscribers))
	}
	if _, err := pricing.ForRegion(p.PriceRegion); err != nil {
		bad("PriceRegion: %v", err)
	}

	// Cost-allocation tags.
	tags := p.CostAllocationTags
	if len(tags) == 0 {
		tags = map[string]string{DefaultCostAllocationTag: p.Stage}
	}
	for k, v := range tags {
		if k == "" || v == "" || strings.HasPrefix(k, "aws:") {
			bad("CostAllocationTags: %q=%q is not a user tag with a value", k, v)
		}
		r.tags = append(r.tags, tagPair{k, v})
	}
	sort.Slice(r.tags, func(i, j int) bool { return r.tags[i].Key < r.tags[j].Key })

	if p.BudgetName != "" && (len(p.BudgetName) > 91 || strings.ContainsAny(p.BudgetName, ":\\")) {
		bad("BudgetName: %q is not a budget name prefix (at most 91 characters, the 100 AWS Budgets allows less the notifications hash; no ':' or '\\')", p.BudgetName)
	}

	// Budget thresholds.
	r.thresholds = p.BudgetThresholds
	if len(r.thresholds) == 0 {
		r.thresholds = DefaultBudgetThresholds
	}
	if len(r.thresholds) > 5 {
		bad("BudgetThresholds: %d notifications, AWS Budgets allows at most 5 per budget", len(r.thresholds))
	}
	seen := map[BudgetThreshold]bool{}
	trips := 0
	for i, t := range r.thresholds {
		if !(t.Percent > 0) || t.Percent > 1000 {
			bad("BudgetThresholds[%d].Percent: %g is outside (0, 1000]", i, t.Percent)
		}
		if t.TripsKillSwitch {
			trips++
			if t.Forecasted {
				bad("BudgetThresholds[%d]: a forecasted notification may not trip the kill switch (only actual spend may)", i)
			}
		}
		key := BudgetThreshold{Percent: t.Percent, Forecasted: t.Forecasted}
		if seen[key] {
			bad("BudgetThresholds[%d]: %g%% %s is given twice", i, t.Percent, map[bool]string{true: "forecasted", false: "actual"}[t.Forecasted])
		}
		seen[key] = true
	}
	if trips > 1 {
		bad("BudgetThresholds: %d thresholds trip the kill switch, at most 1 may", trips)
	}

	// Burn rates.
	if r.SpendBurnRate == 0 {
		r.SpendBurnRate = DefaultSpendBurnRate
	}
	if r.RunawayBurnRate == 0 {
		r.RunawayBurnRate = max(DefaultRunawayBurnRate, 2*r.SpendBurnRate)
	}
	if r.SpendBurnRate < 0 || math.IsNaN(r.SpendBurnRate) {
		bad("SpendBurnRate: %g is not a positive multiple of the budget", r.SpendBurnRate)
	}
	if r.RunawayBurnRate < r.SpendBurnRate || math.IsNaN(r.RunawayBurnRate) {
		bad("RunawayBurnRate: %g is below SpendBurnRate %g (the runaway alarm must fire after the spend alarm)", r.RunawayBurnRate, r.SpendBurnRate)
	}

	// Kill switch.
	if ks := p.KillSwitch; ks != nil {
		if ks.StateParameterName != "" && !paramRe.MatchString(ks.StateParameterName) {
			bad("KillSwitch.StateParameterName: %q is not a parameter path like /costguard/dev/killswitch", ks.StateParameterName)
		}
		if ks.DisableScheduledRestore && ks.RestoreSchedule != nil {
			bad("KillSwitch.RestoreSchedule: set while DisableScheduledRestore is true")
		}
		for i, t := range ks.Targets {
			if t == nil {
				bad("KillSwitch.Targets[%d]: nil", i)
			}
		}
		if r.killSwitchCode = ks.Code; r.killSwitchCode == nil && len(errs) == 0 {
			code, err := KillSwitchCode(workload.Architecture(*r.killSwitchArch().Name()))
			if err != nil {
				bad("KillSwitch.Code: not given, and building the default failed: %v", err)
			}
			r.killSwitchCode = code
		}
		if tier && len(p.Tier.Targets)+len(ks.Targets) == 0 {
			bad("KillSwitch: tier %s has no target the kill switch can stop (set Tier.Targets, or leave the kill switch off)", p.Workload.Tier)
		}
	}

	// The dollar model.
	if len(errs) == 0 && !tier {
		prices, _ := pricing.ForRegion(p.PriceRegion)
		l := p.Workload.Lambda
		rates, err := spend.RatesFor(prices, l.Architecture, p.Workload.FrontDoor)
		if err != nil {
			bad("Workload: %v", err)
		}
		hasAPI := p.API != nil
		if !hasAPI {
			rates.APIPerRequest = 0
		}
		r.model = spend.Model{
			Rates: rates, MemoryMiB: l.MemoryMiB, ProvisionedConcurrency: l.ProvisionedConcurrency,
			ProvisionedHoursPerMonth: l.ProvisionedHoursPerMonth, HasAPI: hasAPI,
		}
		if err := r.model.Validate(); err != nil {
			bad("Workload: %v", err)
		}
		if fixed := r.model.ProvisionedPerHour() * pricing.HoursPerMonth; fixed >= p.MonthlyBudgetUSD*r.SpendBurnRate {
			bad("MonthlyBudgetUSD: %g is below the provisioned concurrency's fixed $%.2f a month, so the spend alarm would never be OK", p.MonthlyBudgetUSD, fixed)
		}
	}

	if len(errs) == 0 && tier {
		prices, _ := pricing.ForRegion(p.PriceRegion)
		m, err := spend.TierModelFor(prices, p.Workload, p.API != nil)
		if err != nil {
			bad("Workload: %v", err)
		}
		m.FixedPerHour += float64(max(p.Tier.NATGateways, 0)) * prices.Network.NATGatewayHour
		r.tierModel = m
		r.tierMetric = map[string]awscloudwatch.IMetric{}
		for _, id := range m.MetricIDs() {
			if id == spend.IDRequests {
				continue
			}
			if p.Tier.SpendMetrics[id] == nil {
				bad("Tier.SpendMetrics: no metric %q (the %s tier's dollar model needs %s)", id, p.Workload.Tier, strings.Join(m.MetricIDs(), ", "))
			}
		}
		for _, a := range p.Tier.Alarms {
			r.tierMetric[a.Name] = a.Metric
		}
	}

	// Alarms, with overrides.
	specs := DefaultAlarms()
	if tier {
		// A container tier has no function: the API's alarms, then its own.
		specs = specs[:0:0]
		for _, s := range DefaultAlarms() {
			if s.needs == needAPI {
				specs = append(specs, s)
			}
		}
		for _, a := range p.Tier.Alarms {
			s := a.AlarmSpec
			s.needs = needTier
			if s.Period == 0 {
				s.Period = spend.DefaultPeriod
			}
			specs = append(specs, s)
		}
	}
	alarms, aerrs := applyOverrides(specs, p.Alarms)
	errs = append(errs, aerrs...)
	r.alarms = alarms
	return r, errors.Join(errs...)
}

// dollarModel is the spend expressions of either tier.
type dollarModel interface {
	USDPerHourExpression() string
	ProjectedMonthlyExpression() string
}

// dollars is the guarded tier's dollar model.
func (r resolved) dollars() dollarModel {
	if r.Tier != nil {
		return r.tierModel
	}
	return r.model
}

// killSwitchArch is the kill switch's architecture: arm64 unless
// KillSwitch.Architecture says otherwise.
func (r resolved) killSwitchArch() awslambda.Architecture {
	if r.KillSwitch != nil && r.KillSwitch.Architecture != nil {
		return r.KillSwitch.Architecture
	}
	return awslambda.Architecture_ARM_64()
}

// stateParameterName is the kill switch's parameter.
func (r resolved) stateParameterName() string {
	if r.KillSwitch != nil && r.KillSwitch.StateParameterName != "" {
		return r.KillSwitch.StateParameterName
	}
	return killswitch.DefaultParameterName(r.Stage)
}

// ValidationError is what Err returns for bad props: the construct path
// (Path) and every problem (Problems), each naming the field, the bad value
// and what is allowed. It is the one type every costguard construct
// reports, so errors.As with any package's alias matches them all.
type ValidationError = validation.Error

func ptr[T any](v T) *T { return &v }

func duration(d time.Duration) awscdk.Duration { return awscdk.Duration_Seconds(ptr(d.Seconds())) }
