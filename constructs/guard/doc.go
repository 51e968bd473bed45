// Package guard is costguard's cost guard: a construct that watches one
// stage's spending and health and, where the stage opts in, stops the
// spending.
//
// [NewCostGuard] creates, for one stage:
//
//   - an AWS::Budgets::Budget (monthly cost, scoped by the stage's
//     cost-allocation tags) with notifications at 50 % and 80 % actual, 100 %
//     actual and 100 % forecasted to the stage's topic;
//   - the topic itself (KMS-encrypted with a key of its own, TLS-only, open to
//     AWS Budgets and CloudWatch of this account only) with e-mail subscribers,
//     unless an existing topic is passed;
//   - two dollar alarms, SpendRate and RunawaySpend, on a metric-math
//     projection of the month's bill from the last five minutes of the
//     tier's and the API's metrics, priced from cost/pricing (see package
//     [github.com/costguard-ml/costguard/cost/spend]);
//   - the operational alarms of [DefaultAlarms], declared as data, all with
//     ALARM and OK actions to the topic;
//   - a CloudWatch dashboard: spend in dollars against the budget, traffic,
//     errors, latency percentiles, cold starts and concurrency;
//   - optionally the kill switch: a Go Lambda (cmd/killswitch) subscribed to
//     a trigger topic that the RunawaySpend alarm and the budget's 100 %
//     actual notification publish to; it sets the guarded function's
//     reserved concurrency to 0 (or scales the guarded ECS service to 0
//     tasks, the endpoint to its minimum), records what it changed in an
//     SSM parameter, tells the stage's topic, and is restored by
//     `costguard restore --stage NAME` or by a monthly schedule.
//
// The guarded tier is described by one value, a [Tier], which every tier
// construct returns from its GuardTier method (inference.LambdaAPI,
// fargate.Service, sagemaker.Endpoint, service.InferenceService): its
// workload record, the metrics its dollar model
// ([github.com/costguard-ml/costguard/cost/spend]) prices, the front door,
// its operational alarms as data, the kill switch's targets and its
// dashboard row.
//
// The static caps derived from the budget (throttles, quota, reserved
// concurrency) are computed by package
// [github.com/costguard-ml/costguard/cost/caps] and applied by
// the stacks to the inference construct, which owns those settings.
package guard
