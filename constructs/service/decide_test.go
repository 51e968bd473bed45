package service

import (
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// Profiles of the models the issue names.
var (
	textModel = Profile{ArtifactMB: 40, PeakMemoryMB: 300, P99LatencyMs: 120, AvgLatencyMs: 40, PayloadBytes: 2048}
	bigModel  = Profile{ArtifactMB: 9000, PeakMemoryMB: 12288, P99LatencyMs: 400, AvgLatencyMs: 150, PayloadBytes: 64 << 10}
	gpuModel  = Profile{ArtifactMB: 2000, PeakMemoryMB: 6000, P99LatencyMs: 80, AvgLatencyMs: 40, GPU: true, PayloadBytes: 256 << 10}
	batchJob  = Profile{ArtifactMB: 500, PeakMemoryMB: 3000, P99LatencyMs: 20 * 60 * 1000, AvgLatencyMs: 10 * 60 * 1000, PayloadBytes: 1 << 20}
)

func TestDecide(t *testing.T) {
	tests := []struct {
		name     string
		props    InferenceServiceProps
		tier     workload.Tier
		notTier  workload.Tier
		reasons  []string
		override bool
	}{
		{name: "tiny text model goes to lambda",
			props: InferenceServiceProps{Profile: textModel, Traffic: workload.Traffic{RequestsPerMonth: 1e6}},
			tier:  workload.TierLambda, reasons: []string{"lambda is the cheapest feasible synchronous tier"}},
		{name: "12 GB model is not lambda",
			props:   InferenceServiceProps{Profile: bigModel, Traffic: workload.Traffic{RequestsPerMonth: 3e6}},
			notTier: workload.TierLambda, reasons: []string{"not lambda: needs 15360 MB (peak 12288 MB + 25%), over Lambda's 10240 MB"}},
		{name: "gpu model goes to sagemaker real-time",
			props: InferenceServiceProps{Profile: gpuModel, Traffic: workload.Traffic{RequestsPerMonth: 2e6}},
			tier:  workload.TierSageMakerRealtime, reasons: []string{"not lambda: needs a GPU; Lambda has none", "not fargate: needs a GPU; Fargate has none"}},
		{name: "20-minute job is not lambda",
			props:   InferenceServiceProps{Profile: batchJob, Traffic: workload.Traffic{RequestsPerMonth: 1000}},
			notTier: workload.TierLambda, reasons: []string{"exceeds Lambda's 900 s maximum timeout"}},
		{name: "feasible override wins and says what placement would do",
			props: InferenceServiceProps{Profile: textModel, Traffic: workload.Traffic{RequestsPerMonth: 1e6}, Tier: workload.TierFargate},
			tier:  workload.TierFargate, override: true, reasons: []string{"fargate chosen by override (placement would choose lambda)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.props.ContainerImage = testImage // every tier is buildable
			d, err := Decide(tc.props)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if tc.tier != "" && d.Tier != tc.tier {
				t.Errorf("tier = %s, want %s (reasons %q)", d.Tier, tc.tier, d.Reasons)
			}
			if tc.notTier != "" && d.Tier == tc.notTier {
				t.Errorf("tier = %s, want anything else", d.Tier)
			}
			if d.Overridden != tc.override {
				t.Errorf("Overridden = %v, want %v", d.Overridden, tc.override)
			}
			all := strings.Join(d.Reasons, "\n")
			for _, r := range tc.reasons {
				if !strings.Contains(all, r) {
					t.Errorf("reasons %q lack %q", d.Reasons, r)
				}
			}
			if !d.Option.Feasible || d.Option.Tier != d.Tier || d.Option.Config == "" {
				t.Errorf("option = %+v, want the feasible, sized option of %s", d.Option, d.Tier)
			}
		})
	}
}

// TestInfeasibleOverride proves an override that breaks a hard limit fails
// with a message naming the limit.
func TestInfeasibleOverride(t *testing.T) {
	tests := []struct {
		name  string
		props InferenceServiceProps
		want  string
	}{
		{"gpu model forced onto lambda", InferenceServiceProps{Profile: gpuModel, Tier: workload.TierLambda},
			"Tier: lambda cannot serve this model: needs a GPU; Lambda has none"},
		{"12 GB model on lambda", InferenceServiceProps{Profile: bigModel, Tier: workload.TierLambda},
			"Tier: lambda cannot serve this model: needs 15360 MB (peak 12288 MB + 25%), over Lambda's 10240 MB"},
		{"12 GB model on sagemaker serverless", InferenceServiceProps{Profile: bigModel, Tier: workload.TierSageMakerServerless},
			"Tier: sagemaker-serverless cannot serve this model: needs 15360 MB, over SageMaker serverless's 6144 MB"},
		{"gpu model on fargate", InferenceServiceProps{Profile: gpuModel, Tier: workload.TierFargate},
			"Tier: fargate cannot serve this model: needs a GPU; Fargate has none"},
		{"20-minute job on sagemaker real-time", InferenceServiceProps{Profile: batchJob, Tier: workload.TierSageMakerRealtime},
			"exceeds the real-time endpoint's 60 s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decide(tc.props)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decide() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestPropsValidation(t *testing.T) {
	tests := []struct {
		name  string
		props InferenceServiceProps
		want  []string
	}{
		{"profile missing", InferenceServiceProps{}, []string{
			"Profile.PeakMemoryMB: required", "Profile.P99LatencyMs: required"}},
		{"negative numbers", InferenceServiceProps{Profile: Profile{PeakMemoryMB: -1, P99LatencyMs: 10, PayloadBytes: -5}, MonthlyBudgetUSD: -2}, []string{
			"Profile.PeakMemoryMB: -1 is not a non-negative number", "Profile.PayloadBytes: -5 is not a non-negative number",
			"MonthlyBudgetUSD: -2 is not a non-negative number"}},
		{"average above p99", InferenceServiceProps{Profile: Profile{PeakMemoryMB: 100, P99LatencyMs: 10, AvgLatencyMs: 20}}, []string{
			"Profile.AvgLatencyMs: 20 exceeds Profile.P99LatencyMs 10"}},
		{"unknown tier", InferenceServiceProps{Profile: textModel, Tier: "ec2"}, []string{
			`Tier: "ec2" is not one of lambda, fargate, sagemaker-serverless, sagemaker-realtime, sagemaker-async`}},
		{"architecture", InferenceServiceProps{Profile: textModel, Architecture: "riscv"}, []string{
			`Architecture: "riscv" is not one of arm64, x86_64`}},
		{"price region", InferenceServiceProps{Profile: textModel, PriceRegion: "mars-1"}, []string{"PriceRegion: "}},
		{"guard without a budget", InferenceServiceProps{Profile: textModel, Guard: &guard.CostGuardProps{Stage: "dev"}}, []string{
			"MonthlyBudgetUSD: required with Guard"}},
		{"no tier fits", InferenceServiceProps{Profile: Profile{PeakMemoryMB: 200_000, P99LatencyMs: 10}}, []string{
			"Profile: no tier can serve this model"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decide(tc.props)
			if err == nil {
				t.Fatalf("Decide() = nil error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Decide() error = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestPlacementSizingIsBuildable checks that placement's typed sizing of
// every feasible tier, for several models, is something the tier's
// construct accepts.
func TestPlacementSizingIsBuildable(t *testing.T) {
	prices := pricing.Default()
	for name, prof := range map[string]Profile{"text": textModel, "big": bigModel, "gpu": gpuModel, "batch": batchJob} {
		m := InferenceServiceProps{Profile: prof, Traffic: workload.Traffic{RequestsPerMonth: 5e6}}.model()
		for _, tier := range workload.Tiers {
			z := placement.Evaluate(m, tier, prices)
			if !z.Feasible {
				continue
			}
			t.Run(name+"/"+string(tier), func(t *testing.T) {
				switch tier {
				case workload.TierLambda:
					if z.MemoryMiB < limits.LambdaMinMemoryMiB || z.MemoryMiB > limits.LambdaMaxMemoryMiB {
						t.Errorf("lambda memory %d (%q)", z.MemoryMiB, z.Config)
					}
				case workload.TierFargate:
					if !limits.FargateMemoryValid(z.CPU, z.MemoryMiB) || z.Count < 1 {
						t.Errorf("fargate %d CPU / %d MiB × %d (%q)", z.CPU, z.MemoryMiB, z.Count, z.Config)
					}
				case workload.TierSageMakerServerless:
					if z.MemoryMiB < prices.SageMaker.ServerlessMinMiB || z.MemoryMiB > prices.SageMaker.ServerlessMaxMiB {
						t.Errorf("serverless memory %d (%q)", z.MemoryMiB, z.Config)
					}
				case workload.TierSageMakerRealtime, workload.TierSageMakerAsync:
					if _, ok := prices.SageMaker.Instances[z.InstanceType]; !ok {
						t.Errorf("instance %q (%q)", z.InstanceType, z.Config)
					}
					if tier == workload.TierSageMakerRealtime && z.Count < 1 {
						t.Errorf("instances %d (%q)", z.Count, z.Config)
					}
				}
			})
		}
	}
}

func TestRecordedTraffic(t *testing.T) {
	tests := []struct {
		name  string
		props InferenceServiceProps
		want  workload.Traffic
	}{
		{"profile fills what the traffic leaves out",
			InferenceServiceProps{Profile: Profile{PeakMemoryMB: 100, P99LatencyMs: 80, AvgLatencyMs: 30, PayloadBytes: 1000},
				Traffic: workload.Traffic{RequestsPerMonth: 5}},
			workload.Traffic{RequestsPerMonth: 5, AvgDurationMs: 30, P99DurationMs: 80, PayloadBytes: 1000}},
		{"the traffic's own figures win",
			InferenceServiceProps{Profile: Profile{PeakMemoryMB: 100, P99LatencyMs: 80, AvgLatencyMs: 30, PayloadBytes: 1000},
				Traffic: workload.Traffic{RequestsPerMonth: 5, AvgDurationMs: 20, P99DurationMs: 60, PayloadBytes: 10}},
			workload.Traffic{RequestsPerMonth: 5, AvgDurationMs: 20, P99DurationMs: 60, PayloadBytes: 10}},
		{"no average anywhere: half the p99, as placement assumes",
			InferenceServiceProps{Profile: Profile{PeakMemoryMB: 100, P99LatencyMs: 80}},
			workload.Traffic{AvgDurationMs: 40, P99DurationMs: 80}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.props.traffic(); got != tc.want {
				t.Errorf("traffic() = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Without a container image placement keeps to Lambda: a model it would
// put on Fargate fails with one error naming the missing image instead of
// choosing a tier the caller cannot build.
func TestDecideWithoutImage(t *testing.T) {
	d, err := Decide(InferenceServiceProps{Profile: textModel, Traffic: workload.Traffic{RequestsPerMonth: 1e6}})
	if err != nil || d.Tier != workload.TierLambda {
		t.Errorf("text model without an image: %s, %v", d.Tier, err)
	}
	_, err = Decide(InferenceServiceProps{Profile: bigModel, Traffic: workload.Traffic{RequestsPerMonth: 3e6}})
	if err == nil || !strings.Contains(err.Error(), "no container image given") {
		t.Errorf("12 GB model without an image: %v, want an error naming the missing image", err)
	}
}
