package guard

import (
	"errors"
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/placement"
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
	Architecture workload.Architecture
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

// Tier is what a guarded tier hands the cost guard: what bills (its
// workload record), the metrics its dollar model prices, its operational
// alarms as data, what the kill switch stops, and what the dashboard
// draws. Every tier construct returns one from its GuardTier method
// (inference.LambdaAPI, fargate.Service, sagemaker.Endpoint,
// service.InferenceService), so the guard treats every tier the same way.
type Tier struct {
	// Workload describes what is guarded as it bills (the tier construct's
	// Workload()): tier, memory or size, architecture, concurrency and
	// expected traffic. Required.
	Workload workload.Workload
	// API is the front door's metrics. Default: none (the API's alarms and
	// its share of the dollar metric are left out).
	API API
	// Timeout is how long a request may take: the API latency alarm fires
	// at 80 % of it. Default: the front door's integration timeout (REST
	// 29 s, HTTP 30 s).
	Timeout time.Duration
	// SpendMetrics are the metrics of the tier's dollar model, by id: the
	// model's MetricIDs without spend.IDRequests, which comes from API
	// (spend.Model for Lambda, spend.TierModel for the other tiers).
	// Required.
	SpendMetrics map[string]awscloudwatch.IMetric
	// Alarms are the tier's operational alarms, created before the API's
	// alarms and overridable by name through CostGuardProps.Alarms.
	// Default: none.
	Alarms []TierAlarm
	// Targets are what the kill switch stops ([LambdaTarget],
	// fargate.Service.KillSwitchTarget, sagemaker.Endpoint.KillSwitchTarget).
	// Required with KillSwitch, unless KillSwitchOptions.Targets has one.
	Targets []Target
	// NATGateways is how many NAT gateways the tier's network runs; they
	// bill by the hour whatever the traffic, so the dollar expression adds
	// their hourly price, and the tasks' log lines through them per
	// request. Default: 0.
	NATGateways int
	// Extras is what the deployment adds around the tier, in the cost
	// report's terms (estimate.Extras; Requests and
	// AccessLogBytesPerRequest are not read): the model server's custom
	// metrics, X-Ray tracing, the log bytes per request and their
	// retention, the access log's retention, the response sent out. The
	// dollar expressions price them with the same code as the report.
	// Default: nothing.
	Extras estimate.Extras
	// AccessLogFormat is the API stage's access-log format, sized per
	// request as the report sizes it (estimate.AccessLogLineBytes).
	// Default: no access log.
	AccessLogFormat string
	// CustomMetrics counts the tier's custom metrics beyond the model
	// server's (a metric filter's, Container Insights'), billed all month.
	// Default: 0.
	CustomMetrics int
	// PublicIPv4 counts the public IPv4 addresses the tier's network holds
	// (a NAT gateway's Elastic IP), billed by the hour. Default: 0.
	PublicIPv4 int
	// Traffic, Errors and Latency are drawn on the dashboard's health row,
	// with the API's metrics. Default: none.
	Traffic, Errors, Latency []awscloudwatch.IMetric
	// Widgets are the tier's own dashboard row (capacity, concurrency,
	// cold starts). Default: none.
	Widgets []awscloudwatch.IWidget
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
	// Tier is the guarded tier, from its construct's GuardTier method.
	// Required.
	Tier *Tier
	// Prices are the price tables the dollar metric uses, for example a
	// region's tables resolved from AWS Price List files
	// (pricing.LoadPriceList, pricing.Resolve). Default: the built-in
	// tables of PriceRegion.
	Prices *pricing.Prices
	// PriceRegion is the region whose built-in prices the dollar metric
	// uses when Prices is nil.
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
	// Alarms overrides operational alarms by name (the tier's, and the
	// API's: see [DefaultAlarms]). Default: none.
	Alarms map[string]AlarmOverride
	// KillSwitch turns on the kill switch. Default: off.
	KillSwitch *KillSwitchOptions
	// DisableDashboard leaves the dashboard out. Default: false.
	DisableDashboard bool
	// CapsDerived names the caps (guardmeta.CapNames) the tier took from
	// the budget's caps ([CostGuard.Caps]) because its caller left them at
	// zero, for the record the report reads. Default: none (every cap was
	// set by the caller).
	CapsDerived []string
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

// withDefaults returns a copy of p with every zero optional field
// resolved.
func (p CostGuardProps) withDefaults() resolved {
	r := resolved{CostGuardProps: p}
	tags := p.CostAllocationTags
	if len(tags) == 0 {
		tags = map[string]string{DefaultCostAllocationTag: p.Stage}
	}
	for k, v := range tags {
		r.tags = append(r.tags, tagPair{k, v})
	}
	sort.Slice(r.tags, func(i, j int) bool { return r.tags[i].Key < r.tags[j].Key })
	r.thresholds = p.BudgetThresholds
	if len(r.thresholds) == 0 {
		r.thresholds = DefaultBudgetThresholds
	}
	if r.SpendBurnRate == 0 {
		r.SpendBurnRate = DefaultSpendBurnRate
	}
	if r.RunawayBurnRate == 0 {
		r.RunawayBurnRate = max(DefaultRunawayBurnRate, 2*r.SpendBurnRate)
	}
	return r
}

// resolve applies the defaults on a copy, gathers every problem and, when
// there is none, derives the dollar model, the alarms and the kill
// switch's code.
func (p CostGuardProps) resolve() (resolved, error) {
	r := p.withDefaults()
	var errs []error
	for _, check := range []func() []error{
		r.checkStage, r.checkTier, r.checkTierAlarms, r.checkSubscribers,
		r.checkTags, r.checkThresholds, r.checkBurnRates, r.checkKillSwitch, r.checkCapsDerived,
	} {
		errs = append(errs, check()...)
	}
	if len(errs) == 0 {
		errs = append(errs, r.deriveDollars()...)
	}
	if len(errs) == 0 {
		errs = append(errs, r.deriveKillSwitchCode()...)
	}
	alarms, aerrs := applyOverrides(r.alarmSpecs(), p.Alarms)
	r.alarms = alarms
	return r, errors.Join(append(errs, aerrs...)...)
}

func (r resolved) checkStage() []error {
	var ps validation.Problems
	if !stageRe.MatchString(r.Stage) {
		ps.Add("Stage: %q is not a stage name (lower-case letters, digits and dashes, starting with a letter, at most 31)", r.Stage)
	}
	if !(r.MonthlyBudgetUSD > 0) || math.IsInf(r.MonthlyBudgetUSD, 0) {
		ps.Add("MonthlyBudgetUSD: %g is not a positive amount of dollars", r.MonthlyBudgetUSD)
	}
	if _, err := r.prices(); err != nil {
		ps.Add("PriceRegion: %v", err)
	}
	return ps
}

// checkTier checks the tier value: its workload record, timeout, dollar
// metrics, targets and NAT gateways.
func (r resolved) checkTier() []error {
	var ps validation.Problems
	t := r.Tier
	if t == nil {
		ps.Add("Tier: missing (the guarded tier is required: pass the tier construct's GuardTier())")
		return ps
	}
	if err := t.Workload.Validate(); err != nil {
		ps.Add("Tier.Workload: %v", err)
	} else if (t.Workload.Tier == workload.TierLambda) != (t.Workload.Lambda != nil) {
		ps.Add("Tier.Workload: tier %q without its configuration (pass the tier construct's Workload())", t.Workload.Tier)
	}
	if t.Timeout != 0 && (t.Timeout < time.Second || t.Timeout > 900*time.Second) {
		ps.Add("Tier.Timeout: %s is outside 1s to 15m0s", t.Timeout)
	}
	for id, m := range t.SpendMetrics {
		if m == nil {
			ps.Add("Tier.SpendMetrics[%q]: nil", id)
		}
	}
	for i, target := range t.Targets {
		if target == nil {
			ps.Add("Tier.Targets[%d]: nil", i)
		}
	}
	if t.NATGateways < 0 {
		ps.Add("Tier.NATGateways: %d is negative", t.NATGateways)
	}
	return ps
}

// checkTierAlarms checks the tier's alarms: names unique (also against the
// API's), a metric each, sensible evaluation.
func (r resolved) checkTierAlarms() []error {
	var ps validation.Problems
	if r.Tier == nil {
		return nil
	}
	names := map[string]bool{}
	for _, a := range DefaultAlarms() {
		names[a.Name] = true
	}
	for i, a := range r.Tier.Alarms {
		switch {
		case a.Name == "" || !alarmNameRe.MatchString(a.Name):
			ps.Add("Tier.Alarms[%d].Name: %q is not an alarm name (letters and digits, starting with a capital)", i, a.Name)
		case names[a.Name]:
			ps.Add("Tier.Alarms[%d].Name: %q is given twice (or is a default alarm's name)", i, a.Name)
		}
		names[a.Name] = true
		if a.Metric == nil {
			ps.Add("Tier.Alarms[%d].Metric: missing for alarm %q", i, a.Name)
		}
		if a.EvaluationPeriods < 1 || a.DatapointsToAlarm < 1 || a.DatapointsToAlarm > a.EvaluationPeriods {
			ps.Add("Tier.Alarms[%d]: alarm %q needs 1 <= DatapointsToAlarm (%d) <= EvaluationPeriods (%d)", i, a.Name, a.DatapointsToAlarm, a.EvaluationPeriods)
		}
	}
	return ps
}

func (r resolved) checkSubscribers() []error {
	var ps validation.Problems
	if r.Topic != nil && len(r.EmailSubscribers) > 0 {
		ps.Add("EmailSubscribers: %d given with an existing Topic (subscribe them to that topic instead, or let the guard create one)", len(r.EmailSubscribers))
	}
	for i, e := range r.EmailSubscribers {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			ps.Add("EmailSubscribers[%d]: %q is not a bare e-mail address", i, e)
		}
	}
	if len(r.EmailSubscribers) > 10 {
		ps.Add("EmailSubscribers: %d addresses, AWS Budgets allows at most 10 per notification", len(r.EmailSubscribers))
	}
	return ps
}

func (r resolved) checkTags() []error {
	var ps validation.Problems
	for _, t := range r.tags {
		if t.Key == "" || t.Value == "" || strings.HasPrefix(t.Key, "aws:") {
			ps.Add("CostAllocationTags: %q=%q is not a user tag with a value", t.Key, t.Value)
		}
	}
	if r.BudgetName != "" && (len(r.BudgetName) > 91 || strings.ContainsAny(r.BudgetName, ":\\")) {
		ps.Add("BudgetName: %q is not a budget name prefix (at most 91 characters, the 100 AWS Budgets allows less the notifications hash; no ':' or '\\')", r.BudgetName)
	}
	return ps
}

func (r resolved) checkThresholds() []error {
	var ps validation.Problems
	if len(r.thresholds) > 5 {
		ps.Add("BudgetThresholds: %d notifications, AWS Budgets allows at most 5 per budget", len(r.thresholds))
	}
	seen := map[BudgetThreshold]bool{}
	trips := 0
	for i, t := range r.thresholds {
		if !(t.Percent > 0) || t.Percent > 1000 {
			ps.Add("BudgetThresholds[%d].Percent: %g is outside (0, 1000]", i, t.Percent)
		}
		if t.TripsKillSwitch {
			trips++
			if t.Forecasted {
				ps.Add("BudgetThresholds[%d]: a forecasted notification may not trip the kill switch (only actual spend may)", i)
			}
		}
		key := BudgetThreshold{Percent: t.Percent, Forecasted: t.Forecasted}
		if seen[key] {
			ps.Add("BudgetThresholds[%d]: %g%% %s is given twice", i, t.Percent, map[bool]string{true: "forecasted", false: "actual"}[t.Forecasted])
		}
		seen[key] = true
	}
	if trips > 1 {
		ps.Add("BudgetThresholds: %d thresholds trip the kill switch, at most 1 may", trips)
	}
	return ps
}

func (r resolved) checkCapsDerived() []error {
	var ps validation.Problems
	for i, n := range r.CapsDerived {
		if !slices.Contains(guardmeta.CapNames, n) {
			ps.Add("CapsDerived[%d]: %q is not one of %s", i, n, strings.Join(guardmeta.CapNames, ", "))
		}
	}
	return ps
}

func (r resolved) checkBurnRates() []error {
	var ps validation.Problems
	if r.SpendBurnRate < 0 || math.IsNaN(r.SpendBurnRate) {
		ps.Add("SpendBurnRate: %g is not a positive multiple of the budget", r.SpendBurnRate)
	}
	if r.RunawayBurnRate < r.SpendBurnRate || math.IsNaN(r.RunawayBurnRate) {
		ps.Add("RunawayBurnRate: %g is below SpendBurnRate %g (the runaway alarm must fire after the spend alarm)", r.RunawayBurnRate, r.SpendBurnRate)
	}
	return ps
}

func (r resolved) checkKillSwitch() []error {
	var ps validation.Problems
	ks := r.KillSwitch
	if ks == nil {
		return nil
	}
	if ks.StateParameterName != "" && !paramRe.MatchString(ks.StateParameterName) {
		ps.Add("KillSwitch.StateParameterName: %q is not a parameter path like /costguard/dev/killswitch", ks.StateParameterName)
	}
	if ks.DisableScheduledRestore && ks.RestoreSchedule != nil {
		ps.Add("KillSwitch.RestoreSchedule: set while DisableScheduledRestore is true")
	}
	switch ks.Architecture {
	case "", workload.ArchARM64, workload.ArchX86_64:
	default:
		ps.Add("KillSwitch.Architecture: %q is not one of arm64, x86_64", ks.Architecture)
	}
	for i, t := range ks.Targets {
		if t == nil {
			ps.Add("KillSwitch.Targets[%d]: nil", i)
		}
	}
	if r.Tier != nil && len(r.Tier.Targets)+len(ks.Targets) == 0 {
		ps.Add("KillSwitch: tier %s has no target the kill switch can stop (set Tier.Targets, or leave the kill switch off)", r.Tier.Workload.Tier)
	}
	return ps
}

// deriveDollars builds the tier's dollar model from its workload and the
// region's prices, and checks the tier gives every metric it prices.
func (r *resolved) deriveDollars() []error {
	var ps validation.Problems
	prices, _ := r.prices()
	t, hasAPI := r.Tier, r.Tier.API != nil
	var ids []string
	if l := t.Workload.Lambda; l != nil {
		rates, err := spend.RatesFor(prices, l.Architecture, t.Workload.FrontDoor)
		if err != nil {
			return append(ps, fmt.Errorf("Tier.Workload: %w", err))
		}
		if !hasAPI {
			rates.APIPerRequest = 0
		}
		r.model = spend.Model{Rates: rates, MemoryMiB: l.MemoryMiB, ProvisionedConcurrency: l.ProvisionedConcurrency,
			ProvisionedHoursPerMonth: l.ProvisionedHoursPerMonth, HasAPI: hasAPI, HasInit: t.SpendMetrics[spend.IDInit] != nil,
			Around: r.around(prices, 0)}
		if err := r.model.Validate(); err != nil {
			ps.Add("Tier.Workload: %v", err)
		}
		if fixed := r.model.ProvisionedPerHour() * pricing.HoursPerMonth; fixed >= r.MonthlyBudgetUSD*r.SpendBurnRate {
			ps.Add("MonthlyBudgetUSD: %g is below the provisioned concurrency's fixed $%.2f a month, so the spend alarm would never be OK", r.MonthlyBudgetUSD, fixed)
		}
		ids = r.model.MetricIDs()
	} else {
		m, err := spend.TierModelFor(prices, t.Workload, hasAPI)
		if err != nil {
			return append(ps, fmt.Errorf("Tier.Workload: %w", err))
		}
		m.FixedPerHour += float64(t.NATGateways) * prices.Network.NATGatewayHour
		m.Around = r.around(prices, m.Around.PerRequestUSD)
		r.tierModel, ids = m, m.MetricIDs()
	}
	for _, id := range ids {
		if id != spend.IDRequests && t.SpendMetrics[id] == nil {
			ps.Add("Tier.SpendMetrics: no metric %q (the %s tier's dollar model needs %s)", id, t.Workload.Tier, strings.Join(ids, ", "))
		}
	}
	r.tierMetric = map[string]awscloudwatch.IMetric{}
	for _, a := range t.Alarms {
		r.tierMetric[a.Name] = a.Metric
	}
	return ps
}

// around prices what bills around the tier (Tier.Extras, its access log,
// its other custom metrics, public IPv4 addresses, the data through its
// NAT gateways) with p, plus perRequestUSD the tier's model adds; the
// guard's own monthly cost is added once its alarms are known
// (CostGuard.addOwnCost).
func (r resolved) around(p pricing.Prices, perRequestUSD float64) spend.Around {
	t := r.Tier
	x := t.Extras
	x.Requests, x.AccessLogBytesPerRequest = 0, 0
	if t.AccessLogFormat != "" {
		x.AccessLogBytesPerRequest = estimate.AccessLogLineBytes(t.AccessLogFormat, p)
	}
	fixed := float64(t.CustomMetrics)*p.CloudWatch.CustomMetricMonth + float64(t.PublicIPv4)*p.Network.PublicIPv4Hour*pricing.HoursPerMonth
	if t.NATGateways > 0 {
		perRequestUSD += placement.NATBytesPerRequest / (1 << 30) * p.Network.NATGatewayPerGB
	}
	return spend.AroundFor(x, p, fixed, perRequestUSD)
}

// deriveKillSwitchCode builds the kill switch's default code when the
// props give none.
func (r *resolved) deriveKillSwitchCode() []error {
	if r.KillSwitch == nil {
		return nil
	}
	if r.killSwitchCode = r.KillSwitch.Code; r.killSwitchCode != nil {
		return nil
	}
	code, err := KillSwitchCode(r.killSwitchArch())
	if err != nil {
		return []error{fmt.Errorf("KillSwitch.Code: not given, and building the default failed: %w", err)}
	}
	r.killSwitchCode = code
	return nil
}

// alarmSpecs are the operational alarms before overrides: the tier's,
// then the API's.
func (r resolved) alarmSpecs() []AlarmSpec {
	var specs []AlarmSpec
	if r.Tier != nil {
		for _, a := range r.Tier.Alarms {
			s := a.AlarmSpec
			s.needs = needTier
			if s.Period == 0 {
				s.Period = spend.DefaultPeriod
			}
			specs = append(specs, s)
		}
	}
	return append(specs, DefaultAlarms()...)
}

// dollarModel is the spend expressions of either tier.
type dollarModel interface {
	USDPerHourExpression() string
	ProjectedMonthlyExpression() string
}

// dollars is the guarded tier's dollar model.
func (r resolved) dollars() dollarModel {
	if r.lambda() {
		return r.model
	}
	return r.tierModel
}

// lambda says whether the guarded tier is Lambda.
func (r resolved) lambda() bool { return r.Tier != nil && r.Tier.Workload.Tier == workload.TierLambda }

// killSwitchArch is the kill switch's architecture: arm64 unless
// KillSwitch.Architecture says otherwise.
func (r resolved) killSwitchArch() workload.Architecture {
	if r.KillSwitch != nil && r.KillSwitch.Architecture != "" {
		return r.KillSwitch.Architecture
	}
	return workload.ArchARM64
}

// prices are the price tables the guard prices with: Prices, or the
// built-in tables of PriceRegion.
func (r resolved) prices() (pricing.Prices, error) {
	if r.Prices != nil {
		return *r.Prices, nil
	}
	return pricing.ForRegion(r.PriceRegion)
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
