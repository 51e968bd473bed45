package inference

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/sizing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/validation"

	// Time zones of provisioned-concurrency schedules are checked against
	// the embedded database, so validation does not depend on the machine.
	_ "time/tzdata"
)

// Defaults applied to a zero-valued field of [LambdaAPIProps].
const (
	DefaultMemoryMiB           = 1024
	DefaultTimeout             = 10 * time.Second
	DefaultReservedConcurrency = 10
	DefaultThrottleRateLimit   = 10
	DefaultThrottleBurstLimit  = 20
	DefaultMonthlyQuota        = 1_000_000
	DefaultMaxBatchSize        = 32
	DefaultMaxInstanceLength   = 4096
	DefaultStageName           = "v1"
	DefaultLogLevel            = "info"
	DefaultLogFormat           = "json"
	DefaultUtilizationTarget   = 0.7
	DefaultTimeZone            = "UTC"
	// AliasName is the alias the front door invokes.
	AliasName = "live"
	// ModelDir is where the model artifact sits in the deployment package
	// (the asset's model/ directory); the handler reads it from MODEL_DIR.
	ModelDir = "/var/task/model"
	// HoursPerMonth is the average month (365 days / 12) in hours, the
	// month cloud prices use.
	HoursPerMonth = 730.0
)

// Allowed values of LogLevel and LogFormat, as the model server reads them.
var (
	LogLevels  = []string{"debug", "info", "warn", "error"}
	LogFormats = []string{"json", "text"}
)

// Target-tracking utilization bounds accepted by Application Auto Scaling
// for provisioned concurrency.
const (
	minUtilizationTarget = 0.1
	maxUtilizationTarget = 0.9
)

