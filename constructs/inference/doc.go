// Package inference builds the Lambda tier of a costguard inference API: a
// Go model server on AWS Lambda (provided.al2023, arm64 by default) behind
// an API Gateway REST API (the default) or HTTP API, with the cost controls
// on by default.
//
// [NewLambdaAPI] creates:
//
//   - the function, with memory and a right-sized timeout that never
//     outlives the front door's integration timeout, a reserved-concurrency
//     cap, a log group with a finite retention and an inline-policy role;
//   - the alias "live", which the API always invokes, optionally with
//     provisioned concurrency, scheduled scaling (business hours) and
//     target-tracking autoscaling;
//   - the front door with the routes POST /predict and GET /health, stage
//     throttling, JSON access logs and, for a REST API, request validation
//     and a usage plan with a monthly quota and an API key.
//
// The construct records a [workload.Workload] on the function's
// CloudFormation resource (metadata key [workload.MetadataKey]), which the
// costguard CLI reads from the cloud assembly to estimate the monthly cost.
//
// The construct never reads files or the environment: the caller passes the
// function code. [ModelServerCode] returns it for any model directory, from
// any module that requires costguard: the model server built by import path
// in the caller's module, reproducibly, with the model in model/.
// Every configuration problem is reported at once, never as a panic: the
// constructor builds nothing, adds one CDK error annotation per problem
// (`cdk synth` fails listing them) and [LambdaAPI.Err] returns a
// [*ValidationError] that names the construct path, the field, the bad
// value and what is allowed.
package inference
