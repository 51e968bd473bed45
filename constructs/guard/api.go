package guard

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
)

// RestStageMetrics adapts a REST API stage to [API].
func RestStageMetrics(stage awsapigateway.Stage) API { return restStage{stage} }

type restStage struct{ s awsapigateway.Stage }

func (r restStage) MetricAPIRequests(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return r.s.MetricCount(p)
}
func (r restStage) MetricAPIClientErrors(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return r.s.MetricClientError(p)
}
func (r restStage) MetricAPIServerErrors(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return r.s.MetricServerError(p)
}
func (r restStage) MetricAPILatency(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return r.s.MetricLatency(p)
}

// HttpStageMetrics adapts an HTTP API stage to [API].
func HttpStageMetrics(stage awsapigatewayv2.IHttpStage) API { return httpStage{stage} }

type httpStage struct{ s awsapigatewayv2.IHttpStage }

func (h httpStage) MetricAPIRequests(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return h.s.MetricCount(p)
}
func (h httpStage) MetricAPIClientErrors(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return h.s.MetricClientError(p)
}
func (h httpStage) MetricAPIServerErrors(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return h.s.MetricServerError(p)
}
func (h httpStage) MetricAPILatency(p *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return h.s.MetricLatency(p)
}
