package guard

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
)

// RestStageMetrics adapts a REST API stage to [API].
func RestStageMetrics(stage awsapigateway.Stage) API { return stageAPI{stage} }

// HttpStageMetrics adapts an HTTP API stage to [API].
func HttpStageMetrics(stage awsapigatewayv2.IHttpStage) API { return stageAPI{stage} }

// stageMetrics is what a REST stage and an HTTP stage both offer.
type stageMetrics interface {
	MetricCount(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricClientError(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricServerError(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
	MetricLatency(props *awscloudwatch.MetricOptions) awscloudwatch.Metric
}

type stageAPI struct{ s stageMetrics }

func (a stageAPI) MetricAPIRequests(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return a.s.MetricCount(p)
}
func (a stageAPI) MetricAPIClientErrors(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return a.s.MetricClientError(p)
}
func (a stageAPI) MetricAPIServerErrors(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return a.s.MetricServerError(p)
}
func (a stageAPI) MetricAPILatency(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return a.s.MetricLatency(p)
}
