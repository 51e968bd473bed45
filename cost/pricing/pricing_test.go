package pricing

import (
	"math"
	"sort"
	"strings"
	"testing"
)

func TestTieredSplit(t *testing.T) {
	x86 := Default().Lambda.Duration.X86_64
	tests := []struct {
		name  string
		q     float64
		skip  float64
		want  []float64 // quantity per used tier, in order
		first int       // index of the first used tier
	}{
		{name: "zero", q: 0},
		{name: "inside first tier", q: 1e6, want: []float64{1e6}},
		{name: "exactly the first tier", q: 6e9, want: []float64{6e9}},
		{name: "one past the first tier", q: 6e9 + 1, want: []float64{6e9, 1}},
		{name: "exactly the first two tiers", q: 15e9, want: []float64{6e9, 9e9}},
		{name: "into the last tier", q: 20e9, want: []float64{6e9, 9e9, 5e9}},
		{name: "skip into the second tier", q: 1e9, skip: 6.5e9, want: []float64{1e9}, first: 1},
		{name: "skip across a boundary", q: 2e9, skip: 5e9, want: []float64{1e9, 1e9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := x86.Split(tc.q, tc.skip)
			if len(got) != len(tc.want) {
				t.Fatalf("Split(%g, %g) = %+v, want quantities %v", tc.q, tc.skip, got, tc.want)
			}
			for i, u := range got {
				if u.Quantity != tc.want[i] || u.Index != tc.first+i {
					t.Errorf("tier %d = %+v, want quantity %g at index %d", i, u, tc.want[i], tc.first+i)
				}
			}
		})
	}
}

func TestTieredCostBoundaries(t *testing.T) {
	p := Default()
	tests := []struct {
		name string
		t    Tiered
		q    float64
		want float64
	}{
		{name: "x86 first tier full", t: p.Lambda.Duration.X86_64, q: 6e9, want: 6e9 * 0.0000166667},
		{name: "x86 second tier starts", t: p.Lambda.Duration.X86_64, q: 6e9 + 1e6, want: 6e9*0.0000166667 + 1e6*0.000015},
		{name: "x86 third tier starts", t: p.Lambda.Duration.X86_64, q: 15e9 + 1e6, want: 6e9*0.0000166667 + 9e9*0.000015 + 1e6*0.0000133334},
		{name: "arm first tier full", t: p.Lambda.Duration.ARM64, q: 7.5e9, want: 7.5e9 * 0.0000133334},
		{name: "arm second tier starts", t: p.Lambda.Duration.ARM64, q: 7.5e9 + 1e6, want: 7.5e9*0.0000133334 + 1e6*0.0000120001},
		{name: "arm third tier starts", t: p.Lambda.Duration.ARM64, q: 18.75e9 + 1e6, want: 7.5e9*0.0000133334 + 11.25e9*0.0000120001 + 1e6*0.0000106667},
		{name: "rest first tier full", t: p.APIGateway.REST, q: 333e6, want: 333 * 3.50},
		{name: "rest second tier", t: p.APIGateway.REST, q: 334e6, want: 333*3.50 + 2.80},
		{name: "rest third tier", t: p.APIGateway.REST, q: 1001e6, want: 333*3.50 + 667*2.80 + 2.38},
		{name: "rest last tier", t: p.APIGateway.REST, q: 20001e6, want: 333*3.50 + 667*2.80 + 19000*2.38 + 1.51},
		{name: "http first tier full", t: p.APIGateway.HTTP, q: 300e6, want: 300},
		{name: "http second tier", t: p.APIGateway.HTTP, q: 301e6, want: 300 + 0.90},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.t.Cost(tc.q); math.Abs(got-tc.want) > 1e-6*math.Max(1, tc.want) {
				t.Errorf("Cost(%g) = %.10f, want %.10f", tc.q, got, tc.want)
			}
		})
	}
}

