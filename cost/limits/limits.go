// Package limits holds the AWS service limits that costguard designs around,
// in one place, each with its source and the date it was read. Constructs
// validate against them, the sizing and placement logic decides with them,
// and the documentation quotes them.
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
