package sizing

import (
	"math"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// mapProfile's cost and speed optima differ, and 128 MB and 256 MB cost
// exactly the same, so it exercises every strategy and the tie-break.
var mapProfile = Profile{Points: []Point{{128, 1000}, {256, 500}, {512, 260}, {1024, 140}, {2048, 100}, {4096, 90}}}

func TestRecommend(t *testing.T) {
	tests := []struct {
		name     string
		profile  Profile
		strategy Strategy
		opts     Options
		want     int
	}{
		{name: "cost tie goes to the faster", profile: mapProfile, strategy: StrategyCost, want: 256},
		{name: "speed", profile: mapProfile, strategy: StrategySpeed, want: 4096},
		{name: "balanced default weight", profile: mapProfile, strategy: StrategyBalanced, want: 1024},
		{name: "balanced leaning to cost", profile: mapProfile, strategy: StrategyBalanced, opts: Options{BalancedWeight: 0.9}, want: 512},
		{name: "balanced weight one is cost", profile: mapProfile, strategy: StrategyBalanced, opts: Options{BalancedWeight: 1}, want: 128},
		{name: "latency objective", profile: mapProfile, strategy: StrategyCost, opts: Options{MaxAvgDurationMs: 200}, want: 1024},
		{name: "minimum memory", profile: mapProfile, strategy: StrategyCost, opts: Options{MinMemoryMiB: 300}, want: 512},
		{name: "readme profile, cost, 1 ms billing", profile: Profile{Points: readmeProfile}, strategy: StrategyCost, want: 1536},
		{name: "readme profile, cost, arm64", profile: Profile{Points: readmeProfile}, strategy: StrategyCost, opts: Options{Arch: pricing.ARM64}, want: 1536},
		{name: "readme profile, speed", profile: Profile{Points: readmeProfile}, strategy: StrategySpeed, want: 3008},
		{name: "readme profile, balanced", profile: Profile{Points: readmeProfile}, strategy: StrategyBalanced, want: 1536},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Recommend(tc.profile, tc.strategy, tc.opts)
			if err != nil {
				t.Fatalf("Recommend() error = %v", err)
			}
			if r.MemoryMiB != tc.want {
				t.Errorf("Recommend() = %d MB, want %d MB; candidates %+v", r.MemoryMiB, tc.want, r.Candidates)
			}
			if len(r.Candidates) != len(tc.profile.Points) {
				t.Errorf("Recommend() listed %d candidates, want %d", len(r.Candidates), len(tc.profile.Points))
			}
		})
	}
}