// LambdaAPIProps configures a [LambdaAPI]. The zero value of every field
// except Code means its documented default.
type LambdaAPIProps struct {
	// Code is the deployment package: a bootstrap executable for
	// provided.al2023 plus the model artifact in model/ ([ModelServerCode]
	// builds it for a model directory). Required.
	Code awslambda.Code
	// Architecture is the function's CPU architecture, arm64 or x86_64.
	// Default: arm64 (Graviton, about 20% cheaper per GB-second than
	// x86_64).
	Architecture workload.Architecture
	// MemoryMiB is the function's memory, 128 to 10240; CPU scales with it.
	// Default: the MemoryProfile's recommendation if set, else 1024.
	MemoryMiB int
	// MemoryProfile is a measured duration-by-memory profile (for example
	// AWS Lambda Power Tuning's output, see sizing.ParseProfile); when
	// MemoryMiB is zero the memory is sizing.Recommend's choice for
	// MemoryStrategy, priced for Architecture. Default: none.
	MemoryProfile *sizing.Profile
	// MemoryStrategy is what the memory recommendation optimises: cost,
	// speed or balanced. Default: balanced.
	MemoryStrategy sizing.Strategy
	// Timeout is the function timeout, whole seconds, 1 s to the front
	// door's integration timeout (29 s for REST, 30 s for HTTP). Default:
	// right-sized from LatencyProfile when set, else 10 s.
	Timeout time.Duration
	// LatencyProfile right-sizes the timeout when Timeout is zero:
	// (p99 + init) × headroom, rounded up, capped at the front door's
	// integration timeout. Default: none.
	LatencyProfile *sizing.LatencyProfile
	// EphemeralStorageMiB is /tmp's size, 512 to 10240. Default: 512 (free).
	EphemeralStorageMiB int
	// ReservedConcurrency caps concurrent executions, which caps the
	// bill's rate of growth. Default: 10.
	ReservedConcurrency int
	// Unreserved removes the reserved-concurrency cap: the function then
	// shares the account's unreserved pool and can scale to the account
	// quota. Default: false (capped).
	Unreserved bool
	// ProvisionedConcurrency is the number of pre-initialized environments
	// on the alias "live" (billed whether used or not). Default: 0, none.
	ProvisionedConcurrency int
	// ProvisionedSchedule turns provisioned concurrency on only in a
	// weekly window (for example business hours). Default: always on.
	ProvisionedSchedule *Schedule
	// ProvisionedMaxConcurrency, when above ProvisionedConcurrency, adds
	// target-tracking autoscaling of provisioned concurrency between the
	// two. Default: 0, no autoscaling.
	ProvisionedMaxConcurrency int
	// ProvisionedUtilizationTarget is the target-tracking utilization,
	// 0.1 to 0.9. Default: 0.7.
	ProvisionedUtilizationTarget float64
	// FrontDoor is workload.FrontDoorREST or workload.FrontDoorHTTP.
	// Default: REST (request validation, usage plan and API keys).
	FrontDoor workload.FrontDoor
	// IntegrationTimeout is how long a REST API waits for the function, 1 s
	// to 900 s. Raise it above 29 s only after AWS raised the account's
	// quota for Regional REST APIs (it may lower the account's throttle
	// quota). REST only; an HTTP API always waits at most 30 s. Default: 29 s.
	IntegrationTimeout time.Duration
	// CloudWatchRole creates the account-wide API Gateway role that lets
	// REST APIs write logs to CloudWatch Logs (and makes this stack own the
	// account's API Gateway settings). A REST stage's access log needs that
	// role to be set once per account and region; leave this off when it is
	// (see docs/cdk.md). REST only. Default: false.
	CloudWatchRole bool
	// StageName is the API stage. Default: "v1".
	StageName string
	// ThrottleRateLimit is the stage's steady-state request rate, requests
	// per second. Default: 10.
	ThrottleRateLimit float64
	// ThrottleBurstLimit is the stage's burst, requests. Default: 20.
	ThrottleBurstLimit int
	// MonthlyQuota is the REST usage plan's requests per month per API
	// key. REST only. Default: 1,000,000.
	MonthlyQuota int
	// MaxBatchSize is the most instances one request may carry, enforced
	// by the REST request validation and by the model server
	// (MAX_INSTANCES). Default: 32.
	MaxBatchSize int
	// MaxInstanceLength bounds one instance: characters of a text, numbers
	// of a vector (REST request validation). Default: 4096.
	MaxInstanceLength int
	// Cors enables CORS for the listed origins. Default: off.
	Cors *Cors
	// LogRetention is how long the function's and the API's logs are kept;
	// it must be finite. Default: one month.
	LogRetention awslogs.RetentionDays
	// LogRemovalPolicy applies to the log groups. Default: retain.
	LogRemovalPolicy awscdk.RemovalPolicy
	// LogLevel is the model server's level: debug, info, warn or error.
	// Default: info.
	LogLevel string
	// LogFormat is the model server's log format: json or text. Default: json.
	LogFormat string
	// Tracing turns on AWS X-Ray for the function and a REST stage.
	// Default: off.
	Tracing bool
	// Environment adds variables to the function; it may not set the ones
	// the construct owns (MODEL_DIR, LOG_LEVEL, LOG_FORMAT, MAX_INSTANCES) or AWS_*.
	// Default: none.
	Environment map[string]string
	// Traffic is the traffic the stage expects, recorded for the cost
	// report. Default: zero (unknown).
	Traffic workload.Traffic
	// Description is the function's and the API's description. Default: a
	// generic one.
	Description string
}

// Schedule is a weekly window, in a time zone, during which provisioned
// concurrency is on.
type Schedule struct {
	// Days are the days the window opens. Default: Monday to Friday.
	Days []time.Weekday
	// StartHour and EndHour bound the window, 0 to 23, StartHour < EndHour.
	StartHour, EndHour int
	// TimeZone is an IANA time zone name. Default: UTC.
	TimeZone string
}

// Cors configures cross-origin requests.
type Cors struct {
	// AllowOrigins lists the allowed origins; required.
	AllowOrigins []string
	// AllowHeaders lists extra allowed headers. Default: Content-Type,
	// X-Api-Key.
	AllowHeaders []string
	// MaxAge is how long a browser caches the preflight. Default: 10 minutes.
	MaxAge time.Duration
}

// hoursPerMonth is how many hours a month the window is open.
func (s Schedule) hoursPerMonth() float64 {
	return float64((s.EndHour-s.StartHour)*len(s.Days)) * 365.0 / 7 / 12
}

