package service

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/validation"
)

// Profile is what InferenceService knows about a model, as measured on
// one full vCPU.
type Profile struct {
	// ArtifactMB is the size of the model and the server as deployed,
	// unzipped. Default 0 (small).
	ArtifactMB float64
	// PeakMemoryMB is the serving process's peak memory. Required.
	PeakMemoryMB float64
	// P99LatencyMs is the 99th-percentile duration of one request. Required.
	P99LatencyMs float64
	// AvgLatencyMs is the average duration of one request. Default: the
	// traffic's AvgDurationMs, else half of P99LatencyMs.
	AvgLatencyMs float64
	// GPU says the model needs a GPU to meet its latency. Default false.
	GPU bool
	// PayloadBytes is the largest request payload. Default: the traffic's
	// PayloadBytes.
	PayloadBytes float64
}

// ImageFunc creates the model server's container image asset for an
// architecture, under scope with id ([ModelServerImage] returns one for a
// model directory); InferenceService calls it only when it builds a
// container tier, so a Lambda stage carries no image asset.
// An error (the image could not be staged) is reported as the service's
// problem.
type ImageFunc func(scope constructs.Construct, id string, arch workload.Architecture) (awsecrassets.DockerImageAsset, error)

// InferenceServiceProps configures an [InferenceService]. The zero value
// of every optional field selects the documented default.
type InferenceServiceProps struct {
	// Profile describes the model. Required.
	Profile Profile
	// Traffic is what the stage expects; RequestsPerMonth drives placement
	// and the cost report. Default: no traffic (fixed costs only).
	Traffic workload.Traffic
	// MonthlyBudgetUSD is the stage's budget, given to the cost guard; the
	// decision warns when the chosen tier's estimate exceeds it. Default 0
	// (no budget; then Guard must be nil).
	MonthlyBudgetUSD float64
	// Tier overrides placement. It must be feasible for the model: an
	// override that breaks a hard limit fails synth naming the limit.
	// Default: placement's choice.
	Tier workload.Tier
	// Architecture is the Lambda function's and the Fargate task's CPU
	// architecture. SageMaker instances are x86_64. Default arm64.
	Architecture workload.Architecture
	// Prices are the price tables placement uses, and the guard's unless
	// Guard.Prices is set. Default: the built-in tables of PriceRegion.
	Prices *pricing.Prices
	// PriceRegion is the region whose built-in prices placement uses when
	// Prices is nil. Default
	// pricing.DefaultRegion.
	PriceRegion string

	// LambdaCode is the Lambda tier's deployment package (bootstrap and
	// model/), built for Architecture. Required when the tier is lambda.
	LambdaCode awslambda.Code
	// ContainerImage creates the container image of the Fargate and
	// SageMaker tiers. Required when the tier is one of them; without it,
	// placement never chooses them.
	ContainerImage ImageFunc
	// LambdaMargin is how much cheaper than Lambda, as a fraction of
	// Lambda's monthly cost, another tier must be for placement to choose
	// it. Default: placement.DefaultMargin (0.20); placement.NoMargin
	// compares prices alone.
	LambdaMargin float64
	// ModelData is the SageMaker tiers' model archive. Default: the model
	// built into the image.
	ModelData sagemaker.ModelData

	// Lambda, Fargate and SageMaker are the tiers' props. InferenceService
	// fills what placement decides (memory, task size and count, instance
	// type and count, traffic, placement reasons) where the field is zero,
	// and the code or image above. Default: each construct's defaults.
	Lambda    inference.LambdaAPIProps
	Fargate   fargate.ServiceProps
	SageMaker sagemaker.EndpointProps

	// Guard configures the cost guard attached to whichever tier is built
	// (stage, subscribers, tags, kill switch, alarms); InferenceService
	// fills in the tier (the built construct's GuardTier) and
	// MonthlyBudgetUSD where zero. On sagemaker-serverless, which has no
	// instances to hold, the kill switch is left out with a warning.
	// Default: no guard.
	Guard *guard.CostGuardProps
}

