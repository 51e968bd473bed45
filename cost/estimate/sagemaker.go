package estimate

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// SageMakerMode is how a SageMaker endpoint serves.
type SageMakerMode string

// The SageMaker inference modes.
const (
	SageMakerServerless SageMakerMode = "serverless"
	SageMakerRealtime   SageMakerMode = "realtime"
	SageMakerAsync      SageMakerMode = "async"
)

// SageMaker describes a month of one SageMaker endpoint.
type SageMaker struct {
	Mode SageMakerMode
	// Requests a month, each taking DurationMs and moving PayloadBytes in
	// and ResponseBytes out (ResponseBytes 0 means the same as PayloadBytes).
	Requests      float64
	DurationMs    float64
	PayloadBytes  float64
	ResponseBytes float64
	// MemoryMiB is the serverless endpoint's memory (1024 to 6144 in 1024 steps).
	MemoryMiB int
	// InstanceType and Instances (average running) are for real-time and
	// asynchronous endpoints. An asynchronous endpoint with Instances 0
	// scales to zero and bills the instance-hours its requests keep busy.
	InstanceType string
	Instances    float64
	// Hours the instances run; 0 means all month.
	Hours float64
	// MinInstances is an asynchronous endpoint's floor (0 scales to zero),
	// and ScaleInCooldownMinutes how long an idle instance waits before it
	// scales in; 0 means DefaultScaleInCooldownMinutes.
	MinInstances           float64
	ScaleInCooldownMinutes float64
	FrontDoor              FrontDoor
}

// DefaultScaleInCooldownMinutes is the scale-in cooldown of the
// asynchronous endpoint constructs/sagemaker deploys (5 minutes).
const DefaultScaleInCooldownMinutes = 5

// AsyncInstanceHours is the instance-hours a month of an asynchronous
// endpoint that scales in to min instances: the hours requests keep
// instances busy, plus the idle hours an instance stays up because the next
// request arrives within the cooldown. With requests arriving at random
// (Poisson) at rate λ, an idle gap outlasts a cooldown W with probability
// e^(−λW), so a share 1 − e^(−λW) of the idle time is billed; that share is
// the probability that a request arrives within the cooldown.
func AsyncInstanceHours(requests, durationMs, minInstances, cooldownMinutes float64) (hours, pWithin float64) {
	busy := requests * durationMs / 1000 / 3600
	lambda := requests / pricing.SecondsPerMonth
	pWithin = 1 - math.Exp(-lambda*cooldownMinutes*60)
	idle := math.Max(pricing.HoursPerMonth-busy, 0)
	hours = busy + idle*pWithin
	if requests == 0 {
		hours = 0
	}
	return math.Max(hours, minInstances*pricing.HoursPerMonth), pWithin
}

// InstanceTypes lists the priced instance types, sorted.
func InstanceTypes(p pricing.Prices) []string {
	var t []string
	for k := range p.SageMaker.Instances {
		t = append(t, k)
	}
	sort.Strings(t)
	return t
}

// Validate reports every problem with s against p, joined.
func (s SageMaker) Validate(p pricing.Prices) error {
	var errs []error
	for name, v := range map[string]float64{"requests": s.Requests, "duration-ms": s.DurationMs, "payload-bytes": s.PayloadBytes, "response-bytes": s.ResponseBytes, "instances": s.Instances} {
		if v < 0 || !finite(v) {
			errs = append(errs, fmt.Errorf("%s: %g is not a non-negative number", name, v))
		}
	}
	if s.Hours < 0 || s.Hours > pricing.HoursPerMonth || !finite(s.Hours) {
		errs = append(errs, fmt.Errorf("hours: %g is outside 0 to %d", s.Hours, pricing.HoursPerMonth))
	}
	sm := p.SageMaker
	switch s.Mode {
	case SageMakerServerless:
		if s.MemoryMiB < sm.ServerlessMinMiB || s.MemoryMiB > sm.ServerlessMaxMiB || s.MemoryMiB%sm.ServerlessStepMiB != 0 {
			errs = append(errs, fmt.Errorf("memory-mb: %d is not one of %d to %d in steps of %d", s.MemoryMiB, sm.ServerlessMinMiB, sm.ServerlessMaxMiB, sm.ServerlessStepMiB))
		}
	case SageMakerRealtime, SageMakerAsync:
		if _, ok := sm.Instances[s.InstanceType]; !ok {
			errs = append(errs, fmt.Errorf("instance-type: %q is not one of %s", s.InstanceType, strings.Join(InstanceTypes(p), ", ")))
		}
		if s.Mode == SageMakerRealtime && s.Instances < 1 {
			errs = append(errs, fmt.Errorf("instances: %g, but a real-time endpoint runs at least 1", s.Instances))
		}
	default:
		errs = append(errs, fmt.Errorf("mode: %q is not one of serverless, realtime, async", s.Mode))
	}
	return errors.Join(errs...)
}

// EstimateSageMaker prices a month of s with p.
func EstimateSageMaker(s SageMaker, p pricing.Prices) (Estimate, error) {
	if err := s.Validate(p); err != nil {
		return Estimate{}, err
	}
	sm := p.SageMaker
	var e Estimate
	hours := s.Hours
	if hours == 0 {
		hours = pricing.HoursPerMonth
	}
	busySec := s.Requests * ceilStep(s.DurationMs, 1) / 1000
	switch s.Mode {
	case SageMakerServerless:
		q := busySec * float64(s.MemoryMiB) / pricing.MiBPerGiB
		e.add(fmt.Sprintf("SageMaker serverless inference (%d MB)", s.MemoryMiB), q, "GB-s", q*sm.ServerlessPerGBSecond)
	case SageMakerRealtime, SageMakerAsync:
		inst := sm.Instances[s.InstanceType]
		q := s.Instances * hours
		if s.Mode == SageMakerAsync && s.Instances == 0 {
			w := s.ScaleInCooldownMinutes
			if w == 0 {
				w = DefaultScaleInCooldownMinutes
			}
			var pw float64
			q, pw = AsyncInstanceHours(s.Requests, ceilStep(s.DurationMs, 1), s.MinInstances, w)
			e.note("the asynchronous endpoint scales in to %g instances after %g idle minutes; at %s requests a month a request arrives within the cooldown with probability %.1f%%, so it bills %.0f instance-hours (%d for an always-on instance)",
				s.MinInstances, w, plain(s.Requests), pw*100, q, pricing.HoursPerMonth)
		}
		e.add(fmt.Sprintf("SageMaker %s instance (%s)", s.Mode, s.InstanceType), q, "instance-hours", q*inst.Hourly)
	}
	resp := s.ResponseBytes
	if resp == 0 {
		resp = s.PayloadBytes
	}
	if s.PayloadBytes > 0 {
		in := s.Requests * s.PayloadBytes / (1 << 30)
		out := s.Requests * resp / (1 << 30)
		e.add("SageMaker data processed in", in, "GB", in*sm.DataPerGB)
		e.add("SageMaker data processed out", out, "GB", out*sm.DataPerGB)
	}
	e.Merge(frontDoor(s.FrontDoor, s.Requests, s.PayloadBytes, p))
	e.total()
	return e, nil
}
