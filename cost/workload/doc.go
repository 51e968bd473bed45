// Package workload is the contract between the costguard CDK constructs, which
// record what each inference tier is and what traffic it expects, and the
// costguard CLI, which reads that record back from a synthesized cloud assembly
// to estimate, report and diff the monthly cost.
//
// The constructs attach a [Workload] as resource metadata under [MetadataKey]
// on the resource that bills for compute (the Lambda function, the ECS service,
// the SageMaker endpoint), and the app attaches a [Stack] as template-level
// metadata under [StackMetadataKey]. Both are plain JSON, so they survive in
// the template that `cdk diff` and code review see.
//
// The package imports nothing from the CDK, so the CLI stays a small binary.
package workload