// InferenceService is a model served on the tier that fits it. Exactly one
// of Lambda, Fargate and SageMaker is non-nil.
type InferenceService struct {
	constructs.Construct
	decision Decision
	lambda   *inference.LambdaAPI
	fargate  *fargate.Service
	endpoint *sagemaker.Endpoint
	costs    *guard.CostGuard
	err      *validation.Error
	url      *string
	workload workload.Workload
}

// Decision is where the model went and why.
type Decision struct {
	// Tier is the tier built.
	Tier workload.Tier
	// Overridden is true when Tier came from the props, not placement.
	Overridden bool
	// Reasons explain the choice, one a line: placement's reasons, plus the
	// override when there is one.
	Reasons []string
	// Option is placement's sizing and monthly estimate of Tier.
	Option placement.Option
	// Placement is placement's full decision (every tier, its limits and
	// cost).
	Placement placement.Decision
}

// ValidationError is what Err returns for bad props: the construct path
// (Path) and every problem (Problems), each naming the field, the bad value
// and what is allowed. It is the one type every costguard construct
// reports, so errors.As with any package's alias matches them all.
type ValidationError = validation.Error

// validate reports the problems of the props themselves, before placement.
func (p InferenceServiceProps) validate() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"Profile.ArtifactMB", p.Profile.ArtifactMB}, {"Profile.PeakMemoryMB", p.Profile.PeakMemoryMB},
		{"Profile.P99LatencyMs", p.Profile.P99LatencyMs}, {"Profile.AvgLatencyMs", p.Profile.AvgLatencyMs},
		{"Profile.PayloadBytes", p.Profile.PayloadBytes}, {"Traffic.RequestsPerMonth", p.Traffic.RequestsPerMonth},
		{"MonthlyBudgetUSD", p.MonthlyBudgetUSD},
	} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			bad("%s: %g is not a non-negative number", f.name, f.v)
		}
	}
	if p.Profile.PeakMemoryMB == 0 {
		bad("Profile.PeakMemoryMB: required (the serving process's peak memory)")
	}
	if p.Profile.P99LatencyMs == 0 {
		bad("Profile.P99LatencyMs: required (one request's p99 duration on one vCPU)")
	}
	if avg, p99 := p.avgMs(), p.Profile.P99LatencyMs; avg > p99 && p99 > 0 {
		bad("Profile.AvgLatencyMs: %g exceeds Profile.P99LatencyMs %g", avg, p99)
	}
	if p.Tier != "" && !slices.Contains(workload.Tiers, p.Tier) {
		bad("Tier: %q is not one of %s", p.Tier, joinTiers(workload.Tiers))
	}
	switch p.Architecture {
	case "", workload.ArchARM64, workload.ArchX86_64:
	default:
		bad("Architecture: %q is not one of arm64, x86_64", p.Architecture)
	}
	if _, err := p.prices(); err != nil {
		bad("PriceRegion: %v", err)
	}
	if p.Guard != nil && p.MonthlyBudgetUSD == 0 {
		bad("MonthlyBudgetUSD: required with Guard (the budget the guard enforces)")
	}
	return errs
}

// prices are the price tables placement uses: Prices, or the built-in
// tables of PriceRegion.
func (p InferenceServiceProps) prices() (pricing.Prices, error) {
	if p.Prices != nil {
		return *p.Prices, nil
	}
	return pricing.ForRegion(p.PriceRegion)
}

func joinTiers(ts []workload.Tier) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func (p InferenceServiceProps) avgMs() float64 {
	switch {
	case p.Profile.AvgLatencyMs > 0:
		return p.Profile.AvgLatencyMs
	case p.Traffic.AvgDurationMs > 0:
		return p.Traffic.AvgDurationMs
	}
	return 0
}

