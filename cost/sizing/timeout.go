package sizing

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// DefaultHeadroom multiplies the expected worst case (p99 plus init) to
// leave room for a slow tail beyond p99 and for noisy neighbours.
const DefaultHeadroom = 1.5

// LatencyProfile is a measured latency profile of one inference function.
type LatencyProfile struct {
	// P99 is the 99th-percentile invocation duration, warm.
	P99 time.Duration
	// Init is the init (cold start) duration. A cold invocation's timeout
	// covers init plus the request, so it is added to P99.
	Init time.Duration
	// Headroom multiplies P99+Init; zero means DefaultHeadroom. Must be at least 1.
	Headroom float64
}

// RightSizeTimeout returns the timeout for a function with profile p behind
// a front door whose integration timeout is limit (0 means no front door,
// so Lambda's own 900 s maximum applies).
//
// The timeout is (P99+Init)×Headroom rounded up to a whole second, at least
// one second, and never above limit: a function that outlives its caller
// bills for work nobody receives. When P99+Init alone exceeds limit the
// function cannot serve behind that front door and an error says so.
func RightSizeTimeout(p LatencyProfile, limit time.Duration) (time.Duration, error) {
	if limit <= 0 || limit > lambdaMaxTimeout {
		limit = lambdaMaxTimeout
	}
	h := p.Headroom
	if h == 0 {
		h = DefaultHeadroom
	}
	var errs []error
	if p.P99 <= 0 {
		errs = append(errs, fmt.Errorf("p99: %v is not positive", p.P99))
	}
	if p.Init < 0 {
		errs = append(errs, fmt.Errorf("init: %v is negative", p.Init))
	}
	if h < 1 || math.IsNaN(h) || math.IsInf(h, 0) {
		errs = append(errs, fmt.Errorf("headroom: %g is not a finite number of at least 1", h))
	}
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	need := p.P99 + p.Init
	if need > limit {
		return 0, fmt.Errorf("p99+init: %v exceeds the %v the caller waits; use a tier without that limit", need, limit)
	}
	secs := math.Ceil(float64(need) * h / float64(time.Second))
	t := time.Duration(math.Max(secs, 1)) * time.Second
	if t > limit {
		t = limit.Truncate(time.Second)
	}
	return t, nil
}

// Milliseconds is ms milliseconds as a duration: profiles and traffic
// records measure latency in fractional milliseconds.
func Milliseconds(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }
