package estimate

import (
	"fmt"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// Options apply to every estimate of a workload.
type Options struct {
	// FreeTier applies the Lambda free tier.
	FreeTier bool
}

// Workload prices a month of the workload record w with p, at the traffic
// w records.
func Workload(w workload.Workload, p pricing.Prices, o Options) (Estimate, error) {
	if err := w.Validate(); err != nil {
		return Estimate{}, err
	}
	t := w.Traffic
	fd := FrontDoor(w.FrontDoor)
	switch w.Tier {
	case workload.TierLambda:
		l := w.Lambda
		return EstimateLambda(Lambda{
			Requests: t.RequestsPerMonth, DurationMs: t.AvgDurationMs, MemoryMiB: l.MemoryMiB,
			Arch: pricing.Arch(l.Architecture), EphemeralMiB: l.EphemeralStorageMiB, FreeTier: o.FreeTier,
			ColdStartRate: t.ColdStartRate, InitDurationMs: t.InitDurationMs,
			Provisioned: l.ProvisionedConcurrency, ProvisionedHours: l.ProvisionedHoursPerMonth,
			ProvisionedRequests: l.ProvisionedRequestShare * t.RequestsPerMonth,
			FrontDoor:           fd, PayloadBytes: t.PayloadBytes,
		}, p)
	case workload.TierFargate:
		f := w.Fargate
		tasks := f.AvgTasks
		if tasks == 0 {
			tasks = float64(f.MinTasks)
		}
		return EstimateFargate(Fargate{
			CPU: f.CPU, MemoryMiB: f.MemoryMiB, Arch: pricing.Arch(f.Architecture), Tasks: tasks,
			FrontDoor: fd, Requests: t.RequestsPerMonth, PayloadBytes: t.PayloadBytes,
		}, p)
	case workload.TierSageMakerServerless, workload.TierSageMakerRealtime, workload.TierSageMakerAsync:
		s := w.SageMaker
		mode := map[workload.Tier]SageMakerMode{
			workload.TierSageMakerServerless: SageMakerServerless,
			workload.TierSageMakerRealtime:   SageMakerRealtime,
			workload.TierSageMakerAsync:      SageMakerAsync,
		}[w.Tier]
		inst := s.AvgInstances
		if inst == 0 {
			inst = float64(s.MinInstances)
		}
		// The record's payload is a request plus its response; SageMaker
		// bills data in and data out, so each gets half.
		return EstimateSageMaker(SageMaker{
			Mode: mode, Requests: t.RequestsPerMonth, DurationMs: t.AvgDurationMs,
			PayloadBytes: t.PayloadBytes / 2, ResponseBytes: t.PayloadBytes / 2,
			MemoryMiB: s.MemoryMiB, InstanceType: s.InstanceType, Instances: inst, FrontDoor: fd,
		}, p)
	}
	return Estimate{}, fmt.Errorf("workload tier: %q is not priced", w.Tier)
}
