package limits

import "time"

// Lambda quotas.
//
// Source: AWS Lambda Developer Guide, "Lambda quotas"
// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
// and "Configure Lambda function memory"; read 2026-11-27.
const (
	// LambdaMinMemoryMiB and LambdaMaxMemoryMiB bound a function's memory, in 1 MB steps.
	LambdaMinMemoryMiB = 128
	LambdaMaxMemoryMiB = 10240
	// LambdaMaxTimeout is the longest a single invocation may run.
	LambdaMaxTimeout = 900 * time.Second
	// LambdaMinEphemeralMiB and LambdaMaxEphemeralMiB bound /tmp; 512 MB is free.
	LambdaMinEphemeralMiB = 512
	LambdaMaxEphemeralMiB = 10240
	// LambdaSyncPayloadBytes is the synchronous invocation request and response limit (6 MB).
	LambdaSyncPayloadBytes = 6 * 1024 * 1024
	// LambdaUnzippedPackageBytes is the deployment package limit, unzipped, layers included (250 MB).
	LambdaUnzippedPackageBytes = 250 * 1024 * 1024
	// LambdaImageBytes is the container image limit (10 GB, uncompressed).
	LambdaImageBytes = 10 * 1024 * 1024 * 1024
	// LambdaMemoryPerVCPUMiB is the memory at which a function gets one full vCPU;
	// CPU is allocated in proportion to memory, up to LambdaMaxVCPUs at the maximum memory.
	LambdaMemoryPerVCPUMiB = 1769
	LambdaMaxVCPUs         = 6
	// LambdaDefaultAccountConcurrency is the default regional concurrency quota.
	LambdaDefaultAccountConcurrency = 1000
	// LambdaUnreservedMinimum is the concurrency Lambda keeps unreserved in every account.
	LambdaUnreservedMinimum = 100
)

// API Gateway quotas.
//
// Source: Amazon API Gateway Developer Guide, "Amazon API Gateway quotas"
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)
// and "Quotas for configuring and running an HTTP API"; read 2026-11-27.
const (
	// RESTIntegrationTimeout is a REST API's default integration timeout
	// (29 s; Regional and private APIs may request more).
	RESTIntegrationTimeout = 29 * time.Second
	// HTTPIntegrationTimeout is an HTTP API's maximum integration timeout.
	HTTPIntegrationTimeout = 30 * time.Second
	// RESTPayloadBytes is a REST API's request payload limit (10 MB).
	RESTPayloadBytes = 10 * 1024 * 1024
	// HTTPPayloadBytes is an HTTP API's request payload limit (10 MB).
	HTTPPayloadBytes = 10 * 1024 * 1024
	// DefaultAccountRateLimit and DefaultAccountBurstLimit are the default
	// per-account, per-region throttles (requests per second, burst).
	DefaultAccountRateLimit  = 10000
	DefaultAccountBurstLimit = 5000
)

// Fargate task sizes.
//
// Source: Amazon ECS Developer Guide, "Task CPU and memory"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size);
// read 2026-11-27. Fargate offers no GPUs.
var FargateSizes = []FargateSize{
	{CPU: 256, MinMiB: 512, MaxMiB: 2048, StepMiB: 512},
	{CPU: 512, MinMiB: 1024, MaxMiB: 4096, StepMiB: 1024},
	{CPU: 1024, MinMiB: 2048, MaxMiB: 8192, StepMiB: 1024},
	{CPU: 2048, MinMiB: 4096, MaxMiB: 16384, StepMiB: 1024},
	{CPU: 4096, MinMiB: 8192, MaxMiB: 30720, StepMiB: 1024},
	{CPU: 8192, MinMiB: 16384, MaxMiB: 61440, StepMiB: 4096},
	{CPU: 16384, MinMiB: 32768, MaxMiB: 122880, StepMiB: 8192},
}

// FargateSize is the memory range one Fargate CPU size allows. The 256-unit
// size allows 512, 1024 and 2048 MiB only, which MinMiB..MaxMiB in 512 steps
// would overstate; FargateMemoryValid handles it.
type FargateSize struct {
	CPU                     int
	MinMiB, MaxMiB, StepMiB int
}

// FargateMemoryValid reports whether cpu units and memMiB form a valid
// Fargate task size.
func FargateMemoryValid(cpu, memMiB int) bool {
	for _, s := range FargateSizes {
		if s.CPU != cpu {
			continue
		}
		if cpu == 256 {
			return memMiB == 512 || memMiB == 1024 || memMiB == 2048
		}
		return memMiB >= s.MinMiB && memMiB <= s.MaxMiB && (memMiB-s.MinMiB)%s.StepMiB == 0
	}
	return false
}

// SageMaker inference quotas.
//
// Source: Amazon SageMaker AI Developer Guide, "Serverless Inference"
// (feature exclusions and memory sizes), "Asynchronous inference" and
// "InvokeEndpoint" API reference; read 2026-11-27.
const (
	// SageMakerServerlessMaxMiB is a serverless endpoint's largest memory size.
	SageMakerServerlessMaxMiB = 6144
	// SageMakerServerlessTimeout is the longest a serverless invocation may run.
	SageMakerServerlessTimeout = 60 * time.Second
	// SageMakerServerlessPayloadBytes is a serverless request's payload limit (4 MB).
	SageMakerServerlessPayloadBytes = 4 * 1024 * 1024
	// SageMakerRealtimeTimeout is how long InvokeEndpoint waits for a real-time response.
	SageMakerRealtimeTimeout = 60 * time.Second
	// SageMakerRealtimePayloadBytes is InvokeEndpoint's request payload limit (6 MB).
	SageMakerRealtimePayloadBytes = 6 * 1024 * 1024
	// SageMakerAsyncTimeout is the longest an asynchronous request may be processed.
	SageMakerAsyncTimeout = time.Hour
	// SageMakerAsyncPayloadBytes is an asynchronous request's payload limit (1 GB).
	SageMakerAsyncPayloadBytes = 1024 * 1024 * 1024
	// FargateMaxMemoryMiB is the largest Fargate task (16 vCPU, 120 GB).
	FargateMaxMemoryMiB = 122880
)

// LambdaUnreservedFloor is the concurrency Lambda keeps unreserved in an
// account whose concurrency quota is accountLimit: 100
// (https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html:
// "as long as you leave at least 100 simultaneous executions unreserved"),
// or the whole quota in a new account whose quota is lower (Lambda then
// refuses any reservation: "Specified ReservedConcurrentExecutions for
// function decreases account's UnreservedConcurrentExecution below its
// minimum value of [10]").
func LambdaUnreservedFloor(accountLimit int) int { return min(LambdaUnreservedMinimum, accountLimit) }
