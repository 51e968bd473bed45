package inference

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
)

// MetricInvocations is the function's invocations (sum), all versions.
func (a *LambdaAPI) MetricInvocations(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.fn.MetricInvocations(props)
}

// MetricErrors is the function's failed invocations (sum).
func (a *LambdaAPI) MetricErrors(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.fn.MetricErrors(props)
}

// MetricThrottles is the invocations refused by the concurrency cap (sum).
func (a *LambdaAPI) MetricThrottles(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.fn.MetricThrottles(props)
}

// MetricDuration is the function's duration (average), what Lambda bills.
func (a *LambdaAPI) MetricDuration(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.fn.MetricDuration(props)
}

// MetricConcurrentExecutions is the function's concurrent executions (maximum).
func (a *LambdaAPI) MetricConcurrentExecutions(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.fn.Metric(jsii.String("ConcurrentExecutions"), withStatistic(props, "Maximum"))
}

// MetricProvisionedConcurrencyUtilization is the alias's provisioned
// concurrency utilization (maximum, 0 to 1).
func (a *LambdaAPI) MetricProvisionedConcurrencyUtilization(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.alias.Metric(jsii.String("ProvisionedConcurrencyUtilization"), withStatistic(props, "Maximum"))
}

// MetricProvisionedConcurrencySpilloverInvocations is the alias's
// invocations served on demand because provisioned environments were busy (sum).
func (a *LambdaAPI) MetricProvisionedConcurrencySpilloverInvocations(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.alias.Metric(jsii.String("ProvisionedConcurrencySpilloverInvocations"), withStatistic(props, "Sum"))
}

// MetricAPIRequests is the stage's requests (sum; the CDK's own default for
// Count is the sample count, the same number under another statistic).
func (a *LambdaAPI) MetricAPIRequests(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	props = withStatistic(props, "Sum")
	return a.stageMetrics().MetricCount(props)
}

// MetricAPIClientErrors is the stage's 4XX responses (sum), throttled and
// rejected requests included.
func (a *LambdaAPI) MetricAPIClientErrors(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.stageMetrics().MetricClientError(props)
}

// MetricAPIServerErrors is the stage's 5XX responses (sum).
func (a *LambdaAPI) MetricAPIServerErrors(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.stageMetrics().MetricServerError(props)
}

// MetricAPILatency is the stage's end-to-end latency (average).
func (a *LambdaAPI) MetricAPILatency(props *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if a.err != nil {
		return nil
	}
	return a.stageMetrics().MetricLatency(props)
}

// stageMetrics returns the front door's stage.
func (a *LambdaAPI) stageMetrics() frontdoor.StageMetrics {
	if a.restAPI != nil {
		return a.restAPI.DeploymentStage()
	}
	return a.httpStage
}

// withStatistic returns a copy of props with the statistic set if unset.
func withStatistic(props *awscloudwatch.MetricOptions, stat string) *awscloudwatch.MetricOptions {
	var p awscloudwatch.MetricOptions
	if props != nil {
		p = *props
	}
	if p.Statistic == nil {
		p.Statistic = jsii.String(stat)
	}
	return &p
}