// traffic is the traffic recorded for the cost report: the props' traffic
// with the durations and payload the profile gives where it says nothing.
func (p InferenceServiceProps) traffic() workload.Traffic {
	t := p.Traffic
	if t.AvgDurationMs == 0 {
		t.AvgDurationMs = p.avgMs()
		if t.AvgDurationMs == 0 {
			t.AvgDurationMs = p.Profile.P99LatencyMs / 2
		}
	}
	if t.P99DurationMs == 0 {
		t.P99DurationMs = p.Profile.P99LatencyMs
	}
	if t.PayloadBytes == 0 {
		t.PayloadBytes = p.Profile.PayloadBytes
	}
	return t
}

func (p InferenceServiceProps) arch() workload.Architecture {
	if p.Architecture == "" {
		return workload.ArchARM64
	}
	return p.Architecture
}

// model is placement's view of the props.
func (p InferenceServiceProps) model() placement.Model {
	payload := p.Profile.PayloadBytes
	if payload == 0 {
		payload = p.Traffic.PayloadBytes
	}
	door := estimate.FrontDoorREST
	if p.Lambda.FrontDoor == workload.FrontDoorHTTP {
		door = estimate.FrontDoorHTTP
	}
	return placement.Model{
		ArtifactMB: p.Profile.ArtifactMB, PeakMemoryMB: p.Profile.PeakMemoryMB,
		P99Ms: p.Profile.P99LatencyMs, AvgMs: p.avgMs(), GPU: p.Profile.GPU, PayloadBytes: payload,
		RequestsPerMonth: p.Traffic.RequestsPerMonth, FrontDoor: door, Arch: pricing.Arch(p.arch()),
		NoContainerImage: p.ContainerImage == nil, Margin: p.LambdaMargin,
	}
}

// Decide returns where props' model goes and why, without building
// anything: placement's choice, or the override after checking it against
// every hard limit of its tier.
func Decide(props InferenceServiceProps) (Decision, error) {
	if errs := props.validate(); len(errs) > 0 {
		return Decision{}, errors.Join(errs...)
	}
	prices, _ := props.prices()
	m := props.model()
	pd, err := placement.Place(m, prices)
	if err != nil && props.Tier == "" {
		return Decision{}, fmt.Errorf("Profile: %w", err)
	}
	d := Decision{Tier: pd.Tier, Reasons: slices.Clone(pd.Reasons), Placement: pd}
	if props.Tier != "" {
		o := placement.Evaluate(m, props.Tier, prices)
		if !o.Feasible {
			return Decision{}, fmt.Errorf("Tier: %s cannot serve this model: %s", props.Tier, strings.Join(o.Limits, "; "))
		}
		d.Overridden = true
		d.Tier = props.Tier
		lead := fmt.Sprintf("%s chosen by override", props.Tier)
		if pd.Tier != "" && pd.Tier != props.Tier {
			lead += fmt.Sprintf(" (placement would choose %s)", pd.Tier)
		}
		d.Reasons = append([]string{lead}, d.Reasons...)
	}
	d.Option, _ = pd.Option(d.Tier)
	if !d.Option.Feasible {
		d.Option = placement.Evaluate(m, d.Tier, prices)
	}
	return d, nil
}

// NewInferenceService places the model and builds its tier. When the props
// are invalid, no tier can serve the model, or the Tier override breaks a
// limit of its tier, it builds nothing: every problem is reported at once
// as a CDK error annotation (`cdk synth` fails listing them) and by
// [InferenceService.Err].
func NewInferenceService(scope constructs.Construct, id string, props *InferenceServiceProps) *InferenceService {
	var p InferenceServiceProps
	if props != nil {
		p = *props
	}
	s := &InferenceService{}
	constructs.NewConstruct_Override(s, scope, &id)
	d, err := Decide(p)
	if err == nil {
		err = p.artifactFor(d.Tier)
	}
	if s.err = validation.Report(s, err); s.err != nil {
		return s
	}
	s.decision = d
	switch d.Tier {
	case workload.TierLambda:
		s.buildLambda(p, d.Option)
	case workload.TierFargate:
		s.buildFargate(p, d.Option)
	default:
		s.buildSageMaker(p, d.Option)
	}
	if s.Err() == nil {
		s.annotate(p)
	}
	return s
}

