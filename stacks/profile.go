package stacks

import (
	"fmt"
	"math"

	"github.com/costguard-ml/costguard/lambda/model"
)

// profileHeadroom is the memory a Lambda function needs above the model's
// measured peak resident memory (the Go runtime's and ONNX Runtime's
// arenas grow with concurrent requests on the container tiers, and the
// measurement machine is not the function).
const profileHeadroom = 1.25

// withProfile takes the model's measured profile (profile.json, written by
// `costguard model check`) into the stage: the function's timeout is
// right-sized from the measured p99 and load time instead of the stage
// table's, and the cost model prices the measured median. A stage whose
// memory is set below the measured peak plus headroom is refused: it would
// fail with out-of-memory errors at its first cold starts.
func (s Stage) withProfile(p *model.Profile) (Stage, error) {
	if p == nil {
		return s, nil
	}
	s.Traffic.P99DurationMs = p.P99Ms
	s.Traffic.InitDurationMs = p.LoadMs
	if p50 := p.P50Ms(); p50 > 0 {
		s.Traffic.AvgDurationMs = p50
	}
	if need := int(math.Ceil(p.PeakMemoryMiB * profileHeadroom)); s.onLambda() && s.MemoryMiB > 0 && s.MemoryMiB < need {
		return s, fmt.Errorf("memoryMiB: %d is below the model's measured peak of %.0f MiB + 25 %% (%s): set at least %d",
			s.MemoryMiB, p.PeakMemoryMiB, model.ProfileFile, need)
	}
	return s, nil
}
