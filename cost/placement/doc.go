// Package placement decides which tier serves a model: Lambda, Fargate,
// SageMaker serverless, real-time or asynchronous inference.
//
// Each tier is sized for the model (memory with [MemoryHeadroom], the
// smallest Fargate task or SageMaker instance that fits), checked against
// every hard limit it has ([limits]), and priced at the expected traffic.
// The cheapest feasible synchronous tier wins. The asynchronous tier, whose
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
// at once as it has vCPUs (GPUs for a GPU instance) at [TargetUtilization];
// the number of tasks is the mean concurrency over the month divided by
// that, rounded up, and at least one. Peaks above the mean are left to
// autoscaling, whose cost this average does not show.
package placement
