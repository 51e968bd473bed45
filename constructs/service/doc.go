// Package service holds InferenceService, the construct to reach for
// first: describe the model (its artifact size, peak memory, latency, GPU
// need and payload size), the traffic and the budget, and it serves the
// model on the tier that fits, behind POST /predict.
//
// [NewInferenceService] asks cost/placement where the model belongs
// (lambda, fargate, sagemaker-serverless, sagemaker-realtime or
// sagemaker-async), or takes an explicit Tier override after checking that
// the tier can serve the model at all. It then builds that tier with the
// sizing placement chose (constructs/inference, constructs/fargate or
// constructs/sagemaker), attaches the full cost guard (constructs/guard:
// budget, dollar and operational alarms on the tier's own metrics,
// dashboard, kill switch) to whichever tier it built where one is
// configured,
// and records the decision twice: in the billing resource's
// costguard:workload metadata (the placement field, which `costguard
// report` prints) and as an info annotation, which `cdk synth` prints.
//
// An override that breaks a hard limit of its tier, such as a GPU model on
// Lambda or a 12 GB model on Lambda or SageMaker serverless, fails synth
// with an error annotation that names the limit, and
// [InferenceService.Err] returns it as a [*ValidationError]; like every
// costguard construct, it never panics on bad props.
package service