func TestRecommendPrices(t *testing.T) {
	p := pricing.Default().Lambda
	r, err := Recommend(Profile{Points: []Point{{1536, 119.2}}}, StrategyCost, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Candidates[0]
	// 119.2 ms bills as 120 ms: 0.12 s × 1.5 GB at the first x86 tier.
	wantDur := 0.12 * 1.5 * p.DurationPerGBSecond(pricing.X86_64)
	if c.BilledMs != 120 || math.Abs(c.DurationUSD-wantDur) > 1e-15 || math.Abs(c.InvocationUSD-wantDur-0.0000002) > 1e-15 {
		t.Errorf("candidate = %+v, want billed 120 ms, duration $%g, invocation $%g", c, wantDur, wantDur+0.0000002)
	}
	arm, err := Recommend(Profile{Points: []Point{{1536, 119.2}}}, StrategyCost, Options{Arch: pricing.ARM64})
	if err != nil {
		t.Fatal(err)
	}
	if arm.InvocationUSD >= r.InvocationUSD {
		t.Errorf("arm64 invocation $%g not cheaper than x86_64 $%g at equal duration", arm.InvocationUSD, r.InvocationUSD)
	}
}

func TestRecommendErrors(t *testing.T) {
	tests := []struct {
		name     string
		profile  Profile
		strategy Strategy
		opts     Options
		wantErr  string
	}{
		{name: "unknown strategy", profile: mapProfile, strategy: "cheap", wantErr: `strategy "cheap" is not one of cost, speed, balanced`},
		{name: "empty profile", profile: Profile{}, strategy: StrategyCost, wantErr: "profile: no memory sizes"},
		{name: "weight above one", profile: mapProfile, strategy: StrategyBalanced, opts: Options{BalancedWeight: 1.5}, wantErr: "balanced weight: 1.5 is outside 0 to 1"},
		{name: "nothing fast enough", profile: mapProfile, strategy: StrategyCost, opts: Options{MaxAvgDurationMs: 10}, wantErr: "no memory size of the profile meets the constraints"},
		{name: "minimum above lambda", profile: mapProfile, strategy: StrategyCost, opts: Options{MinMemoryMiB: 20000}, wantErr: "min memory: 20000 MB exceeds Lambda's 10240 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Recommend(tc.profile, tc.strategy, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Recommend() error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestVCPUs(t *testing.T) {
	tests := []struct {
		mem  int
		want float64
	}{
		{128, 128.0 / 1769}, {1769, 1}, {884, 884.0 / 1769}, {10240, 6}, {(1769 + 10240) / 2, 3.5},
	}
	for _, tc := range tests {
		if got := VCPUs(tc.mem); math.Abs(got-tc.want) > 1e-3 {
			t.Errorf("VCPUs(%d) = %g, want %g", tc.mem, got, tc.want)
		}
	}
	prev := 0.0
	for m := 128; m <= 10240; m++ {
		if v := VCPUs(m); v < prev {
			t.Fatalf("VCPUs(%d) = %g < VCPUs(%d) = %g", m, v, m-1, prev)
		} else {
			prev = v
		}
	}
}

func TestAnalyticProfile(t *testing.T) {
	tests := []struct {
		name string
		work CPUWork
		mem  int
		want float64
	}{
		{name: "one vcpu runs at local speed", work: CPUWork{CPUMs: 100}, mem: 1769, want: 100},
		{name: "half a vcpu takes twice as long", work: CPUWork{CPUMs: 100}, mem: 884, want: 100 * 1769.0 / 884},
		{name: "single thread gains nothing above one vcpu", work: CPUWork{CPUMs: 100}, mem: 10240, want: 100},
		{name: "six threads use six vcpus", work: CPUWork{CPUMs: 600, Threads: 8}, mem: 10240, want: 100},
		{name: "wait time does not scale", work: CPUWork{CPUMs: 100, WaitMs: 40}, mem: 884, want: 40 + 100*1769.0/884},
		{name: "faster laptop", work: CPUWork{CPUMs: 100, LocalSpeed: 1.5}, mem: 1769, want: 150},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := AnalyticProfile(tc.work, []int{tc.mem})
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Points[0].AvgDurationMs; math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("duration at %d MB = %g ms, want %g ms", tc.mem, got, tc.want)
			}
		})
	}
	if _, err := AnalyticProfile(CPUWork{CPUMs: 0, WaitMs: -1}, nil); err == nil ||
		!strings.Contains(err.Error(), "cpu time: 0 ms is not a positive number") || !strings.Contains(err.Error(), "wait time: -1 ms") {
		t.Errorf("AnalyticProfile(bad) error = %v, want both problems", err)
	}
}

func TestAnalyticRecommendation(t *testing.T) {
	// CPU-bound single-threaded work: below one vCPU, GB-seconds are flat,
	// so cost ties are broken towards speed up to 1,769 MB; above it, more
	// memory only costs more.
	p, err := AnalyticProfile(CPUWork{CPUMs: 200}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Recommend(p, StrategyCost, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.MemoryMiB > 1769 {
		t.Errorf("cost recommendation for single-threaded work = %d MB, want at most 1769", r.MemoryMiB)
	}
	s, _ := Recommend(p, StrategySpeed, Options{})
	if s.MemoryMiB != 1769 {
		t.Errorf("speed recommendation for single-threaded work = %d MB, want 1769 (no gain beyond one vCPU)", s.MemoryMiB)
	}
}
