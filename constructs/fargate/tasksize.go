package fargate

import (
	"fmt"
	"strings"

	"github.com/costguard-ml/costguard/cost/limits"
)

// ValidateTaskSize reports whether cpu (ECS units) and memoryMiB form a task
// size Fargate accepts, naming the allowed values when they do not. The
// table is the cost model's ([limits.FargateSizes]), so the construct and
// the placement logic agree.
func ValidateTaskSize(cpu, memoryMiB int) error {
	if limits.FargateMemoryValid(cpu, memoryMiB) {
		return nil
	}
	var cpus []string
	for _, s := range limits.FargateSizes {
		cpus = append(cpus, fmt.Sprint(s.CPU))
		if s.CPU != cpu {
			continue
		}
		if cpu == 256 {
			return fmt.Errorf("MemoryMiB: %d is not allowed with CPU 256 (want 512, 1024 or 2048)", memoryMiB)
		}
		return fmt.Errorf("MemoryMiB: %d is not allowed with CPU %d (want %d to %d in %d steps)",
			memoryMiB, cpu, s.MinMiB, s.MaxMiB, s.StepMiB)
	}
	return fmt.Errorf("CPU: %d is not a Fargate CPU size (want one of %s)", cpu, strings.Join(cpus, ", "))
}
