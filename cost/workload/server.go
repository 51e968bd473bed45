package workload

// MetricSet is one Embedded Metric Format directive: metrics published
// in a namespace under one dimension set.
type MetricSet struct {
	Namespace  string
	Dimensions []string
	Metrics    []string
}

// ServerMetrics are the custom metrics the model server (lambda/server)
// writes in Embedded Metric Format on every tier, unless METRICS=off.
// CloudWatch bills each metric × dimension-set combination (for each value
// of the dimensions) as one custom metric; a deployment serves one model on
// one face, so each set counts once. lambda/server's tests run the server
// and fail when what it writes and this list disagree.
var ServerMetrics = []MetricSet{
	{Namespace: "costguard/model", Dimensions: []string{"Model", "Face"}, Metrics: []string{"ModelLoadTime", "InferenceLatency", "BatchSize"}},
}

// ServerCustomMetrics is the number of custom metrics [ServerMetrics]
// bills for one deployment of the model server.
func ServerCustomMetrics() int {
	n := 0
	for _, s := range ServerMetrics {
		n += len(s.Metrics)
	}
	return n
}

// ServerMetricsEnv is the model server's environment variable that turns
// its metrics off with the value ServerMetricsOff.
const (
	ServerMetricsEnv = "METRICS"
	ServerMetricsOff = "off"
)