var weekdayCron = [...]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// cronDays renders the days for a cron day-of-week field.
func (s Schedule) cronDays() string {
	days := slices.Clone(s.Days)
	slices.Sort(days)
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = weekdayCron[d]
	}
	return strings.Join(out, ",")
}

// ValidationError is what Err returns for bad props: the construct path
// (Path) and every problem (Problems), each naming the field, the bad value
// and what is allowed. It is the one type every costguard construct
// reports, so errors.As with any package's alias matches them all.
type ValidationError = validation.Error

// resolved is the configuration after defaults, on a copy of the props.
type resolved struct {
	LambdaAPIProps
	arch           workload.Architecture
	frontDoorLimit time.Duration
	reserved       int // 0 when Unreserved
	provisionedMax int
	provisionedHrs float64
}

// resolve copies p, applies the defaults, runs every named check and
// derives what the profiles size (memory, timeout) and the provisioned
// hours; p is not modified.
func (p LambdaAPIProps) resolve() (resolved, []error) {
	r := p.withDefaults()
	var errs []error
	for _, check := range []func(LambdaAPIProps) []error{
		r.checkBasics, r.checkMemory, r.checkTimeout, r.checkConcurrency, r.checkProvisioned,
		r.checkSchedule, r.checkStage, r.checkRequests, r.checkLogs, r.checkTraffic,
	} {
		errs = append(errs, check(p)...)
	}
	return r, append(errs, r.derive(p)...)
}

// withDefaults returns p, copied, with every zero optional field resolved
// to its default (an invalid value stays for the checks to report).
func (p LambdaAPIProps) withDefaults() resolved {
	r := resolved{LambdaAPIProps: p, arch: cmp.Or(p.Architecture, workload.ArchARM64)}
	r.FrontDoor = cmp.Or(p.FrontDoor, workload.FrontDoorREST)
	r.frontDoorLimit = limits.RESTIntegrationTimeout
	switch it := p.IntegrationTimeout; {
	case r.FrontDoor == workload.FrontDoorHTTP:
		r.frontDoorLimit = limits.HTTPIntegrationTimeout
	case it >= time.Second && it <= limits.LambdaMaxTimeout && it%time.Millisecond == 0:
		r.frontDoorLimit = it
	}
	if p.MemoryMiB == 0 && p.MemoryProfile == nil {
		r.MemoryMiB = DefaultMemoryMiB
	}
	if p.MemoryProfile != nil {
		r.MemoryStrategy = cmp.Or(p.MemoryStrategy, sizing.StrategyBalanced)
	}
	if p.Timeout == 0 && p.LatencyProfile == nil {
		r.Timeout = min(DefaultTimeout, r.frontDoorLimit)
	}
	r.EphemeralStorageMiB = cmp.Or(p.EphemeralStorageMiB, limits.LambdaMinEphemeralMiB)
	if !p.Unreserved {
		r.ReservedConcurrency = cmp.Or(p.ReservedConcurrency, DefaultReservedConcurrency)
		r.reserved = max(r.ReservedConcurrency, 0)
	}
	r.provisionedMax = max(p.ProvisionedConcurrency, p.ProvisionedMaxConcurrency)
	r.ProvisionedUtilizationTarget = cmp.Or(p.ProvisionedUtilizationTarget, DefaultUtilizationTarget)
	if s := p.ProvisionedSchedule; s != nil {
		sc := *s
		sc.Days = slices.Clone(s.Days)
		if len(sc.Days) == 0 {
			sc.Days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
		}
		sc.TimeZone = cmp.Or(sc.TimeZone, DefaultTimeZone)
		r.ProvisionedSchedule = &sc
	}
	r.StageName = cmp.Or(p.StageName, DefaultStageName)
	r.ThrottleRateLimit = cmp.Or(p.ThrottleRateLimit, DefaultThrottleRateLimit)
	r.ThrottleBurstLimit = cmp.Or(p.ThrottleBurstLimit, DefaultThrottleBurstLimit)
	if p.MonthlyQuota == 0 && r.FrontDoor == workload.FrontDoorREST {
		r.MonthlyQuota = DefaultMonthlyQuota
	}
	r.MaxBatchSize = cmp.Or(p.MaxBatchSize, DefaultMaxBatchSize)
	r.MaxInstanceLength = cmp.Or(p.MaxInstanceLength, DefaultMaxInstanceLength)
	r.LogRetention = cmp.Or(p.LogRetention, awslogs.RetentionDays_ONE_MONTH)
	r.LogRemovalPolicy = cmp.Or(p.LogRemovalPolicy, awscdk.RemovalPolicy_RETAIN)
	r.LogLevel = cmp.Or(p.LogLevel, DefaultLogLevel)
	r.LogFormat = cmp.Or(p.LogFormat, DefaultLogFormat)
	r.Description = cmp.Or(p.Description, "costguard inference API: model server on AWS Lambda")
	return r
}

