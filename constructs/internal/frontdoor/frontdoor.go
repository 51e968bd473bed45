// Package frontdoor holds what the container tiers' API front doors (the
// Fargate tier's HTTP API, the SageMaker tier's REST API) share: the
// stage's throttle checks, its access log group and its log line format.
package frontdoor

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ThrottleProblems reports the stage throttles that are negative, naming
// the props' ThrottleRateLimit and ThrottleBurstLimit fields.
func ThrottleProblems(rateLimit float64, burstLimit int) []error {
	var errs []error
	if rateLimit < 0 {
		errs = append(errs, fmt.Errorf("ThrottleRateLimit: %g is negative (want a positive rate per second)", rateLimit))
	}
	if burstLimit < 0 {
		errs = append(errs, fmt.Errorf("ThrottleBurstLimit: %d is negative (want a positive burst)", burstLimit))
	}
	return errs
}

// NewAccessLogGroup creates the stage's access log group, "AccessLogs"
// under scope, kept for retention and deleted with the stack.
func NewAccessLogGroup(scope constructs.Construct, retention awslogs.RetentionDays) awslogs.LogGroup {
	return awslogs.NewLogGroup(scope, jsii.String("AccessLogs"), &awslogs.LogGroupProps{
		Retention:     retention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
}

// AccessLogFormat returns the stage's access log line: JSON with the
// standard fields, without the caller and user (the API has no IAM callers).
func AccessLogFormat() awsapigateway.AccessLogFormat {
	return awsapigateway.AccessLogFormat_JsonWithStandardFields(&awsapigateway.JsonWithStandardFieldProps{
		Caller: jsii.Bool(false), HttpMethod: jsii.Bool(true), Ip: jsii.Bool(true), Protocol: jsii.Bool(true),
		RequestTime: jsii.Bool(true), ResourcePath: jsii.Bool(true), ResponseLength: jsii.Bool(true),
		Status: jsii.Bool(true), User: jsii.Bool(false),
	})
}
