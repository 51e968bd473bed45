package guard

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdadestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/constructs/internal/cdkarch"
	"github.com/costguard-ml/costguard/internal/killswitch"
)

// RestoreEvent is the scheduled restore's event.
var RestoreEvent = killswitch.Command{Action: killswitch.ActionRestore, Reason: "scheduled monthly restore"}

type killSwitch struct {
	trigger awssns.Topic
	fn      awslambda.Function
	role    awsiam.Role
	logs    awslogs.LogGroup
	param   awsssm.StringParameter
	rule    awsevents.Rule
	// errors alarms on the function's own errors.
	errors awscloudwatch.Alarm
}

// AlarmKillSwitchErrors is the alarm on the kill switch's own errors.
const AlarmKillSwitchErrors = "KillSwitchErrors"

func (g *CostGuard) newKillSwitch() *killSwitch {
	c := g.cfg
	o := c.KillSwitch
	ks := &killSwitch{}
	ks.trigger = g.newSecureTopic("KillSwitchTrigger", "costguard "+c.Stage+" kill-switch trigger")

	initial, err := json.Marshal(killswitch.InitialState(c.Stage))
	if err != nil {
		panic(err)
	}
	ks.param = awsssm.NewStringParameter(g, ptr("KillSwitchState"), &awsssm.StringParameterProps{
		ParameterName: ptr(c.stateParameterName()),
		StringValue:   ptr(string(initial)),
		Description:   ptr("costguard " + c.Stage + ": what the kill switch stopped and the settings to restore (written by the kill switch; do not edit)"),
		Tier:          awsssm.ParameterTier_STANDARD,
	})

	retention := o.LogRetention
	if retention == "" {
		retention = awslogs.RetentionDays_ONE_YEAR
	}
	ks.logs = awslogs.NewLogGroup(g, ptr("KillSwitchLogs"), &awslogs.LogGroupProps{Retention: retention})
	ks.role = awsiam.NewRole(g, ptr("KillSwitchRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(ptr("lambda.amazonaws.com"), nil),
		Description: ptr("costguard " + c.Stage + " kill switch: stops and restores the guarded resources only"),
	})
	// Only its own log group; no managed policy.
	ks.role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   &[]*string{ptr("logs:CreateLogStream"), ptr("logs:PutLogEvents")},
		Resources: &[]*string{ks.logs.LogGroupArn()},
	}))

	targets := append(slices.Clone(c.Tier.Targets), o.Targets...)
	var bound []interface{}
	for _, t := range targets {
		b := t.BindKillSwitch(ks.role)
		bound = append(bound, map[string]interface{}{"kind": b.Kind, "name": b.Name})
	}
	arch, code := c.killSwitchArch(), c.killSwitchCode
	desc := fmt.Sprintf("costguard %s kill switch: sets the guarded function's reserved concurrency to 0 on runaway spend; restore with costguard restore --stage %s", c.Stage, c.Stage)
	if !c.lambda() {
		desc = fmt.Sprintf("costguard %s kill switch: scales the %s tier to its minimum on runaway spend; restore with costguard restore --stage %s", c.Stage, c.Tier.Workload.Tier, c.Stage)
	}
	ks.fn = awslambda.NewFunction(g, ptr("KillSwitch"), &awslambda.FunctionProps{
		Description:                  ptr(desc),
		Runtime:                      awslambda.Runtime_PROVIDED_AL2023(),
		Handler:                      ptr("bootstrap"),
		Code:                         code,
		Architecture:                 cdkarch.Lambda(arch),
		MemorySize:                   ptr(128.0),
		Timeout:                      awscdk.Duration_Seconds(ptr(30.0)),
		ReservedConcurrentExecutions: ptr(1.0), // one trip at a time: no race on the record
		Role:                         ks.role,
		LogGroup:                     ks.logs,
		// SNS and EventBridge invoke the function asynchronously: Lambda
		// retries a failed invocation twice, then only logs it, and
		// RunawaySpend notifies once, on entering ALARM. After the last
		// retry the event goes to the stage topic, so a trip or restore
		// that failed reaches the people subscribed
		// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
		OnFailure: awslambdadestinations.NewSnsDestination(g.topic),
		Environment: &map[string]*string{
			killswitch.EnvStage:          ptr(c.Stage),
			killswitch.EnvStateParameter: ks.param.ParameterName(),
			killswitch.EnvTopicARN:       g.topic.TopicArn(),
			killswitch.EnvTargets:        g.stack().ToJsonString(bound, nil),
		},
	})
	// Any error of the function, even one a retry then fixes, pages the
	// stage topic: a failing trip leaves the stage spending.
	ks.errors = awscloudwatch.NewAlarm(g, ptr(AlarmKillSwitchErrors+"Alarm"), &awscloudwatch.AlarmProps{
		AlarmName: g.alarmName(AlarmKillSwitchErrors),
		AlarmDescription: ptr("The kill switch failed to stop or restore the stage (its logs and the failed event on the stage topic say why); " +
			"the stage may still be spending. Check with: costguard restore --stage " + c.Stage + " --status"),
		Metric:             ks.fn.MetricErrors(&awscloudwatch.MetricOptions{Statistic: ptr("Sum"), Period: awscdk.Duration_Minutes(ptr(1.0))}),
		Threshold:          ptr(0.0),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		EvaluationPeriods:  ptr(1.0),
		DatapointsToAlarm:  ptr(1.0),
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	ks.errors.AddAlarmAction(awscloudwatchactions.NewSnsAction(g.topic))
	ks.errors.AddOkAction(awscloudwatchactions.NewSnsAction(g.topic))
	g.alarmMetrics++
	ks.param.GrantRead(ks.role)
	ks.param.GrantWrite(ks.role)
	g.topic.GrantPublish(ks.role)
	ks.trigger.AddSubscription(awssnssubscriptions.NewLambdaSubscription(ks.fn, nil))

	if !o.DisableScheduledRestore {
		schedule := o.RestoreSchedule
		if schedule == nil {
			schedule = awsevents.Schedule_Expression(ptr(DefaultRestoreSchedule))
		}
		ks.rule = awsevents.NewRule(g, ptr("ScheduledRestore"), &awsevents.RuleProps{
			Description: ptr("costguard " + c.Stage + ": restore what the kill switch stopped when the budget's month starts again"),
			Schedule:    schedule,
			Targets: &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(ks.fn, &awseventstargets.LambdaFunctionProps{
				Event:         awsevents.RuleTargetInput_FromObject(map[string]interface{}{"action": RestoreEvent.Action, "reason": RestoreEvent.Reason}),
				RetryAttempts: ptr(2.0),
			})},
		})
	}

	cdknag.NagSuppressions_AddResourceSuppressions(ks.role, &[]*cdknag.NagPackSuppression{{
		Id: ptr("AwsSolutions-IAM5"),
		Reason: ptr("The kill switch writes only to its own log group; CloudWatch Logs names the streams at run time (log-group:NAME:*), " +
			"and publishing to the KMS-encrypted topic needs kms:GenerateDataKey* on that topic's key only."),
		AppliesTo: &[]interface{}{
			ptr("Action::kms:GenerateDataKey*"),
			map[string]interface{}{"regex": ptr("/^Resource::<.*KillSwitchLogs.*\\.Arn>:\\*$/g")},
		},
	}}, ptr(true))
	return ks
}
