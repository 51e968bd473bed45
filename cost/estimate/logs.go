package estimate

import (
	"regexp"
	"strings"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// DefaultLogBytesPerRequest is the CloudWatch Logs ingestion of the
// compute's own log lines assumed per request when a workload does not
// say: Lambda's own lines and the model server's (an upper bound for
// Fargate and SageMaker, which write only the server's). The API's
// access-log line is sized from the stage's own format
// ([AccessLogLineBytes]).
const DefaultLogBytesPerRequest = LambdaPlatformLogBytes + ServerLogBytesPerRequest

// LambdaPlatformLogBytes is what Lambda's own lines of one invocation take
// in CloudWatch Logs with their event overhead: START (~70 bytes), END
// (~55), REPORT (~190, more on a cold start) and, with active tracing,
// XRAY (~110), plus 26 bytes of overhead each.
const LambdaPlatformLogBytes = 530

// ServerLogBytesPerRequest is what the model server writes for one
// request with the event overhead: its request line and its EMF line.
// lambda/server's tests run the server on each face and fail when it
// writes more than this, or less than half of it.
const ServerLogBytesPerRequest = 670

// NeverExpiresLogMonths is the storage assumed for the logs of a group
// without retention: a year of them, an upper bound for most accounts'
// first year.
const NeverExpiresLogMonths = 12

// contextVar matches an API Gateway access-log variable.
var contextVar = regexp.MustCompile(`\$context(\.[A-Za-z0-9_]+)+`)

// accessLogValueBytes are typical sizes of the access-log variables
// costguard's stages log; any other variable counts accessLogDefaultValue.
var accessLogValueBytes = map[string]int{
	"$context.requestId": 36, "$context.extendedRequestId": 16, "$context.identity.sourceIp": 14,
	"$context.identity.userAgent": 40, "$context.identity.apiKeyId": 10, "$context.requestTime": 26,
	"$context.httpMethod": 4, "$context.resourcePath": 8, "$context.routeKey": 13, "$context.path": 12,
	"$context.status": 3, "$context.protocol": 8, "$context.responseLength": 3, "$context.responseLatency": 3,
	"$context.integrationLatency": 3, "$context.integrationStatus": 3, "$context.error.messageString": 3,
	"$context.error.responseType": 1, "$context.error.message": 1, "$context.integrationErrorMessage": 1,
}

const accessLogDefaultValue = 16

// AccessLogLineBytes is the size of one access-log event of an API
// Gateway access-log format: the format with each $context variable
// replaced by a typical value, plus CloudWatch Logs' per-event overhead of
// p. The cost report sizes a stage's access log with it, and the cost
// guard prices the same bytes per request.
func AccessLogLineBytes(format string, p pricing.Prices) float64 {
	n := len(contextVar.ReplaceAllStringFunc(format, func(v string) string {
		size, ok := accessLogValueBytes[v]
		if !ok {
			size = accessLogDefaultValue
		}
		return strings.Repeat("x", size)
	}))
	return float64(n) + p.CloudWatch.LogEventOverheadBytes
}

// ExtrasRates are the marginal prices of an [Extras], the form the cost
// guard's dollar expressions take: a fixed monthly amount, a price per
// request and a price per X-Ray trace recorded, at first-tier prices and
// without free tiers, so that Fixed + requests × PerRequest + sampled
// traces × PerTrace is what [EstimateExtras] prices for the month (to its
// cent rounding, below the data-transfer tiers' first 10 TB).
type ExtrasRates struct {
	// FixedMonthlyUSD is the model server's custom metrics.
	FixedMonthlyUSD float64
	// PerRequestUSD is the logs (ingestion, and storage for their
	// retention), the access log and the response sent out, per request.
	PerRequestUSD float64
	// PerTraceUSD is one recorded trace and its reads; 0 when not traced.
	PerTraceUSD float64
}

// Rates prices x's items per unit with p (x.Requests is not used).
func (x Extras) Rates(p pricing.Prices) ExtrasRates {
	cw := p.CloudWatch
	logs := func(bytes, months float64) float64 {
		return bytes / (1 << 30) * (cw.LogsIngestionPerGB + months*cw.LogsStoragePerGBMonth)
	}
	r := ExtrasRates{
		FixedMonthlyUSD: float64(x.CustomMetrics) * cw.CustomMetricMonth,
		PerRequestUSD: logs(x.LogBytesPerRequest, x.LogRetentionMonths) + logs(x.AccessLogBytesPerRequest, x.AccessLogRetentionMonths) +
			x.ResponseBytes/(1<<30)*p.DataTransfer.InternetOut.First(),
	}
	if x.Traced {
		reads := x.TraceReadsPerTrace
		if reads == 0 {
			reads = 1
		}
		r.PerTraceUSD = p.XRay.PerRecorded() + reads*p.XRay.RetrievedPerMillion/1e6
	}
	return r
}
