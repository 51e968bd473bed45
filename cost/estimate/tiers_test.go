package estimate

import (
	"math"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
)

func TestFargate(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name  string
		in    Fargate
		total float64
		lines []wantLine
	}{
		{name: "one task 1 vCPU 2 GB x86 all month", in: Fargate{CPU: 1024, MemoryMiB: 2048, Tasks: 1}, total: 36.04,
			lines: []wantLine{{"Fargate vCPU (x86_64)", 29.55}, {"Fargate memory (x86_64)", 6.49}}},
		{name: "two tasks arm64", in: Fargate{CPU: 512, MemoryMiB: 1024, Tasks: 2, Arch: pricing.ARM64}, total: 28.84,
			lines: []wantLine{{"Fargate vCPU (arm64)", 23.64}, {"Fargate memory (arm64)", 5.20}}},
		{name: "with a load balancer", in: Fargate{CPU: 256, MemoryMiB: 512, Tasks: 1, ALB: true}, total: 9.01 + 16.43 + 5.84,
			lines: []wantLine{{"Application Load Balancer", 16.43}, {"Application Load Balancer capacity", 5.84}}},
		{name: "ten hours", in: Fargate{CPU: 4096, MemoryMiB: 8192, Tasks: 1, Hours: 10}, total: 1.98},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateFargate(tc.in, p)
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, e, pricing.RoundCents(tc.total), tc.lines)
		})
	}
}

func TestFargateSizes(t *testing.T) {
	tests := []struct {
		cpu, mem int
		ok       bool
		help     string
	}{
		{256, 512, true, ""}, {256, 2048, true, ""}, {256, 1536, false, "cpu 256 allows memory 512, 1024 or 2048"},
		{512, 4096, true, ""}, {512, 5120, false, "cpu 512 allows memory 1024 to 4096 in steps of 1024"},
		{1024, 2048, true, ""}, {1024, 1024, false, "cpu 1024 allows memory 2048 to 8192"},
		{2048, 16384, true, ""}, {4096, 30720, true, ""}, {4096, 31744, false, ""},
		{8192, 16384 + 4096, true, ""}, {8192, 16384 + 1024, false, "steps of 4096"},
		{16384, 122880, true, ""}, {16384, 32768 + 4096, false, "steps of 8192"},
		{3000, 4096, false, "cpu is one of [256 512 1024 2048 4096 8192 16384]"},
	}
	for _, tc := range tests {
		_, err := EstimateFargate(Fargate{CPU: tc.cpu, MemoryMiB: tc.mem, Tasks: 1}, pricing.Default())
		if (err == nil) != tc.ok {
			t.Errorf("cpu %d memory %d: error = %v, want ok=%v", tc.cpu, tc.mem, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), tc.help) {
			t.Errorf("cpu %d memory %d: error = %v, want it to contain %q", tc.cpu, tc.mem, err, tc.help)
		}
	}
}

func TestFargateNetwork(t *testing.T) {
	e, err := EstimateFargate(Fargate{CPU: 1024, MemoryMiB: 2048, Tasks: 1, NATGateways: 1, NATDataGB: 100}, pricing.Default())
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, e, pricing.RoundCents(730*(0.04048+2*0.004445))+32.85+4.50+3.65, []wantLine{
		{"NAT gateway", 32.85},                      // 730 h × $0.045
		{"NAT gateway data processed", 4.50},        // 100 GB × $0.045
		{"Public IPv4 address (NAT gateway)", 3.65}, // 730 h × $0.005
	})
}

