package stacks

import (
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/workload"
)

// ModelProfile is the stage's model as InferenceService sees it: the
// latency and payload the stage expects, and a peak memory that the
// stage's Lambda memory covers with placement's headroom.
func (s Stage) ModelProfile() service.Profile {
	if s.Profile != nil {
		return *s.Profile
	}
	return service.Profile{
		PeakMemoryMB: float64(s.MemoryMiB) / placement.MemoryHeadroom,
		P99LatencyMs: s.Traffic.P99DurationMs,
		AvgLatencyMs: s.Traffic.AvgDurationMs,
		PayloadBytes: s.Traffic.PayloadBytes,
	}
}

// ServiceProps returns the InferenceService props that serve the stage's
// model on tier, with the stage's Lambda settings (LambdaAPIProps),
// traffic, budget, throttles, log retention and alert e-mails, the model
// server image from image, and the stage's guard (without the kill switch,
// whose code the stack adds). The override is checked against the
// tier's limits like any other: an infeasible one fails synth naming the
// limit.
//
// Moving a stage off Lambda is then one field of its row in [Stages], for
// example Tier: workload.TierFargate; `make diff` shows the template change
// and the cost delta.
func (s Stage) ServiceProps(tier workload.Tier, image service.ImageFunc) *service.InferenceServiceProps {
	p := &service.InferenceServiceProps{
		Profile:          s.ModelProfile(),
		Traffic:          s.Traffic,
		MonthlyBudgetUSD: s.MonthlyBudgetUSD,
		Tier:             tier,
		Architecture:     s.Architecture,
		ContainerImage:   image,
		Lambda:           s.LambdaAPIProps(),
		Guard:            s.stageGuardProps(nil),
	}
	p.Lambda.Architecture = s.Architecture
	if tier == workload.TierLambda && s.Profile == nil {
		// On Lambda the stage's memory is configuration, not a measured
		// peak: the function checks it against Lambda's limits and names
		// the field; placement only confirms the tier.
		p.Profile.PeakMemoryMB = float64(min(s.MemoryMiB, limits.LambdaMaxMemoryMiB)) / placement.MemoryHeadroom
	}
	p.Guard.KillSwitch = nil // needs the kill switch's code: NewCostguardStack adds it
	retention := retentionDays[s.LogRetentionDays]
	p.Fargate.ThrottleRateLimit, p.Fargate.ThrottleBurstLimit, p.Fargate.LogRetention = s.ThrottleRateLimit, s.ThrottleBurstLimit, retention
	p.SageMaker.ThrottleRateLimit, p.SageMaker.ThrottleBurstLimit, p.SageMaker.LogRetention = s.ThrottleRateLimit, s.ThrottleBurstLimit, retention
	if s.Region != "" {
		p.PriceRegion = s.Region
	}
	p.Prices = s.Prices
	return p
}
