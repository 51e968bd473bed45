package service

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/sizing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/validation"
)

func (s *InferenceService) reasons() []string {
	return append([]string(nil), s.decision.Reasons...)
}

func (s *InferenceService) buildLambda(p InferenceServiceProps, z placement.Option) {
	lp := p.Lambda
	if lp.Code == nil {
		lp.Code = p.LambdaCode
	}
	if lp.MemoryMiB == 0 && lp.MemoryProfile == nil {
		lp.MemoryMiB = z.MemoryMiB
	}
	if lp.Architecture == "" {
		lp.Architecture = p.arch()
	}
	if lp.Traffic == (workload.Traffic{}) {
		lp.Traffic = p.traffic()
	}
	if lp.Timeout == 0 && lp.LatencyProfile == nil {
		lp.LatencyProfile = &sizing.LatencyProfile{
			P99:  sizing.Milliseconds(p.Profile.P99LatencyMs),
			Init: sizing.Milliseconds(p.Traffic.InitDurationMs),
		}
	}
	// The default child: the function and API keep the logical ids of a
	// LambdaAPI at the service's id.
	l := inference.NewLambdaAPI(s, "Default", &lp)
	s.lambda, s.url = l, l.URL()
	if l.Err() != nil {
		return
	}
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
		img, err := p.ContainerImage(s, "Image", fp.Architecture)
		if s.err = validation.Report(s, err); s.err != nil {
			return
		}
		fp.Image = fargateImage(img)
	}
	if fp.CPU == 0 && fp.MemoryMiB == 0 {
		fp.CPU, fp.MemoryMiB = z.CPU, z.MemoryMiB
	}
	if fp.MinTasks == 0 && !fp.ScaleToZero {
		fp.MinTasks = max(1, z.Count)
	}
	if fp.MaxTasks == 0 {
		fp.MaxTasks = max(fargate.DefaultMaxTasks, 2*fp.MinTasks)
	}
	if fp.Traffic == (workload.Traffic{}) {
		fp.Traffic = p.traffic()
	}
	fp.Placement = s.reasons()
	s.fargate = fargate.NewService(s, "Fargate", &fp)
	if s.fargate.Err() != nil {
		return
	}
	s.url, s.workload = s.fargate.URL(), s.fargate.Workload()
	s.attachGuard(p)
}

func (s *InferenceService) buildSageMaker(p InferenceServiceProps, z placement.Option) {
	sp := p.SageMaker
	switch s.decision.Tier {
	case workload.TierSageMakerRealtime:
		sp.Variant = sagemaker.VariantRealtime
	case workload.TierSageMakerAsync:
		sp.Variant = sagemaker.VariantAsync
	default:
		sp.Variant = sagemaker.VariantServerless
	}
	if sp.Image == nil {
		// The instances costguard prices are x86_64.
		img, err := p.ContainerImage(s, "Image", workload.ArchX86_64)
		if s.err = validation.Report(s, err); s.err != nil {
			return
		}
		sp.Image = img
	}
	if sp.ModelData == nil {
		sp.ModelData = p.ModelData
	}
	switch sp.Variant {
	case sagemaker.VariantServerless:
		if sp.MemoryMiB == 0 {
			sp.MemoryMiB = z.MemoryMiB
		}
	default:
		if sp.InstanceType == "" {
			sp.InstanceType = z.InstanceType
		}
		if sp.MinInstances == 0 && sp.Variant == sagemaker.VariantRealtime {
			sp.MinInstances = max(1, z.Count)
		}
		if sp.MaxInstances == 0 {
			sp.MaxInstances = max(sagemaker.DefaultMaxInstances, 2*sp.MinInstances)
		}
	}
	if sp.Traffic == (workload.Traffic{}) {
		sp.Traffic = p.traffic()
	}
	sp.Placement = s.reasons()
	s.endpoint = sagemaker.NewEndpoint(s, "SageMaker", &sp)
	if s.endpoint.Err() != nil {
		return
	}
	s.url, s.workload = s.endpoint.URL(), s.endpoint.Workload()
	s.attachGuard(p)
}
