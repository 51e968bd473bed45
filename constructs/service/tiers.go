package service

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	fargatetier "github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/inference"
	sagemakertier "github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/sizing"
	"github.com/costguard-ml/costguard/cost/workload"
)

func (s *InferenceService) reasons() []string {
	return append([]string(nil), s.decision.Reasons...)
}

func msDuration(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func (s *InferenceService) buildLambda(p InferenceServiceProps, z placement.Option) {
	lp := p.Lambda
	if lp.Code == nil {
		lp.Code = p.LambdaCode
	}
	if lp.MemoryMiB == 0 && lp.MemoryProfile == nil {
		lp.MemoryMiB = z.MemoryMiB
	}
	if lp.Architecture == nil && p.arch() == workload.ArchX86_64 {
		lp.Architecture = awslambda.Architecture_X86_64()
	}
	if lp.Traffic == (workload.Traffic{}) {
		lp.Traffic = p.traffic()
	}
	if lp.Timeout == 0 && lp.LatencyProfile == nil {
		lp.LatencyProfile = &sizing.LatencyProfile{
			P99:  msDuration(p.Profile.P99LatencyMs),
			Init: msDuration(p.Traffic.InitDurationMs),
		}
	}
	l := inference.NewLambdaAPI(s, "Lambda", &lp)
	s.lambda, s.url = l, l.URL()
	// The construct records its workload on the function; add why.
	s.workload = l.Workload()
	s.workload.Placement = s.reasons()
	fnCfn := l.Function().Node().DefaultChild().(awslambda.CfnFunction)
	fnCfn.AddMetadata(jsii.String(workload.MetadataKey), s.workload.Map())

	s.attachGuard(p)
}

func (s *InferenceService) buildFargate(p InferenceServiceProps, z placement.Option) {
	fp := p.Fargate
	if fp.Architecture == "" {
		fp.Architecture = p.arch()
	}
	if fp.Image == nil {
		fp.Image = fargateImage(p.ContainerImage(s, "Image", fp.Architecture))
	}
	if fp.CPU == 0 && fp.MemoryMiB == 0 {
		fp.CPU, fp.MemoryMiB = z.CPU, z.MemoryMiB
	}
	if fp.MinTasks == 0 && !fp.ScaleToZero {
		fp.MinTasks = max(1, z.Count)
	}
	if fp.MaxTasks == 0 {
		fp.MaxTasks = max(fargatetier.DefaultMaxTasks, 2*fp.MinTasks)
	}
	if fp.Traffic == (workload.Traffic{}) {
		fp.Traffic = p.traffic()
	}
	fp.Placement = s.reasons()
	s.fargate = fargatetier.NewService(s, "Fargate", &fp)
	s.url, s.workload = s.fargate.URL(), s.fargate.Workload()
	s.attachGuard(p)
}

func (s *InferenceService) buildSageMaker(p InferenceServiceProps, z placement.Option) {
	sp := p.SageMaker
	switch s.decision.Tier {
	case workload.TierSageMakerRealtime:
		sp.Variant = sagemakertier.VariantRealtime
	case workload.TierSageMakerAsync:
		sp.Variant = sagemakertier.VariantAsync
	default:
		sp.Variant = sagemakertier.VariantServerless
	}
	if sp.Image == nil {
		// The instances costguard prices are x86_64.
		sp.Image = p.ContainerImage(s, "Image", workload.ArchX86_64)
	}
	if sp.ModelData == nil {
		sp.ModelData = p.ModelData
	}
	switch sp.Variant {
	case sagemakertier.VariantServerless:
		if sp.MemoryMiB == 0 {
			sp.MemoryMiB = z.MemoryMiB
		}
	default:
		if sp.InstanceType == "" {
			sp.InstanceType = z.InstanceType
		}
		if sp.MinInstances == 0 && sp.Variant == sagemakertier.VariantRealtime {
			sp.MinInstances = max(1, z.Count)
		}
		if sp.MaxInstances == 0 {
			sp.MaxInstances = max(sagemakertier.DefaultMaxInstances, 2*sp.MinInstances)
		}
	}
	if sp.Traffic == (workload.Traffic{}) {
		sp.Traffic = p.traffic()
	}
	sp.Placement = s.reasons()
	s.endpoint = sagemakertier.NewEndpoint(s, "SageMaker", &sp)
	s.url, s.workload = s.endpoint.URL(), s.endpoint.Workload()
	s.attachGuard(p)
}
