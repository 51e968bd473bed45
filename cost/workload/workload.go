package workload

import (
	"encoding/json"
	"errors"
	"fmt"
)

// MetadataKey is the resource-level metadata key under which a construct
// records the [Workload] of the resource that bills for compute.
const MetadataKey = "costguard:workload"

// StackMetadataKey is the template-level metadata key under which the app
// records the [Stack] description (stage, region, budget).
const StackMetadataKey = "costguard:stack"

// SchemaVersion is the version of the records in this package. A reader
// rejects records of a newer version than it knows.
const SchemaVersion = 1

// Tier is where a model is served.
type Tier string

// The tiers costguard can build.
const (
	TierLambda              Tier = "lambda"
	TierFargate             Tier = "fargate"
	TierSageMakerServerless Tier = "sagemaker-serverless"
	TierSageMakerRealtime   Tier = "sagemaker-realtime"
	TierSageMakerAsync      Tier = "sagemaker-async"
)

// Tiers lists every tier in a stable order.
var Tiers = []Tier{TierLambda, TierFargate, TierSageMakerServerless, TierSageMakerRealtime, TierSageMakerAsync}

// FrontDoor is the API in front of a tier.
type FrontDoor string

// The front doors costguard can build.
const (
	FrontDoorNone FrontDoor = "none"
	FrontDoorREST FrontDoor = "rest"
	FrontDoorHTTP FrontDoor = "http"
)

// Architecture is a CPU architecture, spelled as AWS Lambda spells it.
type Architecture string

// The architectures costguard supports.
const (
	ArchARM64  Architecture = "arm64"
	ArchX86_64 Architecture = "x86_64"
)

// Traffic is what a stage expects a tier to serve in a month.
type Traffic struct {
	// RequestsPerMonth is the month's total number of requests.
	RequestsPerMonth float64 `json:"requestsPerMonth"`
	// AvgDurationMs is the average billed duration of one request, in milliseconds.
	AvgDurationMs float64 `json:"avgDurationMs"`
	// P99DurationMs is the 99th-percentile duration, used for timeouts and placement.
	P99DurationMs float64 `json:"p99DurationMs,omitempty"`
	// PayloadBytes is the average size of a request plus its response.
	PayloadBytes float64 `json:"payloadBytes,omitempty"`
	// ColdStartRate is the fraction of requests that start a new execution
	// environment (0 to 1).
	ColdStartRate float64 `json:"coldStartRate,omitempty"`
	// InitDurationMs is the billed duration of one cold start's init phase.
	InitDurationMs float64 `json:"initDurationMs,omitempty"`
}

// Lambda describes an AWS Lambda function as it bills.
type Lambda struct {
	MemoryMiB           int          `json:"memoryMiB"`
	Architecture        Architecture `json:"architecture"`
	EphemeralStorageMiB int          `json:"ephemeralStorageMiB,omitempty"`
	ReservedConcurrency int          `json:"reservedConcurrency,omitempty"`
	// ProvisionedConcurrency is the number of provisioned environments while
	// provisioned concurrency is on; 0 means none.
	ProvisionedConcurrency int `json:"provisionedConcurrency,omitempty"`
	// ProvisionedHoursPerMonth is how many hours a month provisioned
	// concurrency is on (730 for always, fewer with scheduled scaling).
	ProvisionedHoursPerMonth float64 `json:"provisionedHoursPerMonth,omitempty"`
	// ProvisionedRequestShare is the fraction of the month's requests served
	// by provisioned environments (0 to 1).
	ProvisionedRequestShare float64 `json:"provisionedRequestShare,omitempty"`
}

// Fargate describes an ECS service on AWS Fargate as it bills.
type Fargate struct {
	// CPU is in ECS CPU units (1024 = 1 vCPU).
	CPU          int          `json:"cpu"`
	MemoryMiB    int          `json:"memoryMiB"`
	Architecture Architecture `json:"architecture"`
	// MinTasks is the number of tasks that run all month.
	MinTasks int `json:"minTasks"`
	MaxTasks int `json:"maxTasks"`
	// AvgTasks is the average number of running tasks over the month, if
	// known; 0 means MinTasks.
	AvgTasks float64 `json:"avgTasks,omitempty"`
}

// SageMaker describes a SageMaker endpoint as it bills.
type SageMaker struct {
	// MemoryMiB is the serverless variant's memory size (1024 to 6144).
	MemoryMiB int `json:"memoryMiB,omitempty"`
	// MaxConcurrency is the serverless variant's concurrency limit.
	MaxConcurrency int `json:"maxConcurrency,omitempty"`
	// InstanceType is the real-time or asynchronous variant's instance type.
	InstanceType string `json:"instanceType,omitempty"`
	// MinInstances is the number of instances that run all month (0 is
	// allowed for the asynchronous variant).
	MinInstances int `json:"minInstances,omitempty"`
	MaxInstances int `json:"maxInstances,omitempty"`
	// AvgInstances is the average number of running instances, if known; 0
	// means MinInstances.
	AvgInstances float64 `json:"avgInstances,omitempty"`
}

