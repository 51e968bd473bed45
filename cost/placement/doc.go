// Package placement decides which tier serves a model: Lambda, Fargate,
// SageMaker serverless, real-time or asynchronous inference.
//
// Each tier is sized for the model (memory with [MemoryHeadroom], the
// smallest Fargate task or SageMaker instance that fits), checked against
// every hard limit it has ([limits]), and priced at the expected traffic.
// The cheapest feasible synchronous tier wins, but another tier wins over
// Lambda only when it is cheaper by [Model.Margin] ([DefaultMargin], 20 %):
// ties go to the simpler tier. The asynchronous tier, whose
// caller gets a job rather than the answer, wins when no synchronous tier
// fits, or, with no front door, when no pay-per-use tier (Lambda,
// serverless) fits and it is cheaper than every always-on tier. The decision lists every limit each
// tier hits, so "why not Lambda" has an answer.
//
// Durations are taken as measured on one full vCPU: Lambda is sized at
// 1,769 MB (one vCPU) or the model's memory need if larger, so the measured
// durations hold there; `costguard tune` trades latency for cost below it.
// SageMaker serverless is assumed to scale CPU with memory the same way, so
// it is sized at 2 GB or more.
//
// Capacity of an always-on tier: a task or instance serves as many requests
// at once as it sustains vCPUs (GPUs for a GPU instance) at
// [TargetUtilization]; a burstable instance (ml.t2) sustains only its
// baseline share of each vCPU, so it is sized on that, and the reasons say
// when it was passed over. Fargate carries the network constructs/fargate
// deploys ([FargateNATGateways], the NAT gateway's public IPv4 address, an
// internal load balancer behind an HTTP API). An asynchronous endpoint bills
// the idle time a request arrives within its scale-in cooldown
// ([estimate.AsyncInstanceHours]). The number of tasks is the mean
// concurrency over the month divided by that capacity, rounded up, and at
// least one. Peaks above the mean are left to autoscaling, whose cost this
// average does not show.
package placement
