// Package frontdoor holds what the tiers' API front doors share: the one
// throttle rule of every tier, the container tiers' (the Fargate tier's
// HTTP API, the SageMaker tier's REST API) access log group, every tier's
// access log format, the access log settings of every HTTP API stage, and the metrics
// every stage offers.
package frontdoor

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/workload"
)

// ThrottleProblems is every tier's one throttle rule: a stage's steady
// rate and burst (after defaults) must be positive and within the
// account's default API Gateway throttle (limits.DefaultAccountRateLimit
// requests a second, limits.DefaultAccountBurstLimit), which caps every
// stage of the account and region. It names the props' ThrottleRateLimit
// and ThrottleBurstLimit fields.
func ThrottleProblems(rateLimit float64, burstLimit int) []error {
	var errs []error
	if !(rateLimit > 0) || rateLimit > limits.DefaultAccountRateLimit {
		errs = append(errs, fmt.Errorf("ThrottleRateLimit: %g is outside the allowed above 0 to %d requests per second", rateLimit, limits.DefaultAccountRateLimit))
	}
	if burstLimit < 1 || burstLimit > limits.DefaultAccountBurstLimit {
		errs = append(errs, fmt.Errorf("ThrottleBurstLimit: %d is outside the allowed 1 to %d requests", burstLimit, limits.DefaultAccountBurstLimit))
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

// AccessLogFormat is every tier's one access-log format: a one-line JSON
// object of $context fields, those of a REST API stage or of an HTTP API
// stage (door), rendered by [AccessLogLine].
func AccessLogFormat(door workload.FrontDoor) awsapigateway.AccessLogFormat {
	return awsapigateway.AccessLogFormat_Custom(jsii.String(AccessLogLine(door)))
}

// AccessLogLine is the access-log format of door's stages: JSON with the
// request, caller, route, status, sizes, latencies and error of each
// request. Values are quoted, except the ...String variables, which API
// Gateway renders quoted and escaped itself; free-text variables that it
// does not escape (validation and integration error strings) are left
// out, so every line stays valid JSON. The cost report sizes a line from
// it.
func AccessLogLine(door workload.FrontDoor) string {
	fields := restAccessLogFields
	if door == workload.FrontDoorHTTP {
		fields = httpAccessLogFields
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(fields)) {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		if v := fields[k]; strings.HasSuffix(v, "String") {
			fmt.Fprintf(&b, `%s:%s`, key, v)
		} else {
			fmt.Fprintf(&b, `%s:"%s"`, key, v)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// accessLogFields are the $context variables every stage's access log
// records; restAccessLogFields and httpAccessLogFields add what only that
// kind of stage has.
var (
	accessLogFields = map[string]string{
		"requestId":          "$context.requestId",
		"ip":                 "$context.identity.sourceIp",
		"requestTime":        "$context.requestTime",
		"httpMethod":         "$context.httpMethod",
		"status":             "$context.status",
		"protocol":           "$context.protocol",
		"responseLength":     "$context.responseLength",
		"responseLatency":    "$context.responseLatency",
		"integrationLatency": "$context.integrationLatency",
		"integrationStatus":  "$context.integrationStatus",
		"errorMessage":       "$context.error.messageString",
		"errorType":          "$context.error.responseType",
		"userAgent":          "$context.identity.userAgent",
	}
	restAccessLogFields = withFields(accessLogFields, map[string]string{
		"extendedRequestId": "$context.extendedRequestId",
		"resourcePath":      "$context.resourcePath",
		"apiKeyId":          "$context.identity.apiKeyId",
	})
	httpAccessLogFields = withFields(accessLogFields, map[string]string{
		"routeKey": "$context.routeKey",
	})
)

// withFields returns base with extra added, base unchanged.
func withFields(base, extra map[string]string) map[string]string {
	out := maps.Clone(base)
	maps.Copy(out, extra)
	return out
}

// Extras is what a container tier's deployment adds around it, in the
// cost report's terms, for guard.Tier.Extras: the model server's custom
// metrics (unless metricsOff), its log lines (the report's default bytes
// a request) kept for logs' retention, the access log's retention, and
// half the payload (a request plus its response) sent back out.
func Extras(logs, accessLogs awslogs.ILogGroup, payloadBytes float64, metricsOff bool, retentionMonths func(awslogs.ILogGroup) float64) estimate.Extras {
	x := estimate.Extras{
		LogBytesPerRequest:       estimate.DefaultLogBytesPerRequest,
		LogRetentionMonths:       retentionMonths(logs),
		AccessLogRetentionMonths: retentionMonths(accessLogs),
		ResponseBytes:            payloadBytes / 2,
	}
	if !metricsOff {
		x.CustomMetrics = workload.ServerCustomMetrics()
	}
	return x
}

// HTTPAccessLogs returns an HTTP API stage's access log settings: lines in
// format, written to group.
func HTTPAccessLogs(group awslogs.ILogGroup, format awsapigateway.AccessLogFormat) awsapigatewayv2.IAccessLogSettings {
	return &accessLogSettings{dest: awsapigatewayv2.NewLogGroupLogDestination(group), format: format}
}

// accessLogSettings implements awsapigatewayv2.IAccessLogSettings.
type accessLogSettings struct {
	dest   awsapigatewayv2.IAccessLogDestination
	format awsapigateway.AccessLogFormat
}

func (a *accessLogSettings) Destination() awsapigatewayv2.IAccessLogDestination { return a.dest }
func (a *accessLogSettings) Format() awsapigateway.AccessLogFormat              { return a.format }

// StageMetrics is what a REST API stage (awsapigateway.Stage) and an HTTP
// API stage (awsapigatewayv2.IHttpStage) both offer.
type StageMetrics interface {
	MetricCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricClientError(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricServerError(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricLatency(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
}

// APIName is the name of the API scope builds: unique to the stack and the
// construct's path (the stack's name, the path and a hash of it), stable
// across deployments. API Gateway keys a REST API's CloudWatch metrics by
// ApiName and Stage, not by the API's id
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html),
// so two stacks whose APIs shared a name ("RestApi") and a stage ("v1") in
// one account and region would watch each other's traffic: one stage's
// dollar alarm, and its kill switch, would count another stage's requests.
// HTTP APIs are named the same way, so a name in the console says which
// stack it belongs to.
func APIName(scope constructs.Construct) *string {
	return awscdk.Names_UniqueResourceName(scope, &awscdk.UniqueResourceNameOptions{MaxLength: jsii.Number(128), Separator: jsii.String("-")})
}
