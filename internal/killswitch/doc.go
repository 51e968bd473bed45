// Package killswitch stops a stage's spending and puts it back.
//
// The cost guard's kill-switch Lambda (cmd/killswitch) and the
// `costguard restore` command share this package. Tripping the switch
// records, for every guarded resource, the setting it is about to change
// (a Lambda function's reserved and provisioned concurrency and the
// scalable targets that manage it; an ECS
// service's desired count and scaling bounds; a SageMaker endpoint's
// variants' scaling bounds) in the stage's state parameter in SSM Parameter
// Store, then stops the resource (reserved concurrency 0, 0 tasks, variants
// at their minimum), and notifies the stage's topic.
// Restoring puts back exactly what was recorded — PutFunctionConcurrency
// with the old value, or DeleteFunctionConcurrency where there was none —
// and clears the record.
//
// # Why a parameter, not tags
//
// The state lives in one String parameter per stage (/costguard/STAGE/killswitch
// by default), not in tags on the function: the restore command then needs
// only the stage name, the record survives a `cdk deploy` (CloudFormation
// does not rewrite a parameter whose template value has not changed, while
// it owns a function's tags), one record covers every guarded resource
// whatever its service (Fargate services and SageMaker endpoints later), and
// the history of trips and restores is readable with one API call.
//
// # Idempotence
//
// The record is written before the resource is changed, and a record that
// exists is never overwritten by a second trip, so a redelivered alarm, a
// retry after a crash, or the budget's notification arriving after the
// dollar alarm all leave the original value to restore. The Lambda runs
// with a reserved concurrency of 1, so two triggers never race.
//
// The package imports nothing from the CDK.
package killswitch
