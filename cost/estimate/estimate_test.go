package estimate

import (
	"math"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
)

type wantLine struct {
	item string
	usd  float64
}

func checkLines(t *testing.T, e Estimate, total float64, lines []wantLine) {
	t.Helper()
	for _, w := range lines {
		l, ok := e.Line(w.item)
		if !ok {
			t.Errorf("no line %q in %+v", w.item, e.Lines)
			continue
		}
		if l.USD != w.usd {
			t.Errorf("%s = $%.2f, want $%.2f", w.item, l.USD, w.usd)
		}
	}
	if e.TotalUSD != total {
		t.Errorf("total = $%.2f, want $%.2f; lines %+v", e.TotalUSD, total, e.Lines)
	}
}

// TestAWSLambdaExamples reproduces AWS's published Lambda examples (us-east-1);
// docs/cost.md cites each one. The same examples run through the CLI in
// cmd/costguard.
func TestAWSLambdaExamples(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name  string
		in    Lambda
		total float64
		lines []wantLine
	}{
		{
			name:  "lambda pricing page, 3M requests 120 ms 1536 MB x86 free tier",
			in:    Lambda{Requests: 3e6, DurationMs: 120, MemoryMiB: 1536, FreeTier: true},
			total: 2.73,
			lines: []wantLine{{"Lambda compute (x86_64)", 2.33}, {"Lambda requests", 0.40}},
		},
		{
			name:  "lambda pricing page, 6M requests 280 ms 4096 MB 2048 MB ephemeral free tier",
			in:    Lambda{Requests: 6e6, DurationMs: 280, MemoryMiB: 4096, EphemeralMiB: 2048, FreeTier: true},
			total: 106.41,
			lines: []wantLine{{"Lambda compute (x86_64)", 105.33}, {"Lambda requests", 1.00}, {"Lambda ephemeral storage", 0.08}},
		},
		{
			name:  "lambda pricing page (2020), 30M requests 200 ms 128 MB free tier",
			in:    Lambda{Requests: 30e6, DurationMs: 200, MemoryMiB: 128, FreeTier: true},
			total: 11.63,
			lines: []wantLine{{"Lambda compute (x86_64)", 5.83}, {"Lambda requests", 5.80}},
		},
		{
			name: "lambda pricing page (2020), provisioned concurrency 1000 for 2 h, 1.2M requests 1 s 1024 MB",
			in: Lambda{Requests: 1.2e6, DurationMs: 1000, MemoryMiB: 1024, Provisioned: 1000, ProvisionedHours: 2,
				ProvisionedRequests: 1.2e6, ProvisionedDurationMs: 1000},
			total: 41.91,
			lines: []wantLine{{"Lambda provisioned concurrency (x86_64)", 30.00}, {"Lambda duration while provisioned (x86_64)", 11.67}, {"Lambda requests", 0.24}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateLambda(tc.in, p)
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, e, tc.total, tc.lines)
		})
	}
}

// The 2020 page's first example (512 MB, 3M requests of 1 s) priced compute
// at the then-published $0.00001667 per GB-s: $18.34. Today's
// $0.0000166667 gives $18.33; with the old price the arithmetic matches.
func TestAWSLambdaExampleWithThePriceOfTheTime(t *testing.T) {
	p := pricing.Default()
	p.Lambda.Duration.X86_64 = pricing.Tiered{{Price: 0.00001667}}
	e, err := EstimateLambda(Lambda{Requests: 3e6, DurationMs: 1000, MemoryMiB: 512, FreeTier: true}, p)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, e, 18.74, []wantLine{{"Lambda compute (x86_64)", 18.34}, {"Lambda requests", 0.40}})

	now, _ := EstimateLambda(Lambda{Requests: 3e6, DurationMs: 1000, MemoryMiB: 512, FreeTier: true}, pricing.Default())
	checkLines(t, now, 18.73, []wantLine{{"Lambda compute (x86_64)", 18.33}})
}