// checkBasics checks the code, the architecture and the front door with
// its integration timeout.
func (r resolved) checkBasics(p LambdaAPIProps) []error {
	var ps validation.Problems
	if p.Code == nil {
		ps.Add("Code: missing; pass the deployment package (bootstrap plus model/)")
	}
	if r.arch != workload.ArchARM64 && r.arch != workload.ArchX86_64 {
		ps.Add("Architecture: %q is not supported; use arm64 or x86_64", p.Architecture)
	}
	if r.FrontDoor != workload.FrontDoorREST && r.FrontDoor != workload.FrontDoorHTTP {
		ps.Add("FrontDoor: %q is not one of %q, %q", p.FrontDoor, workload.FrontDoorREST, workload.FrontDoorHTTP)
	}
	if p.CloudWatchRole && r.FrontDoor == workload.FrontDoorHTTP {
		ps.Add("CloudWatchRole: true is set but HTTP APIs log without the account's API Gateway role; leave it false")
	}
	switch it := p.IntegrationTimeout; {
	case it == 0:
	case r.FrontDoor == workload.FrontDoorHTTP:
		ps.Add("IntegrationTimeout: %s is set but an HTTP API's integration timeout is fixed at %s at most; use the REST front door or leave it 0", secs(it), secs(limits.HTTPIntegrationTimeout))
	case it < time.Second || it > limits.LambdaMaxTimeout || it%time.Millisecond != 0:
		ps.Add("IntegrationTimeout: %s is outside the allowed 1s to %s in whole milliseconds", secs(it), secs(limits.LambdaMaxTimeout))
	}
	return ps
}

// checkMemory checks the memory, or that a memory profile is not given
// with it.
func (r resolved) checkMemory(p LambdaAPIProps) []error {
	var ps validation.Problems
	if p.MemoryMiB != 0 && p.MemoryProfile != nil {
		ps.Add("MemoryMiB: %d conflicts with MemoryProfile; set one or the other", p.MemoryMiB)
	}
	if m := p.MemoryMiB; m != 0 && (m < limits.LambdaMinMemoryMiB || m > limits.LambdaMaxMemoryMiB) {
		ps.Add("MemoryMiB: %d is outside the allowed %d to %d", m, limits.LambdaMinMemoryMiB, limits.LambdaMaxMemoryMiB)
	}
	return ps
}

// checkTimeout checks a given timeout against Lambda's limits and the
// front door's, and the ephemeral storage.
func (r resolved) checkTimeout(p LambdaAPIProps) []error {
	var ps validation.Problems
	if p.Timeout != 0 && p.LatencyProfile != nil {
		ps.Add("Timeout: %s conflicts with LatencyProfile; set one or the other", secs(p.Timeout))
	}
	switch t := p.Timeout; {
	case t == 0:
	case t < time.Second || t > limits.LambdaMaxTimeout:
		ps.Add("Timeout: %s is outside the allowed 1s to %s", secs(t), secs(limits.LambdaMaxTimeout))
	case t%time.Second != 0:
		ps.Add("Timeout: %s is not a whole number of seconds", secs(t))
	case t > r.frontDoorLimit:
		ps.Add("Timeout: %s exceeds the %s's %s integration timeout; a function that outlives its caller bills for work nobody receives (use at most %s, or raise a REST API's IntegrationTimeout)", secs(t), frontDoorName(r.FrontDoor), secs(r.frontDoorLimit), secs(r.frontDoorLimit))
	}
	if e := r.EphemeralStorageMiB; e < limits.LambdaMinEphemeralMiB || e > limits.LambdaMaxEphemeralMiB {
		ps.Add("EphemeralStorageMiB: %d is outside the allowed %d to %d", e, limits.LambdaMinEphemeralMiB, limits.LambdaMaxEphemeralMiB)
	}
	return ps
}

