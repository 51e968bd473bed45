package estimate

import (
	"errors"
	"fmt"

	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// Fargate describes a month of an ECS service on Fargate.
type Fargate struct {
	// CPU is in ECS units (1024 = 1 vCPU) and MemoryMiB must be a valid
	// Fargate size for it.
	CPU       int
	MemoryMiB int
	// Arch is the architecture; "" means x86_64.
	Arch pricing.Arch
	// Tasks is the average number of running tasks.
	Tasks float64
	// Hours is how long they run in the month; 0 means all month (730).
	Hours float64
	// ALB adds an Application Load Balancer at ALBLCUs capacity units.
	ALB    bool
	ALBLCU float64
	// NATGateways run all month for the tasks' egress (image pulls, logs),
	// each with one public IPv4 address, processing NATDataGB a month.
	NATGateways int
	NATDataGB   float64
	// FrontDoor is an API Gateway API in front, for Requests a month.
	FrontDoor    FrontDoor
	Requests     float64
	PayloadBytes float64
}

// Validate reports every problem with f, joined.
func (f Fargate) Validate() error {
	var errs []error
	if !limits.FargateMemoryValid(f.CPU, f.MemoryMiB) {
		errs = append(errs, fmt.Errorf("cpu %d with memory-mb %d: not a Fargate task size (%s)", f.CPU, f.MemoryMiB, FargateSizesHelp(f.CPU)))
	}
	switch f.Arch {
	case "", pricing.X86_64, pricing.ARM64:
	default:
		errs = append(errs, fmt.Errorf("arch: %q is not one of x86_64, arm64", f.Arch))
	}
	if f.Tasks < 0 || !finite(f.Tasks) {
		errs = append(errs, fmt.Errorf("tasks: %g is not a non-negative number", f.Tasks))
	}
	if f.Hours < 0 || f.Hours > pricing.HoursPerMonth || !finite(f.Hours) {
		errs = append(errs, fmt.Errorf("hours: %g is outside 0 to %d", f.Hours, pricing.HoursPerMonth))
	}
	if f.ALBLCU < 0 || !finite(f.ALBLCU) {
		errs = append(errs, fmt.Errorf("alb-lcu: %g is not a non-negative number", f.ALBLCU))
	}
	if f.NATGateways < 0 {
		errs = append(errs, fmt.Errorf("nat-gateways: %d is negative", f.NATGateways))
	}
	if f.NATDataGB < 0 || !finite(f.NATDataGB) {
		errs = append(errs, fmt.Errorf("nat-data-gb: %g is not a non-negative number", f.NATDataGB))
	}
	if f.Requests < 0 || !finite(f.Requests) {
		errs = append(errs, fmt.Errorf("requests: %g is not a non-negative number", f.Requests))
	}
	return errors.Join(errs...)
}

// FargateSizesHelp lists the memory sizes allowed with cpu units, or the
// CPU sizes when cpu is not one.
func FargateSizesHelp(cpu int) string {
	var cpus []string
	for _, s := range limits.FargateSizes {
		cpus = append(cpus, fmt.Sprint(s.CPU))
		if s.CPU == cpu {
			if cpu == 256 {
				return "cpu 256 allows memory 512, 1024 or 2048"
			}
			return fmt.Sprintf("cpu %d allows memory %d to %d in steps of %d", cpu, s.MinMiB, s.MaxMiB, s.StepMiB)
		}
	}
	return fmt.Sprintf("cpu is one of %v", cpus)
}

// EstimateFargate prices a month of f with p.
func EstimateFargate(f Fargate, p pricing.Prices) (Estimate, error) {
	if err := f.Validate(); err != nil {
		return Estimate{}, err
	}
	arch := f.Arch
	if arch == "" {
		arch = pricing.X86_64
	}
	hours := f.Hours
	if hours == 0 {
		hours = pricing.HoursPerMonth
	}
	var e Estimate
	vcpuH := f.Tasks * float64(f.CPU) / 1024 * hours
	gbH := f.Tasks * float64(f.MemoryMiB) / pricing.MiBPerGiB * hours
	e.add(fmt.Sprintf("Fargate vCPU (%s)", arch), vcpuH, "vCPU-hours", vcpuH*p.Fargate.VCPUHour.For(arch))
	e.add(fmt.Sprintf("Fargate memory (%s)", arch), gbH, "GB-hours", gbH*p.Fargate.GBHour.For(arch))
	if f.ALB {
		e.add("Application Load Balancer", hours, "hours", hours*p.Network.ALBHour)
		lcu := f.ALBLCU
		if lcu == 0 {
			lcu = 1
			e.note("the load balancer is assumed to use 1 LCU on average")
		}
		e.add("Application Load Balancer capacity", lcu*hours, "LCU-hours", lcu*hours*p.Network.ALBLCUHour)
	}
	if f.NATGateways > 0 {
		// A NAT gateway bills every hour of the month, whatever the tasks do.
		h := float64(f.NATGateways) * pricing.HoursPerMonth
		e.add("NAT gateway", h, "hours", h*p.Network.NATGatewayHour)
		e.add("NAT gateway data processed", f.NATDataGB, "GB", f.NATDataGB*p.Network.NATGatewayPerGB)
		e.add("Public IPv4 address (NAT gateway)", h, "hours", h*p.Network.PublicIPv4Hour)
	}
	e.Merge(frontDoor(f.FrontDoor, f.Requests, f.PayloadBytes, p))
	e.total()
	return e, nil
}
