package estimate

import (
	"errors"
	"fmt"

	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// FrontDoor is the API in front of a tier.
type FrontDoor string

// The front doors.
const (
	FrontDoorNone FrontDoor = "none"
	FrontDoorREST FrontDoor = "rest"
	FrontDoorHTTP FrontDoor = "http"
)

// Lambda describes a month of one Lambda function's work.
type Lambda struct {
	// Requests is the month's total number of invocations, including those
	// served by provisioned concurrency.
	Requests float64
	// DurationMs is the average duration of an on-demand invocation; it is
	// billed rounded up to the next 1 ms.
	DurationMs float64
	MemoryMiB  int
	// Arch is the architecture; "" means x86_64.
	Arch pricing.Arch
	// EphemeralMiB is the /tmp size; 0 means the free 512 MB.
	EphemeralMiB int
	// FreeTier applies the monthly free tier (1M requests, 400,000 GB-s).
	// With provisioned concurrency it applies as in AWS's own example: the
	// free requests to every request, the free GB-seconds to on-demand
	// duration only, never to provisioned concurrency or to the duration
	// run on it.
	FreeTier bool
	// ColdStartRate is the fraction of on-demand invocations that start an
	// environment, and InitDurationMs the init phase each one bills.
	ColdStartRate  float64
	InitDurationMs float64
	// Provisioned is the provisioned concurrency while it is on, for
	// ProvisionedHours hours of the month (rounded up to 5 minutes).
	Provisioned      int
	ProvisionedHours float64
	// ProvisionedRequests of the month's Requests ran on provisioned
	// environments, taking ProvisionedDurationMs each (0 means DurationMs).
	ProvisionedRequests   float64
	ProvisionedDurationMs float64
	// FrontDoor is the API in front of the function; "" means none.
	FrontDoor FrontDoor
	// PayloadBytes is the average request size, for HTTP API metering.
	PayloadBytes float64
}

// Validate reports every problem with l, joined, naming the field.
func (l Lambda) Validate() error {
	var errs []error
	nonNeg := func(name string, v float64) {
		if v < 0 || !finite(v) {
			errs = append(errs, fmt.Errorf("%s: %g is not a non-negative number", name, v))
		}
	}
	nonNeg("requests", l.Requests)
	nonNeg("duration-ms", l.DurationMs)
	nonNeg("init-ms", l.InitDurationMs)
	nonNeg("provisioned-hours", l.ProvisionedHours)
	nonNeg("provisioned-requests", l.ProvisionedRequests)
	nonNeg("provisioned-duration-ms", l.ProvisionedDurationMs)
	nonNeg("payload-bytes", l.PayloadBytes)
	maxMs := float64(limits.LambdaMaxTimeout.Milliseconds())
	for _, d := range []struct {
		name string
		ms   float64
	}{{"duration-ms", l.DurationMs}, {"provisioned-duration-ms", l.ProvisionedDurationMs}} {
		if d.ms > maxMs {
			errs = append(errs, fmt.Errorf("%s: %s is over Lambda's %s ms (15 minute) maximum duration", d.name, plain(d.ms), plain(maxMs)))
		}
	}
	if l.PayloadBytes > limits.LambdaSyncPayloadBytes {
		errs = append(errs, fmt.Errorf("payload-bytes: %s is over Lambda's %d-byte (6 MB) synchronous payload", plain(l.PayloadBytes), limits.LambdaSyncPayloadBytes))
	}
	if l.MemoryMiB < limits.LambdaMinMemoryMiB || l.MemoryMiB > limits.LambdaMaxMemoryMiB {
		errs = append(errs, fmt.Errorf("memory-mb: %d is outside %d to %d", l.MemoryMiB, limits.LambdaMinMemoryMiB, limits.LambdaMaxMemoryMiB))
	}
	if l.EphemeralMiB != 0 && (l.EphemeralMiB < limits.LambdaMinEphemeralMiB || l.EphemeralMiB > limits.LambdaMaxEphemeralMiB) {
		errs = append(errs, fmt.Errorf("ephemeral-mb: %d is outside %d to %d", l.EphemeralMiB, limits.LambdaMinEphemeralMiB, limits.LambdaMaxEphemeralMiB))
	}
	switch l.Arch {
	case "", pricing.X86_64, pricing.ARM64:
	default:
		errs = append(errs, fmt.Errorf("arch: %q is not one of x86_64, arm64", l.Arch))
	}
	switch l.FrontDoor {
	case "", FrontDoorNone, FrontDoorREST, FrontDoorHTTP:
	default:
		errs = append(errs, fmt.Errorf("api: %q is not one of none, rest, http", l.FrontDoor))
	}
	if r := l.ColdStartRate; r < 0 || r > 1 || !finite(r) {
		errs = append(errs, fmt.Errorf("cold-start-rate: %g is outside 0 to 1", r))
	}
	if l.Provisioned < 0 {
		errs = append(errs, fmt.Errorf("provisioned: %d is negative", l.Provisioned))
	}
	if l.ProvisionedHours > pricing.HoursPerMonth+1e-9 {
		errs = append(errs, fmt.Errorf("provisioned-hours: %g exceeds the %d hours of a month", l.ProvisionedHours, pricing.HoursPerMonth))
	}
	if l.ProvisionedRequests > l.Requests {
		errs = append(errs, fmt.Errorf("provisioned-requests: %g exceeds requests %g", l.ProvisionedRequests, l.Requests))
	}
	if l.Provisioned == 0 && (l.ProvisionedHours > 0 || l.ProvisionedRequests > 0) {
		errs = append(errs, errors.New("provisioned: 0, but provisioned hours or requests are set"))
	}
	if l.Provisioned > 0 && l.ProvisionedHours == 0 {
		errs = append(errs, errors.New("provisioned-hours: required with provisioned concurrency"))
	}
	return errors.Join(errs...)
}

// EstimateLambda prices a month of l with p.
//
// Lines, in order: on-demand compute (one line per duration tier used),
// init duration, duration while provisioned, provisioned concurrency,
// requests, ephemeral storage, then the front door's requests. The free
// tier is taken first from invocation compute, then from init duration.
func EstimateLambda(l Lambda, p pricing.Prices) (Estimate, error) {
	if err := l.Validate(); err != nil {
		return Estimate{}, err
	}
	lp := p.Lambda
	arch := l.Arch
	if arch == "" {
		arch = pricing.X86_64
	}
	var e Estimate
	gb := float64(l.MemoryMiB) / pricing.MiBPerGiB
	step := lp.BillingGranularityMs

	freeGBs, freeReq := 0.0, 0.0
	if l.FreeTier {
		freeGBs, freeReq = lp.FreeGBSeconds, lp.FreeRequests
		if l.Provisioned > 0 {
			e.note("the free tier covers requests and on-demand duration, not provisioned concurrency or the duration run on it")
		}
	}

	onDemand := l.Requests - l.ProvisionedRequests
	billedMs := ceilStep(l.DurationMs, step)
	invokeSec := onDemand * billedMs / 1000
	invokeGBs := invokeSec * gb
	initSec := 0.0
	if lp.InitBilled && l.ColdStartRate > 0 && l.InitDurationMs > 0 {
		initSec = onDemand * l.ColdStartRate * ceilStep(l.InitDurationMs, step) / 1000
	}
	initGBs := initSec * gb

	// Free tier: invocation compute first, then init.
	billInvoke := max(invokeGBs-freeGBs, 0)
	freeGBs = max(freeGBs-invokeGBs, 0)
	billInit := max(initGBs-freeGBs, 0)

	tiers := lp.Duration.For(arch)
	for _, u := range tiers.Split(billInvoke, 0) {
		e.add(fmt.Sprintf("Lambda compute (%s%s)", arch, tierLabel(u.Index)), u.Quantity, "GB-s", u.USD())
	}
	if invokeGBs > 0 && billInvoke == 0 {
		e.add(fmt.Sprintf("Lambda compute (%s)", arch), 0, "GB-s", 0)
		e.note("%.0f GB-s of compute fall within the 400,000 GB-s free tier", invokeGBs)
	}
	for _, u := range tiers.Split(billInit, billInvoke) {
		e.add(fmt.Sprintf("Lambda init duration (%s%s)", arch, tierLabel(u.Index)), u.Quantity, "GB-s", u.USD())
	}

	provSec := 0.0
	if l.Provisioned > 0 {
		pd := l.ProvisionedDurationMs
		if pd == 0 {
			pd = l.DurationMs
		}
		provSec = l.ProvisionedRequests * ceilStep(pd, step) / 1000
		if provSec > 0 {
			q := provSec * gb
			e.add(fmt.Sprintf("Lambda duration while provisioned (%s)", arch), q, "GB-s", q*lp.ProvisionedDuration.For(arch))
		}
		minutes := ceilStep(l.ProvisionedHours*60, lp.ProvisionedGranularityMinutes)
		q := float64(l.Provisioned) * gb * minutes * 60
		e.add(fmt.Sprintf("Lambda provisioned concurrency (%s)", arch), q, "GB-s", q*lp.ProvisionedConcurrency.For(arch))
	}

	billReq := max(l.Requests-freeReq, 0)
	e.add("Lambda requests", billReq, "requests", billReq*lp.PerRequest())

	if l.EphemeralMiB > lp.EphemeralFreeMiB {
		q := (invokeSec + initSec + provSec) * float64(l.EphemeralMiB-lp.EphemeralFreeMiB) / pricing.MiBPerGiB
		e.add("Lambda ephemeral storage", q, "GB-s", q*lp.EphemeralPerGBSecond)
	}

	e.Merge(frontDoor(l.FrontDoor, l.Requests, l.PayloadBytes, p))
	e.total()
	return e, nil
}

// frontDoor prices the API Gateway requests of a front door.
func frontDoor(fd FrontDoor, requests, payloadBytes float64, p pricing.Prices) Estimate {
	var e Estimate
	switch fd {
	case FrontDoorREST:
		for _, u := range p.APIGateway.REST.Split(requests, 0) {
			e.add("API Gateway REST requests"+tierLabel(u.Index), u.Quantity, "requests", u.USD())
		}
	case FrontDoorHTTP:
		steps := 1.0
		if payloadBytes > 0 {
			steps = max(ceilStep(payloadBytes, p.APIGateway.HTTPMeteringBytes)/p.APIGateway.HTTPMeteringBytes, 1)
		}
		metered := requests * steps
		for _, u := range p.APIGateway.HTTP.Split(metered, 0) {
			e.add("API Gateway HTTP requests"+tierLabel(u.Index), u.Quantity, "512 KB requests", u.USD())
		}
		if steps > 1 {
			e.note("each HTTP API request of %.0f bytes meters as %.0f requests (512 KB steps)", payloadBytes, steps)
		}
	}
	return e
}

// EstimateFrontDoor prices only the API Gateway requests of a front door.
func EstimateFrontDoor(fd FrontDoor, requests, payloadBytes float64, p pricing.Prices) (Estimate, error) {
	switch fd {
	case "", FrontDoorNone, FrontDoorREST, FrontDoorHTTP:
	default:
		return Estimate{}, fmt.Errorf("api: %q is not one of none, rest, http", fd)
	}
	if requests < 0 || !finite(requests) {
		return Estimate{}, fmt.Errorf("requests: %g is not a non-negative number", requests)
	}
	e := frontDoor(fd, requests, payloadBytes, p)
	e.total()
	return e, nil
}