// checkConcurrency checks reserved concurrency and that provisioned
// concurrency fits under it.
func (r resolved) checkConcurrency(p LambdaAPIProps) []error {
	var ps validation.Problems
	maxReserved := limits.LambdaDefaultAccountConcurrency - limits.LambdaUnreservedMinimum
	switch rc := p.ReservedConcurrency; {
	case p.Unreserved && rc != 0:
		ps.Add("ReservedConcurrency: %d conflicts with Unreserved; set one or the other", rc)
	case !p.Unreserved && rc != 0 && (rc < 0 || rc > maxReserved):
		// Zero would throttle every request; that is the kill switch's
		// job, not a configuration.
		ps.Add("ReservedConcurrency: %d is outside the allowed 1 to %d (the default account quota %d less the %d Lambda keeps unreserved)", rc, maxReserved, limits.LambdaDefaultAccountConcurrency, limits.LambdaUnreservedMinimum)
	}
	pc := p.ProvisionedConcurrency
	if pc < 0 {
		ps.Add("ProvisionedConcurrency: %d is negative; use 0 for none", pc)
	}
	if r.reserved > 0 && r.reserved <= maxReserved && pc > r.reserved {
		ps.Add("ProvisionedConcurrency: %d exceeds ReservedConcurrency %d; provisioned environments beyond the cap can never serve", pc, r.reserved)
	}
	return ps
}

// checkProvisioned checks provisioned concurrency's autoscaling bounds and
// utilization target.
func (r resolved) checkProvisioned(p LambdaAPIProps) []error {
	var ps validation.Problems
	pc := p.ProvisionedConcurrency
	switch m := p.ProvisionedMaxConcurrency; {
	case m == 0:
	case pc <= 0:
		ps.Add("ProvisionedMaxConcurrency: %d needs ProvisionedConcurrency above 0", m)
	case m < pc:
		ps.Add("ProvisionedMaxConcurrency: %d is below ProvisionedConcurrency %d", m, pc)
	case r.reserved > 0 && m > r.reserved:
		ps.Add("ProvisionedMaxConcurrency: %d exceeds ReservedConcurrency %d", m, r.reserved)
	}
	if t := p.ProvisionedUtilizationTarget; t != 0 {
		if !(t >= minUtilizationTarget && t <= maxUtilizationTarget) {
			ps.Add("ProvisionedUtilizationTarget: %g is outside the allowed %g to %g", t, minUtilizationTarget, maxUtilizationTarget)
		}
		if p.ProvisionedMaxConcurrency == 0 {
			ps.Add("ProvisionedUtilizationTarget: %g needs ProvisionedMaxConcurrency above ProvisionedConcurrency", t)
		}
	}
	return ps
}

// checkSchedule checks provisioned concurrency's schedule.
func (r resolved) checkSchedule(p LambdaAPIProps) []error {
	var ps validation.Problems
	sc := r.ProvisionedSchedule
	if sc == nil {
		return nil
	}
	if p.ProvisionedConcurrency <= 0 {
		ps.Add("ProvisionedSchedule: needs ProvisionedConcurrency above 0")
	}
	if sc.StartHour < 0 || sc.StartHour > 23 || sc.EndHour < 0 || sc.EndHour > 23 || sc.StartHour >= sc.EndHour {
		ps.Add("ProvisionedSchedule: hours %d to %d are not a window within 0 to 23 with StartHour before EndHour", sc.StartHour, sc.EndHour)
	}
	seen := map[time.Weekday]bool{}
	for _, d := range sc.Days {
		if d < time.Sunday || d > time.Saturday || seen[d] {
			ps.Add("ProvisionedSchedule: day %d is not a weekday or is repeated", d)
		}
		seen[d] = true
	}
	if _, err := time.LoadLocation(sc.TimeZone); err != nil || sc.TimeZone == "Local" {
		ps.Add("ProvisionedSchedule: time zone %q is not an IANA time zone name", sc.TimeZone)
	}
	return ps
}

