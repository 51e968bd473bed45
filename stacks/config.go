package stacks

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"

	"github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/sizing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/serverbuild"
)

// Application is the application tag's value and the stack name prefix.
const Application = "costguard"

// DefaultModelDir is the model a stage serves when its ModelDir is empty,
// relative to the module root: the spam classifier this repository trains.
// Override it with -c modelDir=PATH.
const DefaultModelDir = "lambda/models/spam"

// Stage is one environment's configuration. Every field is used by the
// stack; the budget, alert and kill-switch fields are read by the cost
// guard.
type Stage struct {
	// Name is dev, staging or prod; the stack is costguard-<Name>.
	Name string
	// Account and Region pin the environment; both empty means
	// environment-agnostic, a Region alone pins the region only. The
	// region picks the price tables (Prices).
	Account, Region string
	// CostCenter is the cost-allocation tag.
	CostCenter string
	// MonthlyBudgetUSD is the monthly budget the cost guard enforces.
	MonthlyBudgetUSD float64
	// AlertEmails receive the cost guard's alarms.
	AlertEmails []string
	// BudgetThresholds are the budget's notifications. Default:
	// guard.DefaultBudgetThresholds (50 %, 80 %, and 100 %, which trips
	// the kill switch).
	BudgetThresholds []guard.BudgetThreshold
	// KillSwitch lets the cost guard throttle the function to zero when the
	// budget is exhausted.
	KillSwitch bool

	// ModelDir is the model the stage serves on any tier: a directory
	// holding manifest.json and the ONNX file it names, absolute or
	// relative to the module root. Default: DefaultModelDir.
	ModelDir string
	// Architecture is arm64 or x86_64 (the function's, the kill switch's
	// and a Fargate task's; SageMaker instances are x86_64).
	Architecture workload.Architecture
	// MemoryMiB is the function's memory (128 to 10,240; CPU scales with
	// it), or the task's or serverless endpoint's on a container tier. A
	// model's profile.json refuses memory below its peak plus 25 %.
	MemoryMiB int
	// Timeout is the function timeout; zero right-sizes it from the
	// expected p99 and init durations times TimeoutHeadroom.
	Timeout time.Duration
	// TimeoutHeadroom multiplies the expected p99 and init durations when
	// Timeout is zero. Zero: sizing.DefaultHeadroom (1.5).
	TimeoutHeadroom float64
	// FrontDoor is rest (API keys, usage plan, quota) or http (cheaper per
	// request, no usage plans). Zero: rest.
	FrontDoor workload.FrontDoor

	// ReservedConcurrency caps concurrent executions, which caps how fast
	// the bill can grow; the kill switch sets it to 0.
	ReservedConcurrency int
	// AccountConcurrencyLimit is the Lambda concurrency quota of the
	// stage's account and region: synth warns when the stage's reserved
	// concurrency (plus the kill switch's 1) would leave less unreserved
	// than Lambda keeps (see costguard preflight). Default: 1,000, AWS's
	// default quota; new accounts can start at 10.
	AccountConcurrencyLimit int
	// ProvisionedConcurrency keeps this many environments initialized
	// (no cold starts, billed by the hour). Zero: none.
	ProvisionedConcurrency int
	// ProvisionedMaxConcurrency lets target tracking raise provisioned
	// concurrency up to it. Zero: no autoscaling.
	ProvisionedMaxConcurrency int
	// ProvisionedSchedule keeps provisioned concurrency only in these
	// hours. Nil: all day, every day.
	ProvisionedSchedule *inference.Schedule
	// ThrottleRateLimit and ThrottleBurstLimit are the API stage's steady
	// rate (requests a second) and burst.
	ThrottleRateLimit  float64
	ThrottleBurstLimit int
	// MonthlyQuota is the REST usage plan's requests a month for the API
	// key (HTTP APIs have no usage plans).
	MonthlyQuota int
	// LogRetentionDays is how long the function's and the API's logs are
	// kept, one of CloudWatch Logs' retention periods.
	LogRetentionDays int
	// DestroyLogsOnDelete deletes the log groups with the stack instead of
	// retaining them (for throwaway stages).
	DestroyLogsOnDelete bool
	// LogLevel (debug, info, warn, error) and LogFormat (text or json) are
	// the function's logging configuration.
	LogLevel, LogFormat string
	// Tracing turns on X-Ray active tracing for the function (billed per
	// recorded trace).
	Tracing bool
	// APIGatewayCloudWatchRole makes the stack create the account-wide
	// API Gateway logging role; leave it off where the account already has
	// one (see docs/cdk.md).
	APIGatewayCloudWatchRole bool

	// Traffic is what the stage expects in a month.
	Traffic workload.Traffic

	// Prices are the price tables of the stage's region when they come
	// from AWS Price List files (the app's -c pricesFile=FILE[,FILE]); nil
	// uses the built-in tables of Region (us-east-1 for an
	// environment-agnostic stage). The guard's dollar metric, its caps and
	// placement price with them.
	Prices *pricing.Prices

	// Tier serves the stage on a container tier instead of Lambda: "" (or
	// lambda) keeps the Lambda tier; fargate or a sagemaker-* tier builds
	// service.InferenceService from Stage.ServiceProps, checked against the
	// tier's limits (docs/tiers.md). With a Profile, "" lets placement
	// choose the tier.
	Tier workload.Tier
	// Profile is the model's measured profile (artifact size, peak memory,
	// latencies, GPU), for a stage whose model outgrows the Lambda settings
	// above: placement sizes (and, with Tier "", chooses) its tier from it.
	// Nil: the profile the stage's Lambda settings imply (ModelProfile).
	Profile *service.Profile
}

