// Package sagemaker serves the costguard model server on an Amazon
// SageMaker AI endpoint, for models that need a GPU, more memory than a
// Lambda function, or minutes per request.
//
// [NewEndpoint] registers the model server's SageMaker face (the same image
// as the other tiers, started with the argument serve: GET /ping and POST
// /invocations on port 8080) as a bring-your-own-container model, and
// builds an endpoint configuration and an endpoint in one of three variants:
//
//   - [VariantServerless] (the default): 1 to 6 GB of memory and a
//     concurrency limit, billed per second of compute; the cheap home for
//     sporadic traffic.
//   - [VariantRealtime]: instances (the GPU path) with target-tracking
//     autoscaling on invocations per instance.
//   - [VariantAsync]: instances that scale to zero when the queue is empty,
//     for long jobs; results land in an encrypted S3 bucket.
//
// Clients keep calling POST /predict on an API Gateway REST API. For the
// serverless and real-time variants, the method is an AWS service
// integration that calls the SageMaker runtime's InvokeEndpoint with an IAM
// role, with no function in between: a REST API is used because an HTTP
// API's AWS service integrations do not include SageMaker. The asynchronous
// variant cannot work that way, because InvokeEndpointAsync reads its input
// from S3 rather than from the request body: a small function (inline
// Node.js with the AWS SDK the runtime ships, so synth builds nothing) writes
// the body to the bucket, calls InvokeEndpointAsync and answers 202 with the
// inference id and the S3 location of the result.
//
// The endpoint records a [workload.Workload] on its AWS::SageMaker::Endpoint
// under [workload.MetadataKey], so `costguard report` prices it.
package sagemaker