// checkStage checks the API stage: name, throttle (the one rule of every
// tier) and quota.
func (r resolved) checkStage(p LambdaAPIProps) []error {
	var ps validation.Problems
	if !validStageName(r.StageName) {
		ps.Add("StageName: %q is not 1 to 128 letters, digits, hyphens or underscores", p.StageName)
	}
	ps = append(ps, frontdoor.ThrottleProblems(r.ThrottleRateLimit, r.ThrottleBurstLimit)...)
	switch q := p.MonthlyQuota; {
	case q != 0 && r.FrontDoor == workload.FrontDoorHTTP:
		ps.Add("MonthlyQuota: %d is set but HTTP APIs have no usage plans; use the REST front door or leave it 0", q)
	case q < 0:
		ps.Add("MonthlyQuota: %d is negative; use a positive number of requests per month", q)
	}
	return ps
}

// checkRequests checks a request's batch and instance limits, and CORS.
func (r resolved) checkRequests(p LambdaAPIProps) []error {
	var ps validation.Problems
	if n := p.MaxBatchSize; n < 0 {
		ps.Add("MaxBatchSize: %d is negative; use a positive number of instances", n)
	}
	if n := p.MaxInstanceLength; n < 0 {
		ps.Add("MaxInstanceLength: %d is negative; use a positive length", n)
	}
	if c := p.Cors; c != nil {
		if len(c.AllowOrigins) == 0 {
			ps.Add("Cors: AllowOrigins is empty; list the origins or leave Cors nil to keep CORS off")
		}
		for _, o := range c.AllowOrigins {
			if o == "" {
				ps.Add("Cors: AllowOrigins has an empty origin")
			}
		}
		if c.MaxAge < 0 {
			ps.Add("Cors: MaxAge %v is negative", c.MaxAge)
		}
	}
	return ps
}

// checkLogs checks the logs' retention, level and format, and the
// function's environment.
func (r resolved) checkLogs(p LambdaAPIProps) []error {
	var ps validation.Problems
	if r.LogRetention == awslogs.RetentionDays_INFINITE {
		ps.Add("LogRetention: %q keeps logs forever; choose a finite retention", p.LogRetention)
	}
	if !slices.Contains(LogLevels, r.LogLevel) {
		ps.Add("LogLevel: %q is not one of %s", p.LogLevel, strings.Join(LogLevels, ", "))
	}
	if !slices.Contains(LogFormats, r.LogFormat) {
		ps.Add("LogFormat: %q is not one of %s", p.LogFormat, strings.Join(LogFormats, ", "))
	}
	for _, k := range slices.Sorted(maps.Keys(p.Environment)) {
		if slices.Contains(ownedEnv, k) || strings.HasPrefix(k, "AWS_") || !validEnvName(k) {
			ps.Add("Environment: %q is reserved or not a valid name (the construct sets %s; Lambda reserves AWS_*)", k, strings.Join(ownedEnv, ", "))
		}
	}
	return ps
}

// checkTraffic checks the expected traffic.
func (r resolved) checkTraffic(p LambdaAPIProps) []error {
	var ps validation.Problems
	t := p.Traffic
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"RequestsPerMonth", t.RequestsPerMonth}, {"AvgDurationMs", t.AvgDurationMs}, {"P99DurationMs", t.P99DurationMs},
		{"PayloadBytes", t.PayloadBytes}, {"InitDurationMs", t.InitDurationMs},
	} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			ps.Add("Traffic.%s: %g is not a finite number of at least 0", f.name, f.v)
		}
	}
	if !(t.ColdStartRate >= 0 && t.ColdStartRate <= 1) {
		ps.Add("Traffic.ColdStartRate: %g is outside the allowed 0 to 1", t.ColdStartRate)
	}
	if t.PayloadBytes > limits.LambdaSyncPayloadBytes {
		ps.Add("Traffic.PayloadBytes: %g exceeds Lambda's %d-byte synchronous payload limit", t.PayloadBytes, limits.LambdaSyncPayloadBytes)
	}
	return ps
}