// Stages is the table of environments.
var Stages = []Stage{
	{
		Name:             "dev",
		CostCenter:       "ml-platform-dev",
		MonthlyBudgetUSD: 10,
		AlertEmails:      []string{"ml-platform-dev@example.com"},
		KillSwitch:       true,

		Architecture:        workload.ArchARM64,
		MemoryMiB:           512,
		TimeoutHeadroom:     2,
		FrontDoor:           workload.FrontDoorREST,
		ReservedConcurrency: 2,
		ThrottleRateLimit:   2,
		ThrottleBurstLimit:  5,
		MonthlyQuota:        100_000,
		LogRetentionDays:    7,
		DestroyLogsOnDelete: true,
		LogLevel:            "debug",
		LogFormat:           "json",

		Traffic: workload.Traffic{RequestsPerMonth: 20_000, AvgDurationMs: 40, P99DurationMs: 250, PayloadBytes: 2_048, ColdStartRate: 0.2, InitDurationMs: 600},
	},
	{
		Name:             "staging",
		CostCenter:       "ml-platform-staging",
		MonthlyBudgetUSD: 50,
		AlertEmails:      []string{"ml-platform-staging@example.com"},

		Architecture:        workload.ArchARM64,
		MemoryMiB:           1024,
		TimeoutHeadroom:     sizing.DefaultHeadroom,
		FrontDoor:           workload.FrontDoorREST,
		ReservedConcurrency: 10,
		ThrottleRateLimit:   10,
		ThrottleBurstLimit:  20,
		MonthlyQuota:        1_000_000,
		LogRetentionDays:    30,
		LogLevel:            "info",
		LogFormat:           "json",
		Tracing:             true,

		Traffic: workload.Traffic{RequestsPerMonth: 300_000, AvgDurationMs: 30, P99DurationMs: 200, PayloadBytes: 2_048, ColdStartRate: 0.05, InitDurationMs: 600},
	},
	{
		Name: "prod",
		// Placeholder account: replace with the production account before
		// `make deploy STAGE=prod`. Synth stays hermetic: a pinned
		// environment needs no credentials and the app does no lookups.
		Account:          "111111111111",
		Region:           "us-east-1",
		CostCenter:       "ml-platform-prod",
		MonthlyBudgetUSD: 300,
		AlertEmails:      []string{"ml-platform-oncall@example.com"},

		Architecture:              workload.ArchARM64,
		MemoryMiB:                 1024,
		TimeoutHeadroom:           sizing.DefaultHeadroom,
		FrontDoor:                 workload.FrontDoorREST,
		ReservedConcurrency:       50,
		ProvisionedConcurrency:    2,
		ProvisionedMaxConcurrency: 10,
		ProvisionedSchedule:       &inference.Schedule{StartHour: 8, EndHour: 20, TimeZone: "America/New_York"},
		ThrottleRateLimit:         50,
		ThrottleBurstLimit:        100,
		MonthlyQuota:              20_000_000,
		LogRetentionDays:          90,
		LogLevel:                  "info",
		LogFormat:                 "json",
		Tracing:                   true,

		Traffic: workload.Traffic{RequestsPerMonth: 5_000_000, AvgDurationMs: 30, P99DurationMs: 200, PayloadBytes: 2_048, ColdStartRate: 0.01, InitDurationMs: 600},
	},
	// The examples: models that outgrow Lambda, placed by their profile
	// (the sibling tiers, docs/tiers.md), so `make synth` shows them next
	// to the Lambda stages and `costguard report` prices them. They serve
	// the default model: their profiles, not the model, drive placement.
	{
		// A 12 GB model that no longer fits Lambda's 10,240 MB: Fargate.
		Name:             "example-large",
		CostCenter:       "ml-platform-examples",
		MonthlyBudgetUSD: 400,
		AlertEmails:      []string{"ml-platform-examples@example.com"},
		Architecture:     workload.ArchARM64,
		Profile: &service.Profile{ArtifactMB: 9000, PeakMemoryMB: 12288, P99LatencyMs: 400, AvgLatencyMs: 150,
			PayloadBytes: 64 << 10},
		ThrottleRateLimit:  fargate.DefaultThrottleRateLimit,
		ThrottleBurstLimit: fargate.DefaultThrottleBurstLimit,
		LogRetentionDays:   30,
		Traffic:            workload.Traffic{RequestsPerMonth: 3_000_000},
	},
	{
		// A GPU model: SageMaker real-time.
		Name:             "example-gpu",
		CostCenter:       "ml-platform-examples",
		MonthlyBudgetUSD: 1500,
		AlertEmails:      []string{"ml-platform-examples@example.com"},
		Architecture:     workload.ArchARM64,
		Profile: &service.Profile{ArtifactMB: 2000, PeakMemoryMB: 6000, P99LatencyMs: 80, AvgLatencyMs: 40, GPU: true,
			PayloadBytes: 256 << 10},
		ThrottleRateLimit:  sagemaker.DefaultThrottleRateLimit,
		ThrottleBurstLimit: sagemaker.DefaultThrottleBurstLimit,
		LogRetentionDays:   30,
		Traffic:            workload.Traffic{RequestsPerMonth: 2_000_000},
	},
}