// Workload is what a construct records on the resource that bills for
// compute: the tier, its configuration and the traffic the stage expects.
// Exactly one of Lambda, Fargate and SageMaker is set, matching Tier.
type Workload struct {
	Version   int        `json:"version"`
	Tier      Tier       `json:"tier"`
	FrontDoor FrontDoor  `json:"frontDoor"`
	Traffic   Traffic    `json:"traffic"`
	Lambda    *Lambda    `json:"lambda,omitempty"`
	Fargate   *Fargate   `json:"fargate,omitempty"`
	SageMaker *SageMaker `json:"sagemaker,omitempty"`
	// Placement records why the tier was chosen, one reason a line, when the
	// tier came from placement rather than an explicit choice.
	Placement []string `json:"placement,omitempty"`
}

// Stack is what the app records at the top of each stack's template.
type Stack struct {
	Version int    `json:"version"`
	Stage   string `json:"stage"`
	// Region is the region whose prices apply; empty means the default
	// price region.
	Region string `json:"region,omitempty"`
	// MonthlyBudgetUSD is the stage's monthly budget, 0 when none is set.
	MonthlyBudgetUSD float64 `json:"monthlyBudgetUSD,omitempty"`
}

// Validate reports every problem with w, joined.
func (w Workload) Validate() error {
	var errs []error
	if w.Version < 1 || w.Version > SchemaVersion {
		errs = append(errs, fmt.Errorf("workload version: %d is not supported (want 1 to %d)", w.Version, SchemaVersion))
	}
	switch w.FrontDoor {
	case FrontDoorNone, FrontDoorREST, FrontDoorHTTP, "":
	default:
		errs = append(errs, fmt.Errorf("workload frontDoor: %q is not one of none, rest, http", w.FrontDoor))
	}
	if w.Traffic.RequestsPerMonth < 0 {
		errs = append(errs, fmt.Errorf("workload traffic.requestsPerMonth: %g is negative", w.Traffic.RequestsPerMonth))
	}
	if w.Traffic.AvgDurationMs < 0 {
		errs = append(errs, fmt.Errorf("workload traffic.avgDurationMs: %g is negative", w.Traffic.AvgDurationMs))
	}
	if r := w.Traffic.ColdStartRate; r < 0 || r > 1 {
		errs = append(errs, fmt.Errorf("workload traffic.coldStartRate: %g is outside 0 to 1", r))
	}
	set := 0
	for _, p := range []bool{w.Lambda != nil, w.Fargate != nil, w.SageMaker != nil} {
		if p {
			set++
		}
	}
	want := ""
	switch w.Tier {
	case TierLambda:
		if w.Lambda == nil {
			want = "lambda"
		}
	case TierFargate:
		if w.Fargate == nil {
			want = "fargate"
		}
	case TierSageMakerServerless, TierSageMakerRealtime, TierSageMakerAsync:
		if w.SageMaker == nil {
			want = "sagemaker"
		}
	default:
		errs = append(errs, fmt.Errorf("workload tier: %q is not one of %v", w.Tier, Tiers))
	}
	if want != "" {
		errs = append(errs, fmt.Errorf("workload %s: missing for tier %q", want, w.Tier))
	}
	if set > 1 {
		errs = append(errs, fmt.Errorf("workload: %d tier configurations set, want exactly one", set))
	}
	return errors.Join(errs...)
}

// Parse decodes and validates a [Workload] from its metadata value, which
// may be a JSON object already decoded into a map (as in a template) or raw
// JSON bytes.
func Parse(v any) (Workload, error) {
	var w Workload
	if err := decode(v, &w); err != nil {
		return Workload{}, fmt.Errorf("workload: %w", err)
	}
	return w, w.Validate()
}

// ParseStack decodes a [Stack] from its metadata value.
func ParseStack(v any) (Stack, error) {
	var s Stack
	if err := DecodeMetadata(v, &s, MetadataTextFields...); err != nil {
		return Stack{}, fmt.Errorf("stack metadata: %w", err)
	}
	if s.Version < 1 || s.Version > SchemaVersion {
		return Stack{}, fmt.Errorf("stack metadata version: %d is not supported (want 1 to %d)", s.Version, SchemaVersion)
	}
	return s, nil
}

func decode(v any, dst any) error {
	var raw []byte
	switch t := v.(type) {
	case []byte:
		raw = t
	case json.RawMessage:
		raw = t
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		raw = b
	}
	return json.Unmarshal(raw, dst)
}

// Map returns w as a generic JSON object, the form CDK metadata takes.
func (w Workload) Map() map[string]any { return toMap(w) }

// Map returns s as a generic JSON object, the form CDK metadata takes.
// Fractional numbers are written as decimal strings (see [MetadataMap]).
func (s Stack) Map() map[string]any { return MetadataMap(s) }

func toMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain numbers, strings and slices live in these types.
		panic(fmt.Sprintf("workload: marshal: %v", err))
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("workload: unmarshal: %v", err))
	}
	return m
}
