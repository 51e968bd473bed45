package guard

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/internal/killswitch"
)

// Target is a resource the kill switch stops and restores. [LambdaTarget]
// is the implementation today; Fargate services (desired count 0) and
// SageMaker endpoints (minimum capacity) implement it next, with a driver
// of the same kind in internal/killswitch.
type Target interface {
	// BindKillSwitch grants grantee exactly what stopping and restoring the
	// resource needs, on the resource only, and says what the kill switch
	// acts on.
	BindKillSwitch(grantee awsiam.IGrantable) TargetBinding
}

// TargetBinding is what the kill switch's driver of Kind acts on.
type TargetBinding struct {
	// Kind selects the driver, such as "lambda".
	Kind string
	// Name is the resource's name (a token is fine).
	Name *string
}

// LambdaTarget stops fn by removing its provisioned concurrency (holding
// the scalable targets that manage it at 0..0) and setting its reserved
// concurrency to 0.
func LambdaTarget(fn awslambda.IFunction) Target { return lambdaTarget{fn} }

type lambdaTarget struct{ fn awslambda.IFunction }

func (t lambdaTarget) BindKillSwitch(grantee awsiam.IGrantable) TargetBinding {
	// The concurrency calls act on the function; the provisioned-concurrency
	// calls on its aliases and versions (FUNCTION_ARN:QUALIFIER).
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee,
		Actions: &[]*string{
			ptr("lambda:GetFunctionConcurrency"),
			ptr("lambda:PutFunctionConcurrency"),
			ptr("lambda:DeleteFunctionConcurrency"),
			ptr("lambda:ListProvisionedConcurrencyConfigs"),
		},
		ResourceArns: &[]*string{t.fn.FunctionArn()},
	})
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee,
		Actions: &[]*string{
			ptr("lambda:GetProvisionedConcurrencyConfig"),
			ptr("lambda:PutProvisionedConcurrencyConfig"),
			ptr("lambda:DeleteProvisionedConcurrencyConfig"),
		},
		ResourceArns: &[]*string{awscdk.Fn_Join(ptr(""), &[]*string{t.fn.FunctionArn(), ptr(":*")})},
	})
	GrantScalableTargets(grantee)
	if c, ok := grantee.GrantPrincipal().(constructs.IConstruct); ok {
		cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{{
			Id: ptr("AwsSolutions-IAM5"),
			Reason: ptr("Provisioned concurrency is configured per alias or version (FUNCTION_ARN:QUALIFIER); the kill switch removes and " +
				"restores it on whichever qualifiers have it, of the guarded function only."),
			AppliesTo: &[]interface{}{map[string]interface{}{"regex": ptr("/^Resource::<.*\\.Arn>:\\*$/g")}},
		}}, ptr(true))
	}
	return TargetBinding{Kind: killswitch.KindLambda, Name: t.fn.FunctionName()}
}

// GrantScalableTargets lets grantee read and re-register Application Auto
// Scaling targets, which the kill switch does to hold a tier at its minimum
// with scheduled and dynamic scaling suspended. Application Auto Scaling
// has no resource-level permission for DescribeScalableTargets and
// RegisterScalableTarget, so the resource is "*"; the caller also needs the
// target service's own permissions on the resource
// (https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html,
// "Permissions required for API actions on target services and
// CloudWatch"), which each Target grants. The kill switch never creates or
// deletes scaling policies, so it needs none of the CloudWatch alarm calls
// those do: suspending a policy leaves its alarms in place.
func GrantScalableTargets(grantee awsiam.IGrantable) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      &[]*string{ptr("application-autoscaling:DescribeScalableTargets"), ptr("application-autoscaling:RegisterScalableTarget")},
		ResourceArns: &[]*string{ptr("*")},
	})
	if c, ok := grantee.GrantPrincipal().(constructs.IConstruct); ok {
		cdknag.NagSuppressions_AddResourceSuppressions(c, &[]*cdknag.NagPackSuppression{{
			Id: ptr("AwsSolutions-IAM5"),
			Reason: ptr("Application Auto Scaling's DescribeScalableTargets and RegisterScalableTarget support no " +
				"resource-level permission; the kill switch needs them to hold a guarded function, service or endpoint at its minimum."),
			AppliesTo: &[]interface{}{ptr("Resource::*")},
		}}, ptr(true))
	}
}

// FiveMinutes returns metric options of statistic stat over the guard's
// five-minute period, labelled label when it is not empty: the options of
// every metric a tier hands the guard.
func FiveMinutes(stat, label string) *awscloudwatch.MetricOptions {
	o := &awscloudwatch.MetricOptions{Statistic: ptr(stat), Period: duration(spend.DefaultPeriod)}
	if label != "" {
		o.Label = ptr(label)
	}
	return o
}

// NewTierAlarm is a tier's operational alarm as data: above threshold for
// n of n five-minute periods.
func NewTierAlarm(name, description string, threshold float64, n int, m awscloudwatch.IMetric) TierAlarm {
	return TierAlarm{
		AlarmSpec: AlarmSpec{Name: name, Description: description, Threshold: threshold,
			Period: spend.DefaultPeriod, EvaluationPeriods: n, DatapointsToAlarm: n},
		Metric: m,
	}
}
