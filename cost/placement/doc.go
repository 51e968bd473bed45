// Package placement decides which tier serves a model: Lambda, Fargate,
// SageMaker serverless, real-time or asynchronous inference.
//
// Each tier is sized for the model (memory with [MemoryHeadroom], the
// smallest Fargate task or SageMaker instance that fits), checked against
// every hard limit it has ([limits]), and priced at the expected traffic.
// The cheapest feasible synchronous tier wins; the asynchronous tier, whose
// caller gets a job rather than the answer, wins only when no synchronous
// tier fits or there is no front door. The decision lists every limit each
// tier hits, so "why not Lambda" has an answer.
//
// Capacity of an always-on tier: a task or instance serves as many requests
// at once as it has vCPUs (GPUs for a GPU instance) at [TargetUtilization];
// the number of tasks is the mean concurrency over the month divided by
// that, rounded up, and at least one. Peaks above the mean are left to
// autoscaling, whose cost this average does not show.
package placement