// Err returns the problems of the props it was built from, or of the tier
// or guard it built from them, or nil. A service with problems built
// nothing more, and its tier accessors may return nil.
func (s *InferenceService) Err() error {
	var errs []error
	if s.err != nil {
		errs = append(errs, s.err)
	}
	if s.lambda != nil {
		errs = append(errs, s.lambda.Err())
	}
	if s.fargate != nil {
		errs = append(errs, s.fargate.Err())
	}
	if s.endpoint != nil {
		errs = append(errs, s.endpoint.Err())
	}
	if s.costs != nil {
		errs = append(errs, s.costs.Err())
	}
	return errors.Join(errs...)
}

// artifactFor reports a missing artifact of tier t.
func (p InferenceServiceProps) artifactFor(t workload.Tier) error {
	switch {
	case t == workload.TierLambda && p.LambdaCode == nil && p.Lambda.Code == nil:
		return fmt.Errorf("LambdaCode: required for tier %s (the bootstrap and model/ package)", t)
	case t != workload.TierLambda && p.ContainerImage == nil:
		return fmt.Errorf("ContainerImage: required for tier %s (the model server image, see ModelServerImage)", t)
	}
	return nil
}

// annotate prints the decision at synth and warns when the estimate is
// over the budget.
func (s *InferenceService) annotate(p InferenceServiceProps) {
	d := s.decision
	how := "placement"
	if d.Overridden {
		how = "override"
	}
	var costs []string
	for _, o := range d.Placement.Options {
		if o.Feasible {
			costs = append(costs, fmt.Sprintf("%s $%.2f", o.Tier, o.MonthlyUSD))
		}
	}
	msg := fmt.Sprintf("costguard placement: tier %s by %s, %s, about $%.2f a month at %.0f requests: %s",
		d.Tier, how, d.Option.Config, d.Option.MonthlyUSD, p.Traffic.RequestsPerMonth, strings.Join(d.Reasons, "; "))
	if len(costs) > 0 {
		msg += " (feasible tiers: " + strings.Join(costs, ", ") + ")"
	}
	if len(d.Option.Notes) > 0 {
		msg += "; note: " + strings.Join(d.Option.Notes, "; ")
	}
	awscdk.Annotations_Of(s).AddInfo(jsii.String(msg))
	if p.MonthlyBudgetUSD > 0 && d.Option.MonthlyUSD > p.MonthlyBudgetUSD {
		awscdk.Annotations_Of(s).AddWarningV2(jsii.String("costguard:over-budget"), jsii.String(fmt.Sprintf(
			"tier %s is estimated at $%.2f a month, over the $%.2f budget", d.Tier, d.Option.MonthlyUSD, p.MonthlyBudgetUSD)), nil)
	}
}

// Decision returns where the model went and why.
func (s *InferenceService) Decision() Decision { return s.decision }

// Tier returns the tier built.
func (s *InferenceService) Tier() workload.Tier { return s.decision.Tier }

// Lambda returns the Lambda tier, or nil.
func (s *InferenceService) Lambda() *inference.LambdaAPI { return s.lambda }

// Fargate returns the Fargate tier, or nil.
func (s *InferenceService) Fargate() *fargate.Service { return s.fargate }

// SageMaker returns the SageMaker tier, or nil.
func (s *InferenceService) SageMaker() *sagemaker.Endpoint { return s.endpoint }

// CostGuard returns the cost guard, or nil when none is attached.
func (s *InferenceService) CostGuard() *guard.CostGuard { return s.costs }

// URL returns the API's base URL; clients POST to URL + "predict".
func (s *InferenceService) URL() *string { return s.url }

// Workload returns the cost record on the tier's billing resource.
func (s *InferenceService) Workload() workload.Workload { return s.workload }

// fargateImage adapts an image asset to the Fargate construct.
func fargateImage(a awsecrassets.DockerImageAsset) awsecs.ContainerImage {
	return awsecs.ContainerImage_FromDockerImageAsset(a)
}
