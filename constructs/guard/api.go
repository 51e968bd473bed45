package guard

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"

	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
)

// RestStageMetrics adapts a REST API stage to [API].
func RestStageMetrics(stage awsapigateway.Stage) API { return stageAPI{stage} }

// HTTPStageMetrics adapts an HTTP API stage to [API].
func HTTPStageMetrics(stage awsapigatewayv2.IHttpStage) API { return stageAPI{stage} }

type stageAPI struct{ s frontdoor.StageMetrics }

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