func TestSageMaker(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name  string
		in    SageMaker
		total float64
		lines []wantLine
	}{
		// 1M × 0.5 s × 2 GB = 1M GB-s at $0.00002.
		{name: "serverless", in: SageMaker{Mode: SageMakerServerless, Requests: 1e6, DurationMs: 500, MemoryMiB: 2048}, total: 20.00,
			lines: []wantLine{{"SageMaker serverless inference (2048 MB)", 20.00}}},
		{name: "serverless with data", in: SageMaker{Mode: SageMakerServerless, Requests: 1 << 20, DurationMs: 100, MemoryMiB: 1024, PayloadBytes: 10 << 10},
			total: pricing.RoundCents(104857.6*0.00002) + 0.16 + 0.16,
			lines: []wantLine{{"SageMaker data processed in", 0.16}, {"SageMaker data processed out", 0.16}}},
		{name: "real-time one ml.m5.large", in: SageMaker{Mode: SageMakerRealtime, InstanceType: "ml.m5.large", Instances: 1}, total: 83.95},
		{name: "real-time GPU", in: SageMaker{Mode: SageMakerRealtime, InstanceType: "ml.g4dn.xlarge", Instances: 1}, total: 537.57},
		// 100 jobs of 20 minutes: 33.3 busy hours; a request arrives within
		// the 5-minute cooldown with probability 1 − e^(−100/2,628,000 × 300)
		// = 1.13 %, so 1.13 % of the 696.7 idle hours are billed too.
		{name: "async scaled to zero, rare jobs", in: SageMaker{Mode: SageMakerAsync, InstanceType: "ml.g5.xlarge", Requests: 100, DurationMs: 20 * 60 * 1000},
			total: pricing.RoundCents((100.0/3 + (730-100.0/3)*(1-math.Exp(-100.0/2628000*300))) * 1.408)},
		// The audit's case: 500k requests a month arrive every 5 s on average,
		// so the instance never sees 5 idle minutes and never scales in.
		{name: "async at 500k requests never scales in", in: SageMaker{Mode: SageMakerAsync, InstanceType: "ml.g4dn.xlarge", Requests: 500e3, DurationMs: 1000}, total: 537.57},
		{name: "async with a floor of one instance", in: SageMaker{Mode: SageMakerAsync, InstanceType: "ml.g5.xlarge", Requests: 1, DurationMs: 1000, MinInstances: 1}, total: pricing.RoundCents(730 * 1.408)},
		{name: "async with a 1-minute cooldown", in: SageMaker{Mode: SageMakerAsync, InstanceType: "ml.g5.xlarge", Requests: 1000, DurationMs: 60000, ScaleInCooldownMinutes: 1},
			total: pricing.RoundCents((1000.0/60 + (730-1000.0/60)*(1-math.Exp(-1000.0/2628000*60))) * 1.408)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateSageMaker(tc.in, p)
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, e, pricing.RoundCents(tc.total), tc.lines)
		})
	}
}

func TestSageMakerValidate(t *testing.T) {
	tests := []struct {
		name    string
		in      SageMaker
		wantErr string
	}{
		{name: "serverless memory", in: SageMaker{Mode: SageMakerServerless, MemoryMiB: 1500}, wantErr: "memory-mb: 1500 is not one of 1024 to 6144 in steps of 1024"},
		{name: "serverless too big", in: SageMaker{Mode: SageMakerServerless, MemoryMiB: 7168}, wantErr: "memory-mb: 7168"},
		{name: "unknown instance", in: SageMaker{Mode: SageMakerRealtime, InstanceType: "ml.p5.48xlarge", Instances: 1}, wantErr: `instance-type: "ml.p5.48xlarge" is not one of ml.c5.large,`},
		{name: "real-time needs an instance", in: SageMaker{Mode: SageMakerRealtime, InstanceType: "ml.m5.large"}, wantErr: "instances: 0, but a real-time endpoint runs at least 1"},
		{name: "unknown mode", in: SageMaker{Mode: "batch"}, wantErr: `mode: "batch" is not one of serverless, realtime, async`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EstimateSageMaker(tc.in, pricing.Default())
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestTiersMonotonic(t *testing.T) {
	p := pricing.Default()
	t.Run("fargate memory and tasks", func(t *testing.T) {
		prev := -1.0
		for _, s := range []struct {
			cpu, mem int
			tasks    float64
		}{{1024, 2048, 1}, {1024, 3072, 1}, {1024, 8192, 1}, {2048, 8192, 1}, {2048, 8192, 2}, {4096, 16384, 2}, {16384, 122880, 3}} {
			e, err := EstimateFargate(Fargate{CPU: s.cpu, MemoryMiB: s.mem, Tasks: s.tasks}, p)
			if err != nil {
				t.Fatal(err)
			}
			if e.TotalUSD < prev {
				t.Fatalf("%+v costs $%.2f, less than a smaller size's $%.2f", s, e.TotalUSD, prev)
			}
			prev = e.TotalUSD
		}
	})
	t.Run("serverless memory and requests", func(t *testing.T) {
		prev := -1.0
		for mem := 1024; mem <= 6144; mem += 1024 {
			e, err := EstimateSageMaker(SageMaker{Mode: SageMakerServerless, MemoryMiB: mem, Requests: 1e6, DurationMs: 200}, p)
			if err != nil {
				t.Fatal(err)
			}
			if e.TotalUSD < prev {
				t.Fatalf("%d MB costs $%.2f, less than a smaller size's $%.2f", mem, e.TotalUSD, prev)
			}
			prev = e.TotalUSD
		}
	})
}
