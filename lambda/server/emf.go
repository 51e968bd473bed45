package server

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// MetricsNamespace is the CloudWatch namespace of the EMF metrics.
const MetricsNamespace = "costguard/model"

// EMF writes CloudWatch Embedded Metric Format lines: JSON log lines that
// CloudWatch Logs turns into metrics, with no API call from the function.
type EMF struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// NewEMF writes metric lines to w (stdout on Lambda).
func NewEMF(w io.Writer) *EMF { return &EMF{w: w, now: time.Now} }

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMeta struct {
	Timestamp         int64          `json:"Timestamp"`
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

func (e *EMF) write(doc map[string]any) {
	b, err := json.Marshal(doc)
	if err != nil {
		return
	}
	b = append(b, '\n')
	e.mu.Lock()
	defer e.mu.Unlock()
	_, _ = e.w.Write(b)
}

// ModelLoad records how long loading and warming up the model took.
func (e *EMF) ModelLoad(modelName string, face Face, d time.Duration) {
	e.write(map[string]any{
		"_aws": emfMeta{Timestamp: e.now().UnixMilli(), CloudWatchMetrics: []emfDirective{{
			Namespace: MetricsNamespace, Dimensions: [][]string{{"Model", "Face"}},
			Metrics: []emfMetric{{"ModelLoadTime", "Milliseconds"}},
		}}},
		"Model": modelName, "Face": string(face),
		"ModelLoadTime": float64(d.Microseconds()) / 1000,
	})
}

// Inference records one batch's model time and size. The request id is a
// property (searchable in Logs Insights), not a dimension.
func (e *EMF) Inference(modelName string, face Face, requestID string, d time.Duration, batch int) {
	e.write(map[string]any{
		"_aws": emfMeta{Timestamp: e.now().UnixMilli(), CloudWatchMetrics: []emfDirective{{
			Namespace: MetricsNamespace, Dimensions: [][]string{{"Model", "Face"}},
			Metrics: []emfMetric{{"InferenceLatency", "Microseconds"}, {"BatchSize", "Count"}},
		}}},
		"Model": modelName, "Face": string(face), "RequestId": requestID,
		"InferenceLatency": float64(d.Nanoseconds()) / 1000, "BatchSize": batch,
	})
}