func TestAWSAPIGatewayExamples(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name  string
		fd    FrontDoor
		req   float64
		size  float64
		total float64
	}{
		{name: "api gateway pricing page, 5M REST requests", fd: FrontDoorREST, req: 5e6, total: 17.50},
		{name: "http api, 5M small requests", fd: FrontDoorHTTP, req: 5e6, size: 10 * 1024, total: 5.00},
		{name: "http api, 5M requests of 600 KB meter twice", fd: FrontDoorHTTP, req: 5e6, size: 600 * 1024, total: 10.00},
		{name: "http api, exactly 512 KB meters once", fd: FrontDoorHTTP, req: 1e6, size: 512 * 1024, total: 1.00},
		{name: "no front door", fd: FrontDoorNone, req: 5e6, total: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateFrontDoor(tc.fd, tc.req, tc.size, p)
			if err != nil {
				t.Fatal(err)
			}
			if e.TotalUSD != tc.total {
				t.Errorf("total = $%.2f, want $%.2f (%+v)", e.TotalUSD, tc.total, e.Lines)
			}
		})
	}
}

func TestLambdaTierBoundaries(t *testing.T) {
	p := pricing.Default()
	// 1 GB for 1 s per request: GB-s equal requests.
	tests := []struct {
		name      string
		arch      pricing.Arch
		gbs       float64
		wantItems []string
	}{
		{name: "x86 at the first boundary", arch: pricing.X86_64, gbs: 6e9, wantItems: []string{"Lambda compute (x86_64)"}},
		{name: "x86 past the first boundary", arch: pricing.X86_64, gbs: 6e9 + 1000, wantItems: []string{"Lambda compute (x86_64)", "Lambda compute (x86_64, tier 2)"}},
		{name: "x86 past the second boundary", arch: pricing.X86_64, gbs: 15e9 + 1000, wantItems: []string{"Lambda compute (x86_64)", "Lambda compute (x86_64, tier 2)", "Lambda compute (x86_64, tier 3)"}},
		{name: "arm at the first boundary", arch: pricing.ARM64, gbs: 7.5e9, wantItems: []string{"Lambda compute (arm64)"}},
		{name: "arm past the first boundary", arch: pricing.ARM64, gbs: 7.5e9 + 1000, wantItems: []string{"Lambda compute (arm64)", "Lambda compute (arm64, tier 2)"}},
		{name: "arm past the second boundary", arch: pricing.ARM64, gbs: 18.75e9 + 1000, wantItems: []string{"Lambda compute (arm64)", "Lambda compute (arm64, tier 2)", "Lambda compute (arm64, tier 3)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateLambda(Lambda{Requests: tc.gbs, DurationMs: 1000, MemoryMiB: 1024, Arch: tc.arch}, p)
			if err != nil {
				t.Fatal(err)
			}
			var items []string
			var sumQ, sumUSD float64
			for _, l := range e.Lines {
				if strings.HasPrefix(l.Item, "Lambda compute") {
					items = append(items, l.Item)
					sumQ += l.Quantity
					sumUSD += l.USD
				}
			}
			if strings.Join(items, "|") != strings.Join(tc.wantItems, "|") {
				t.Errorf("compute lines = %q, want %q", items, tc.wantItems)
			}
			if sumQ != tc.gbs {
				t.Errorf("compute GB-s = %g, want %g", sumQ, tc.gbs)
			}
			if want := p.Lambda.Duration.For(tc.arch).Cost(tc.gbs); math.Abs(sumUSD-want) > 0.01*float64(len(items)) {
				t.Errorf("compute = $%.2f, want $%.2f", sumUSD, want)
			}
		})
	}
}

func TestLambdaFreeTierBoundary(t *testing.T) {
	p := pricing.Default()
	tests := []struct {
		name      string
		requests  float64
		wantReq   float64
		wantTotal float64
	}{
		// 1 GB × 0.4 s: 1M requests are exactly 400,000 GB-s.
		{name: "exactly the free tier", requests: 1e6, wantReq: 0, wantTotal: 0},
		{name: "one million more", requests: 2e6, wantReq: 0.20, wantTotal: pricing.RoundCents(400000*0.0000166667) + 0.20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EstimateLambda(Lambda{Requests: tc.requests, DurationMs: 400, MemoryMiB: 1024, FreeTier: true}, p)
			if err != nil {
				t.Fatal(err)
			}
			if l, _ := e.Line("Lambda requests"); l.USD != tc.wantReq {
				t.Errorf("requests = $%.2f, want $%.2f", l.USD, tc.wantReq)
			}
			if e.TotalUSD != pricing.RoundCents(tc.wantTotal) {
				t.Errorf("total = $%.2f, want $%.2f (%+v)", e.TotalUSD, tc.wantTotal, e.Lines)
			}
		})
	}
}