func TestTieredMonotonic(t *testing.T) {
	p := Default()
	for name, tiers := range map[string]Tiered{
		"lambda x86": p.Lambda.Duration.X86_64, "lambda arm": p.Lambda.Duration.ARM64,
		"rest": p.APIGateway.REST, "http": p.APIGateway.HTTP,
	} {
		t.Run(name, func(t *testing.T) {
			var qs []float64
			for _, b := range tiers.Bounds() {
				qs = append(qs, b*0.5, b-1, b, b+1, b*1.5)
			}
			sort.Float64s(qs)
			prev := 0.0
			for _, q := range qs {
				c := tiers.Cost(q)
				if c < prev {
					t.Fatalf("Cost(%g) = %g, less than a smaller quantity's %g", q, c, prev)
				}
				prev = c
			}
		})
	}
}

func TestForRegion(t *testing.T) {
	tests := []struct {
		name, region, want, wantErr string
	}{
		{name: "default", region: "", want: "us-east-1"},
		{name: "us-east-1", region: "us-east-1", want: "us-east-1"},
		{name: "unpriced", region: "eu-west-1", wantErr: `region "eu-west-1" is not priced (priced: us-east-1)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ForRegion(tc.region)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("ForRegion(%q) error = %v, want %q", tc.region, err, tc.wantErr)
				}
				return
			}
			if err != nil || p.Region != tc.want {
				t.Fatalf("ForRegion(%q) = %q, %v, want %q", tc.region, p.Region, err, tc.want)
			}
		})
	}
}

func TestForRegionReturnsACopy(t *testing.T) {
	a, _ := ForRegion("us-east-1")
	a.SageMaker.Instances["ml.t2.medium"] = Instance{Hourly: 0}
	a.Lambda.Duration.X86_64[0].Price = 0
	b, _ := ForRegion("us-east-1")
	if b.SageMaker.Instances["ml.t2.medium"].Hourly == 0 || b.Lambda.DurationPerGBSecond(X86_64) == 0 {
		t.Fatal("editing one caller's prices changed another's")
	}
}

func TestEveryTableHasASource(t *testing.T) {
	for _, r := range Regions() {
		p, _ := ForRegion(r)
		for name, s := range map[string]Source{
			"lambda": p.Lambda.Source, "apigateway": p.APIGateway.Source, "fargate": p.Fargate.Source,
			"sagemaker": p.SageMaker.Source, "cloudwatch": p.CloudWatch.Source, "sns": p.SNS.Source,
			"network": p.Network.Source, "other": p.Other.Source, "xray": p.XRay.Source,
			"dataTransfer": p.DataTransfer.Source,
		} {
			if !strings.HasPrefix(s.URL, "https://aws.amazon.com/") || len(s.Read) != len("2006-01-02") {
				t.Errorf("%s %s: source %+v lacks an AWS URL or a read date", r, name, s)
			}
		}
	}
}

func TestRoundCents(t *testing.T) {
	tests := []struct {
		in, want float64
	}{
		{2.333338, 2.33}, {105.333544, 105.33}, {0.077868, 0.08}, {0.005, 0.01}, {2.735, 2.74},
		{0.1 + 0.2, 0.30}, {-0.005, -0.01}, {0, 0},
	}
	for _, tc := range tests {
		if got := RoundCents(tc.in); got != tc.want {
			t.Errorf("RoundCents(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseArch(t *testing.T) {
	for in, want := range map[string]Arch{"": X86_64, "x86_64": X86_64, "amd64": X86_64, "arm64": ARM64, "graviton": ARM64} {
		if got, err := ParseArch(in); err != nil || got != want {
			t.Errorf("ParseArch(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := ParseArch("sparc"); err == nil || err.Error() != `architecture "sparc" is not one of x86_64, arm64` {
		t.Errorf("ParseArch(sparc) error = %v", err)
	}
}

func TestResolveUnknownRegionSaysHowToImport(t *testing.T) {
	_, err := Resolve("ap-northeast-2", nil)
	want := `region "ap-northeast-2" is not priced (built in: us-east-1): import its prices from AWS Price List files with --prices FILE (costguard prices fetch --region ap-northeast-2 writes them)`
	if err == nil || err.Error() != want {
		t.Fatalf("Resolve error = %v, want %q", err, want)
	}
}