// derive sizes what the profiles give (the memory from a MemoryProfile,
// the timeout from a LatencyProfile, within the front door's) and the
// provisioned hours a month.
func (r *resolved) derive(p LambdaAPIProps) []error {
	var ps validation.Problems
	if p.MemoryProfile != nil && p.MemoryMiB == 0 {
		rec, err := sizing.Recommend(*p.MemoryProfile, r.MemoryStrategy, sizing.Options{Arch: pricing.Arch(r.arch)})
		for _, e := range splitErr(err) {
			ps.Add("MemoryProfile: %v", e)
		}
		r.MemoryMiB = rec.MemoryMiB
	}
	if p.LatencyProfile != nil && p.Timeout == 0 {
		t, err := sizing.RightSizeTimeout(*p.LatencyProfile, r.frontDoorLimit)
		for _, e := range splitErr(err) {
			ps.Add("LatencyProfile: %v", e)
		}
		r.Timeout = t
	}
	if p.ProvisionedConcurrency > 0 {
		r.provisionedHrs = HoursPerMonth
		if r.ProvisionedSchedule != nil {
			r.provisionedHrs = r.ProvisionedSchedule.hoursPerMonth()
		}
	}
	return ps
}

// splitErr is the problems inside err (none when nil).
func splitErr(err error) []error {
	if err == nil {
		return nil
	}
	return validation.Split(err)
}

// secs formats a duration in seconds ("60s", "0.5s").
func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s" }

func frontDoorName(f workload.FrontDoor) string {
	if f == workload.FrontDoorHTTP {
		return "HTTP API"
	}
	return "REST API"
}

// ownedEnv are the variables the construct sets for the model server.
var ownedEnv = []string{"LOG_FORMAT", "LOG_LEVEL", "MAX_INSTANCES", "MODEL_DIR"}

func validEnvName(k string) bool {
	if k == "" {
		return false
	}
	for i, c := range k {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func validStageName(s string) bool {
	if len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// workload returns the cost record of the resolved configuration.
func (r resolved) workload() workload.Workload {
	return workload.Workload{
		Version:   workload.SchemaVersion,
		Tier:      workload.TierLambda,
		FrontDoor: r.FrontDoor,
		Traffic:   r.Traffic,
		Lambda: &workload.Lambda{
			MemoryMiB:                r.MemoryMiB,
			Architecture:             r.arch,
			EphemeralStorageMiB:      r.EphemeralStorageMiB,
			ReservedConcurrency:      r.reserved,
			ProvisionedConcurrency:   r.ProvisionedConcurrency,
			ProvisionedHoursPerMonth: round2(r.provisionedHrs),
		},
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// requestSchema is the REST request model of POST /predict: an object with
// "instances", a non-empty array of at most MaxBatchSize texts (at most
// MaxInstanceLength characters) or vectors (at most MaxInstanceLength numbers).
func (r resolved) requestSchema() *awsapigateway.JsonSchema {
	n := func(v int) *float64 { f := float64(v); return &f }
	return &awsapigateway.JsonSchema{
		Schema:               awsapigateway.JsonSchemaVersion_DRAFT4,
		Title:                jsii.String("PredictRequest"),
		Type:                 awsapigateway.JsonSchemaType_OBJECT,
		Required:             &[]*string{jsii.String("instances")},
		AdditionalProperties: false,
		Properties: &map[string]*awsapigateway.JsonSchema{
			"instances": {
				Type:     awsapigateway.JsonSchemaType_ARRAY,
				MinItems: n(1),
				MaxItems: n(r.MaxBatchSize),
				Items: &awsapigateway.JsonSchema{
					OneOf: &[]*awsapigateway.JsonSchema{
						{Type: awsapigateway.JsonSchemaType_STRING, MinLength: n(1), MaxLength: n(r.MaxInstanceLength)},
						{Type: awsapigateway.JsonSchemaType_ARRAY, MinItems: n(1), MaxItems: n(r.MaxInstanceLength), Items: &awsapigateway.JsonSchema{Type: awsapigateway.JsonSchemaType_NUMBER}},
					},
				},
			},
		},
	}
}
