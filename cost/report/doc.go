// Package report prices the stacks of a synthesized cloud assembly at the
// traffic each stage records, resource by resource, and diffs two
// assemblies' estimates for a pull request.
//
// What is priced, per stack:
//
//   - every resource carrying a costguard:workload record (Lambda function,
//     ECS service, SageMaker endpoint): its tier and front door at the
//     recorded traffic (package estimate), plus its CloudWatch Logs:
//     ingestion of [DefaultLogBytesPerRequest] per request (the START, END
//     and REPORT lines, one structured log line and one access-log line)
//     and storage of that much for the retention of the function's log
//     group (12 months when it never expires), uncompressed, so an upper
//     bound;
//   - CloudWatch alarms by the metrics each reads (a metric-math alarm pays
//     per metric; under 60 s periods are high resolution), composite
//     alarms, dashboards;
//   - load balancers (at one capacity unit), NAT gateways (hours only; data
//     depends on traffic the template does not show) and interface VPC
//     endpoints (per subnet);
//   - KMS keys, WAF web ACLs (with their rules and the stack's API
//     requests), REST API stage caches, Secrets Manager secrets and
//     advanced SSM parameters;
//   - SNS topics, budgets, Lambda functions without a workload record (the
//     kill switch, custom resources) and log groups, listed at $0.00 with the
//     reason, so a reader sees they were considered.
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
// alarm metrics, dashboards and Logs gigabytes go to resources first come,
// first served, in stack order then logical-ID order, and the Lambda free
// tier to the first Lambda workload in that order.
package report