func TestLambdaBilling(t *testing.T) {
	p := pricing.Default()
	t.Run("duration rounds up to 1 ms", func(t *testing.T) {
		a, _ := EstimateLambda(Lambda{Requests: 1e6, DurationMs: 100.01, MemoryMiB: 1024}, p)
		b, _ := EstimateLambda(Lambda{Requests: 1e6, DurationMs: 101, MemoryMiB: 1024}, p)
		la, _ := a.Line("Lambda compute (x86_64)")
		lb, _ := b.Line("Lambda compute (x86_64)")
		if la.Quantity != lb.Quantity || la.Quantity != 101000 {
			t.Errorf("100.01 ms bills %g GB-s, 101 ms %g GB-s, want both 101000", la.Quantity, lb.Quantity)
		}
	})
	t.Run("init duration is billed", func(t *testing.T) {
		e, _ := EstimateLambda(Lambda{Requests: 1e6, DurationMs: 100, MemoryMiB: 1024, ColdStartRate: 0.01, InitDurationMs: 799.2}, p)
		l, ok := e.Line("Lambda init duration (x86_64)")
		if !ok || l.Quantity != 1e6*0.01*0.8 {
			t.Errorf("init line = %+v, want 8000 GB-s", l)
		}
	})
	t.Run("free tier covers invocations before init", func(t *testing.T) {
		e, _ := EstimateLambda(Lambda{Requests: 1e6, DurationMs: 300, MemoryMiB: 1024, ColdStartRate: 0.1, InitDurationMs: 2000, FreeTier: true}, p)
		// 300,000 GB-s of invocations are free; 200,000 GB-s of init, 100,000 of which are free.
		if l, _ := e.Line("Lambda init duration (x86_64)"); l.Quantity != 100000 {
			t.Errorf("billable init = %g GB-s, want 100000", l.Quantity)
		}
	})
	t.Run("provisioned time rounds up to 5 minutes", func(t *testing.T) {
		e, _ := EstimateLambda(Lambda{Requests: 0, MemoryMiB: 1024, Provisioned: 1, ProvisionedHours: 1.01}, p)
		if l, _ := e.Line("Lambda provisioned concurrency (x86_64)"); l.Quantity != 3900 {
			t.Errorf("provisioned GB-s = %g, want 3900 (65 minutes)", l.Quantity)
		}
	})
	t.Run("free tier with provisioned concurrency covers requests and on-demand duration", func(t *testing.T) {
		// 1M of the 2M requests spill over to on-demand at 1 s and 1 GB:
		// 1M GB-s, 400,000 of them free; the 1M provisioned requests' duration
		// and the provisioned concurrency itself are billed in full.
		e, _ := EstimateLambda(Lambda{Requests: 2e6, DurationMs: 1000, MemoryMiB: 1024, FreeTier: true,
			Provisioned: 1, ProvisionedHours: 1, ProvisionedRequests: 1e6}, p)
		if l, _ := e.Line("Lambda requests"); l.Quantity != 1e6 {
			t.Errorf("billed requests = %g, want 1M (1M free)", l.Quantity)
		}
		if l, _ := e.Line("Lambda compute (x86_64)"); l.Quantity != 600000 {
			t.Errorf("billed on-demand GB-s = %g, want 600000", l.Quantity)
		}
		if l, _ := e.Line("Lambda duration while provisioned (x86_64)"); l.Quantity != 1e6 {
			t.Errorf("provisioned duration GB-s = %g, want 1e6 (no free tier)", l.Quantity)
		}
		if l, _ := e.Line("Lambda provisioned concurrency (x86_64)"); l.Quantity != 3600 || len(e.Notes) == 0 {
			t.Errorf("provisioned concurrency = %+v notes %q, want 3600 GB-s billed with a note", l, e.Notes)
		}
	})
	t.Run("arm64 first tier", func(t *testing.T) {
		e, _ := EstimateLambda(Lambda{Requests: 1e6, DurationMs: 1000, MemoryMiB: 1024, Arch: pricing.ARM64}, p)
		if l, _ := e.Line("Lambda compute (arm64)"); l.USD != pricing.RoundCents(1e6*0.0000133334) {
			t.Errorf("arm64 compute = $%.2f, want $13.33", l.USD)
		}
	})
}