// StageNames lists the stage names in table order.
func StageNames() []string {
	names := make([]string, len(Stages))
	for i, s := range Stages {
		names[i] = s.Name
	}
	return names
}

// LookupStage returns a copy of the named stage.
func LookupStage(name string) (Stage, error) {
	for _, s := range Stages {
		if s.Name == name {
			s.AlertEmails = slices.Clone(s.AlertEmails)
			s.BudgetThresholds = slices.Clone(s.BudgetThresholds)
			if s.ProvisionedSchedule != nil {
				sc := *s.ProvisionedSchedule
				s.ProvisionedSchedule = &sc
			}
			return s, nil
		}
	}
	return Stage{}, fmt.Errorf("stage: %q is not one of %s", name, strings.Join(StageNames(), ", "))
}

// StackName returns the stack name of a stage.
func (s Stage) StackName() string { return Application + "-" + s.Name }

// retentionDays maps the retentions CloudWatch Logs accepts to the CDK's enum.
var retentionDays = map[int]awslogs.RetentionDays{
	1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS, 5: awslogs.RetentionDays_FIVE_DAYS,
	7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
	60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS, 120: awslogs.RetentionDays_FOUR_MONTHS,
	150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
	400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS, 731: awslogs.RetentionDays_TWO_YEARS,
	1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
	2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS, 3288: awslogs.RetentionDays_NINE_YEARS,
	3653: awslogs.RetentionDays_TEN_YEARS,
}

