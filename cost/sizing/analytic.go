package sizing

import (
	"errors"
	"fmt"
	"math"

	"github.com/costguard-ml/costguard/cost/limits"
)

// DefaultMemoriesMiB are the sizes an analytic profile covers: Power
// Tuning's defaults, the one-vCPU point and each whole vCPU up to the maximum.
var DefaultMemoriesMiB = []int{128, 256, 512, 1024, 1536, 1769, 2048, 3008, 3538, 4096, 5307, 6144, 7076, 8192, 8845, 10240}

// VCPUs is the CPU share Lambda gives a function of memMiB: in proportion
// to memory up to one vCPU at 1,769 MB, then linearly from one vCPU there to
// six at 10,240 MB (AWS documents both points, not the curve between; the
// line between them is costguard's assumption).
func VCPUs(memMiB int) float64 {
	m := float64(memMiB)
	one := float64(limits.LambdaMemoryPerVCPUMiB)
	if m <= one {
		return m / one
	}
	maxM := float64(limits.LambdaMaxMemoryMiB)
	if m >= maxM {
		return limits.LambdaMaxVCPUs
	}
	return 1 + (limits.LambdaMaxVCPUs-1)*(m-one)/(maxM-one)
}

// CPUWork describes one invocation measured locally, for an analytic
// profile when no Power Tuning run exists.
type CPUWork struct {
	// CPUMs is the CPU time of one invocation on one full core (user+sys).
	CPUMs float64
	// WaitMs is time that does not scale with CPU (network, I/O, sleeps).
	WaitMs float64
	// Threads is how many cores the work can use at once; 0 means 1.
	Threads int
	// LocalSpeed is the local core's speed relative to a Lambda vCPU (1.2
	// if the laptop is 20% faster); 0 means 1.
	LocalSpeed float64
}

// AnalyticProfile estimates the duration at each memory size (nil means
// [DefaultMemoriesMiB]) from locally measured CPU time: the CPU part runs
// on min(Threads, VCPUs(memory)) vCPUs, the wait part does not change.
func AnalyticProfile(w CPUWork, memoriesMiB []int) (Profile, error) {
	var errs []error
	if !(w.CPUMs > 0) || math.IsInf(w.CPUMs, 0) {
		errs = append(errs, fmt.Errorf("cpu time: %g ms is not a positive number", w.CPUMs))
	}
	if w.WaitMs < 0 || math.IsNaN(w.WaitMs) || math.IsInf(w.WaitMs, 0) {
		errs = append(errs, fmt.Errorf("wait time: %g ms is not a non-negative number", w.WaitMs))
	}
	if w.Threads < 0 {
		errs = append(errs, fmt.Errorf("threads: %d is negative", w.Threads))
	}
	if w.LocalSpeed < 0 || math.IsNaN(w.LocalSpeed) || math.IsInf(w.LocalSpeed, 0) {
		errs = append(errs, fmt.Errorf("local speed: %g is not a non-negative number", w.LocalSpeed))
	}
	if err := errors.Join(errs...); err != nil {
		return Profile{}, err
	}
	threads := float64(max(w.Threads, 1))
	speed := w.LocalSpeed
	if speed == 0 {
		speed = 1
	}
	if memoriesMiB == nil {
		memoriesMiB = DefaultMemoriesMiB
	}
	pts := make([]Point, 0, len(memoriesMiB))
	for _, m := range memoriesMiB {
		cores := math.Min(threads, VCPUs(m))
		pts = append(pts, Point{MemoryMiB: m, AvgDurationMs: w.WaitMs + w.CPUMs*speed/cores})
	}
	p := Profile{Points: sortPoints(pts), Format: FormatAnalytic}
	return p, p.Validate()
}
