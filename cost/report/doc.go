// Package report prices the stacks of a synthesized cloud assembly at the
// traffic each stage records, resource by resource, and diffs two
// assemblies' estimates for a pull request.
//
// What is priced, per stack:
//
//   - every resource carrying a costguard:workload record (Lambda function,
//     ECS service, SageMaker endpoint): its tier and front door at the
//     recorded traffic (package estimate), plus what the deployment adds
//     around it (estimate.EstimateExtras): the model server's EMF custom
//     metrics (workload.ServerMetrics, unless METRICS=off), X-Ray traces
//     when the function or a REST stage traces, its CloudWatch Logs
//     ([DefaultLogBytesPerRequest] a request, stored uncompressed for its
//     log group's retention, so an upper bound) and its responses sent to
//     the internet;
//   - API stages with an access log: one line a request, sized from the
//     stage's format, kept its log group's retention;
//   - CloudWatch alarms by the metrics each reads (a metric-math alarm pays
//     per metric; under 60 s periods are high resolution), composite
//     alarms, dashboards;
//   - load balancers (at one capacity unit; an internet-facing one's public
//     IPv4 addresses), NAT gateways (hours, and the Fargate tasks' logs
//     through them), Elastic IPs (public IPv4 addresses), ECS clusters with
//     Container Insights (its metrics and performance events) and interface
//     VPC endpoints (per subnet);
//   - KMS keys (with their billed rotations), WAF web ACLs (with their rules
//     and the stack's API requests), REST API stage caches, Secrets Manager
//     secrets and advanced SSM parameters;
//   - SNS topics, budgets, Lambda functions without a workload record (the
//     kill switch, custom resources), log groups, scheduled EventBridge
//     rules, Scheduler schedules and SQS queues, listed at $0.00 with the
//     reason, so a reader sees they were considered.
//
// docs/cost.md itemises every golden stack by hand; TestHandItemisedBillsAgree
// keeps the report within 2 % of those bills.
//
// Beside the prices, each [Stack] carries the placement decisions its
// workloads record ([Placement]: tier and reasons) and, when the template
// has a costguard:guard record ([GuardMetadataKey]), the cost guard
// ([Guard]): its own monthly cost, itemised (already part of the stack's
// total), and its caps as the budget pays for them next to the caps the
// template applies. The record is read as JSON, so this package imports
// nothing from constructs/.
//
// Free tiers are per account. By default none is applied, so the report is
// an upper bound for an account that already uses them elsewhere. With
// [Options.FreeTier], the assembly is taken as the whole account: the free
// alarm metrics, dashboards, custom metrics, X-Ray traces, Logs gigabytes
// and data transfer out go to resources first come,
// first served, in stack order then logical-ID order, and the Lambda free
// tier to the first Lambda workload in that order.
package report