// Validate reports the problems the construct cannot see (it checks the
// rest), one per line, each naming the stage field.
func (s Stage) Validate() error {
	var errs []error
	if _, ok := retentionDays[s.LogRetentionDays]; !ok {
		errs = append(errs, fmt.Errorf("stage %s: LogRetentionDays: %d is not a retention CloudWatch Logs offers (%s)", s.Name, s.LogRetentionDays, joinInts(slices.Sorted(maps.Keys(retentionDays)))))
	}
	if s.CostCenter == "" {
		errs = append(errs, fmt.Errorf("stage %s: CostCenter: empty; every resource carries a cost-center tag", s.Name))
	}
	if s.MonthlyBudgetUSD < 0 {
		errs = append(errs, fmt.Errorf("stage %s: MonthlyBudgetUSD: %g is negative", s.Name, s.MonthlyBudgetUSD))
	}
	if err := serverbuild.CheckArch(s.Architecture); err != nil {
		errs = append(errs, fmt.Errorf("stage %s: Architecture: %q is not %s or %s", s.Name, s.Architecture, workload.ArchARM64, workload.ArchX86_64))
	}
	if s.Account != "" && s.Region == "" {
		errs = append(errs, fmt.Errorf("stage %s: Account %q without a Region: set the region too (a Region alone is fine: the stack is then account-agnostic)", s.Name, s.Account))
	}
	return errors.Join(errs...)
}

// modelDir is the stage's model directory, a relative one resolved
// against root.
func (s Stage) modelDir(root string) string {
	dir := s.ModelDir
	if dir == "" {
		dir = DefaultModelDir
	}
	if !filepath.IsAbs(dir) && root != "" {
		dir = filepath.Join(root, dir)
	}
	return dir
}

// onLambda reports whether the stage is served by the Lambda tier.
func (s Stage) onLambda() bool { return s.tier() == workload.TierLambda }

// tier is the stage's tier: Tier; else Lambda, or placement's choice ("")
// when the stage gives a Profile.
func (s Stage) tier() workload.Tier {
	switch {
	case s.Tier != "":
		return s.Tier
	case s.Profile != nil:
		return ""
	}
	return workload.TierLambda
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// LambdaAPIProps returns the inference construct's props for the stage.
func (s Stage) LambdaAPIProps() inference.LambdaAPIProps {
	p := inference.LambdaAPIProps{
		MemoryMiB:                 s.MemoryMiB,
		Timeout:                   s.Timeout,
		FrontDoor:                 s.FrontDoor,
		ReservedConcurrency:       s.ReservedConcurrency,
		ProvisionedConcurrency:    s.ProvisionedConcurrency,
		ProvisionedMaxConcurrency: s.ProvisionedMaxConcurrency,
		ProvisionedSchedule:       s.ProvisionedSchedule,
		ThrottleRateLimit:         s.ThrottleRateLimit,
		ThrottleBurstLimit:        s.ThrottleBurstLimit,
		MonthlyQuota:              s.MonthlyQuota,
		LogRetention:              retentionDays[s.LogRetentionDays],
		LogLevel:                  s.LogLevel,
		LogFormat:                 s.LogFormat,
		Tracing:                   s.Tracing,
		CloudWatchRole:            s.APIGatewayCloudWatchRole,
		Traffic:                   s.Traffic,
		Description:               fmt.Sprintf("costguard inference API (%s)", s.Name),
	}
	if s.Timeout == 0 {
		p.LatencyProfile = &sizing.LatencyProfile{
			P99:      sizing.Milliseconds(s.Traffic.P99DurationMs),
			Init:     sizing.Milliseconds(s.Traffic.InitDurationMs),
			Headroom: s.TimeoutHeadroom,
		}
	}
	if s.DestroyLogsOnDelete {
		p.LogRemovalPolicy = awscdk.RemovalPolicy_DESTROY
	}
	return p
}
