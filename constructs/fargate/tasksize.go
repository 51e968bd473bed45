package fargatetier

import "fmt"

// ValidateTaskSize reports whether cpu (ECS units) and memoryMiB form a task
// size Fargate accepts.
//
// TODO(costguard): delegate to the cost-model package's table of Fargate
// combinations once it lands, so the limit lives in one place.
func ValidateTaskSize(cpu, memoryMiB int) error {
	lo, hi, step, ok := 0, 0, 0, true
	switch cpu {
	case 256:
		if memoryMiB != 512 && memoryMiB != 1024 && memoryMiB != 2048 {
			return fmt.Errorf("MemoryMiB: %d is not allowed with CPU 256 (want 512, 1024 or 2048)", memoryMiB)
		}
		return nil
	case 512:
		lo, hi, step = 1024, 4096, 1024
	case 1024:
		lo, hi, step = 2048, 8192, 1024
	case 2048:
		lo, hi, step = 4096, 16384, 1024
	case 4096:
		lo, hi, step = 8192, 30720, 1024
	case 8192:
		lo, hi, step = 16384, 61440, 4096
	case 16384:
		lo, hi, step = 32768, 122880, 8192
	default:
		ok = false
	}
	if !ok {
		return fmt.Errorf("CPU: %d is not a Fargate CPU size (want 256, 512, 1024, 2048, 4096, 8192 or 16384)", cpu)
	}
	if memoryMiB < lo || memoryMiB > hi || (memoryMiB-lo)%step != 0 {
		return fmt.Errorf("MemoryMiB: %d is not allowed with CPU %d (want %d to %d in %d steps)", memoryMiB, cpu, lo, hi, step)
	}
	return nil
}