func TestLambdaMonotonic(t *testing.T) {
	p := pricing.Default()
	for _, arch := range []pricing.Arch{pricing.X86_64, pricing.ARM64} {
		for _, free := range []bool{false, true} {
			t.Run(string(arch)+map[bool]string{true: " free tier", false: ""}[free], func(t *testing.T) {
				prev := -1.0
				for mem := 128; mem <= 10240; mem += 64 {
					e, err := EstimateLambda(Lambda{Requests: 5e6, DurationMs: 150, MemoryMiB: mem, Arch: arch, FreeTier: free, FrontDoor: FrontDoorREST}, p)
					if err != nil {
						t.Fatal(err)
					}
					if e.TotalUSD < prev {
						t.Fatalf("%d MB costs $%.2f, less than %d MB's $%.2f", mem, e.TotalUSD, mem-64, prev)
					}
					prev = e.TotalUSD
				}
				prev = -1
				for _, req := range []float64{0, 1, 1e5, 1e6, 1e6 + 1, 5e6, 333e6, 333e6 + 1, 1e9, 2e10, 5e10} {
					e, err := EstimateLambda(Lambda{Requests: req, DurationMs: 150, MemoryMiB: 1024, Arch: arch, FreeTier: free, FrontDoor: FrontDoorREST}, p)
					if err != nil {
						t.Fatal(err)
					}
					if e.TotalUSD < prev {
						t.Fatalf("%g requests cost $%.2f, less than fewer requests' $%.2f", req, e.TotalUSD, prev)
					}
					prev = e.TotalUSD
				}
			})
		}
	}
}

func TestLambdaValidate(t *testing.T) {
	tests := []struct {
		name    string
		in      Lambda
		wantErr string
	}{
		{name: "memory too small", in: Lambda{MemoryMiB: 64}, wantErr: "memory-mb: 64 is outside 128 to 10240"},
		{name: "memory too large", in: Lambda{MemoryMiB: 10241}, wantErr: "memory-mb: 10241 is outside 128 to 10240"},
		{name: "ephemeral too large", in: Lambda{MemoryMiB: 128, EphemeralMiB: 20000}, wantErr: "ephemeral-mb: 20000 is outside 512 to 10240"},
		{name: "duration over 15 minutes", in: Lambda{MemoryMiB: 128, DurationMs: 900001}, wantErr: "duration-ms: 900001 is over Lambda's 900000 ms (15 minute) maximum duration"},
		{name: "provisioned duration over 15 minutes", in: Lambda{MemoryMiB: 128, Requests: 1, DurationMs: 1, Provisioned: 1, ProvisionedHours: 1, ProvisionedRequests: 1, ProvisionedDurationMs: 1e6}, wantErr: "provisioned-duration-ms: 1000000 is over Lambda's 900000 ms"},
		{name: "payload over 6 MB", in: Lambda{MemoryMiB: 128, PayloadBytes: 6*1024*1024 + 1}, wantErr: "payload-bytes: 6291457 is over Lambda's 6291456-byte (6 MB) synchronous payload"},
		{name: "negative requests", in: Lambda{MemoryMiB: 128, Requests: -1}, wantErr: "requests: -1 is not a non-negative number"},
		{name: "bad arch", in: Lambda{MemoryMiB: 128, Arch: "sparc"}, wantErr: `arch: "sparc" is not one of x86_64, arm64`},
		{name: "bad api", in: Lambda{MemoryMiB: 128, FrontDoor: "grpc"}, wantErr: `api: "grpc" is not one of none, rest, http`},
		{name: "cold start rate", in: Lambda{MemoryMiB: 128, ColdStartRate: 2}, wantErr: "cold-start-rate: 2 is outside 0 to 1"},
		{name: "provisioned requests exceed requests", in: Lambda{MemoryMiB: 128, Requests: 1, Provisioned: 1, ProvisionedHours: 1, ProvisionedRequests: 2}, wantErr: "provisioned-requests: 2 exceeds requests 1"},
		{name: "provisioned hours beyond a month", in: Lambda{MemoryMiB: 128, Provisioned: 1, ProvisionedHours: 800}, wantErr: "provisioned-hours: 800 exceeds the 730 hours of a month"},
		{name: "provisioned without hours", in: Lambda{MemoryMiB: 128, Provisioned: 1}, wantErr: "provisioned-hours: required with provisioned concurrency"},
		{name: "provisioned hours without concurrency", in: Lambda{MemoryMiB: 128, ProvisionedHours: 2}, wantErr: "provisioned: 0, but provisioned hours or requests are set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EstimateLambda(tc.in, pricing.Default())
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
