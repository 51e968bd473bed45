package cli

import (
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/report"
	"github.com/costguard-ml/costguard/cost/workload"
)

// extrasFlags are the estimate flags of what a deployment bills beyond its
// compute and front door (custom metrics, X-Ray, logs, data transfer out),
// the items costguard report derives from a template.
type extrasFlags struct {
	f                                *Flags
	metrics                          *int
	tracing                          *bool
	reads, logBytes, logDays         *float64
	accessBytes, accessDays, dataOut *float64
}

func addExtrasFlags(f *Flags) *extrasFlags {
	return &extrasFlags{
		f:           f,
		metrics:     f.Int("custom-metrics", 0, 0, 1_000_000, "CloudWatch custom metrics written all month (the model server writes 3)"),
		tracing:     f.Bool("tracing", false, "X-Ray traces: the default sampling rule on --requests (active tracing, or a REST stage's tracing)"),
		reads:       f.Float("trace-reads", 1, 0, "times each recorded trace is retrieved or scanned"),
		logBytes:    f.Float("log-bytes", 0, 0, "CloudWatch Logs bytes ingested per request by the compute"),
		logDays:     f.Range("log-retention-days", 30, 1, 3653, "days the compute's logs are kept"),
		accessBytes: f.Float("access-log-bytes", 0, 0, "bytes of one API access-log line (0: no access log)"),
		accessDays:  f.Range("access-log-retention-days", 30, 1, 3653, "days the access log is kept"),
		dataOut:     f.Float("data-out-bytes", 0, 0, "bytes per request sent to the internet (the response)"),
	}
}

// extras returns the flags' values, each flag not given taken from def.
func (x *extrasFlags) extras(requests float64, def estimate.Extras) estimate.Extras {
	e := def
	e.Requests = requests
	set := func(name string, apply func()) {
		if x.f.Set(name) {
			apply()
		}
	}
	set("custom-metrics", func() { e.CustomMetrics = *x.metrics })
	set("tracing", func() { e.Traced = *x.tracing })
	set("trace-reads", func() { e.TraceReadsPerTrace = *x.reads })
	set("log-bytes", func() { e.LogBytesPerRequest = *x.logBytes })
	set("access-log-bytes", func() { e.AccessLogBytesPerRequest = *x.accessBytes })
	set("data-out-bytes", func() { e.ResponseBytes = *x.dataOut })
	if e.LogRetentionMonths == 0 || x.f.Set("log-retention-days") {
		e.LogRetentionMonths = *x.logDays / 30
	}
	if e.AccessLogRetentionMonths == 0 || x.f.Set("access-log-retention-days") {
		e.AccessLogRetentionMonths = *x.accessDays / 30
	}
	return e
}

// merge prices the extras with p and adds them to e; free applies the
// account's free tiers of these items.
func (x *extrasFlags) merge(e *estimate.Estimate, requests float64, def estimate.Extras, p pricing.Prices, free bool) error {
	var allowance *estimate.Allowance
	if free {
		allowance = estimate.NewAllowance(p)
	}
	ex, err := estimate.EstimateExtras(x.extras(requests, def), p, allowance)
	if err != nil {
		return usageFromValidation(err)
	}
	e.Merge(ex)
	return nil
}

// workloadExtras are the defaults of `estimate workload`: what the stacks
// deploy for a workload record (the model server's metrics, its log lines
// kept the construct's default month, its API's access log, half the
// payload sent back); tracing is off, as on the dev stage.
func workloadExtras(w workload.Workload) estimate.Extras {
	x := estimate.Extras{
		CustomMetrics: workload.ServerCustomMetrics(), LogBytesPerRequest: report.DefaultLogBytesPerRequest,
		LogRetentionMonths: 1, AccessLogRetentionMonths: 1,
	}
	if w.FrontDoor == workload.FrontDoorREST || w.FrontDoor == workload.FrontDoorHTTP {
		x.ResponseBytes = w.Traffic.PayloadBytes / 2
		x.AccessLogBytesPerRequest = report.DefaultAccessLogBytes
	}
	return x
}
