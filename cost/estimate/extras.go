package estimate

import (
	"errors"
	"fmt"
	"math"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// Allowance is what is left of an account's monthly free tiers for the
// items of [EstimateExtras]; each estimate takes what it uses, so several
// workloads share one account's free tiers first come, first served. A nil
// *Allowance applies none.
type Allowance struct {
	CustomMetrics float64
	XRayRecorded  float64
	XRayRetrieved float64
	LogsGB        float64
	InternetOutGB float64
}

// NewAllowance is an account's whole monthly free tier of these items in p.
func NewAllowance(p pricing.Prices) *Allowance {
	return &Allowance{
		CustomMetrics: float64(p.CloudWatch.FreeCustomMetrics), XRayRecorded: p.XRay.FreeRecorded,
		XRayRetrieved: p.XRay.FreeRetrieved, LogsGB: p.CloudWatch.FreeLogsGB, InternetOutGB: p.DataTransfer.FreeInternetOutGB,
	}
}

// Take removes up to q from the allowance *left points into and returns
// the part of q that was free (0 for a nil allowance).
func (a *Allowance) Take(left func(*Allowance) *float64, q float64) float64 {
	if a == nil || q <= 0 {
		return 0
	}
	l := left(a)
	f := math.Min(*l, q)
	*l -= f
	return f
}

// Extras is what a deployed workload adds to the bill beyond its compute
// and its front door's requests: the model server's custom metrics, X-Ray
// traces, the function's and the API's CloudWatch Logs, and the responses
// sent to the internet.
type Extras struct {
	// Requests is the month's requests.
	Requests float64
	// CustomMetrics is the number of metric × dimension-set combinations the
	// model server writes in Embedded Metric Format (workload.ServerMetrics);
	// 0 means none.
	CustomMetrics int
	// Traced says X-Ray records the requests the default sampling rule
	// picks (the function's active tracing or the API stage's tracing; one
	// trace per request either way).
	Traced bool
	// TraceReadsPerTrace is how many times each recorded trace is retrieved
	// or scanned; 0 with Traced means 1.
	TraceReadsPerTrace float64
	// LogBytesPerRequest is the compute's CloudWatch Logs ingestion per
	// request, kept LogRetentionMonths; 0 means no log lines.
	LogBytesPerRequest float64
	LogRetentionMonths float64
	// AccessLogBytesPerRequest is the API's access-log ingestion per request
	// (one log event), kept AccessLogRetentionMonths; 0 means no access log.
	AccessLogBytesPerRequest float64
	AccessLogRetentionMonths float64
	// ResponseBytes is the average response sent to the internet; 0 means
	// none is priced.
	ResponseBytes float64
}

// Validate reports every problem with x, joined.
func (x Extras) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"requests", x.Requests}, {"trace-reads", x.TraceReadsPerTrace}, {"log-bytes", x.LogBytesPerRequest},
		{"log-retention-months", x.LogRetentionMonths}, {"access-log-bytes", x.AccessLogBytesPerRequest},
		{"access-log-retention-months", x.AccessLogRetentionMonths}, {"response-bytes", x.ResponseBytes},
	} {
		if f.v < 0 || !finite(f.v) {
			errs = append(errs, fmt.Errorf("%s: %g is not a non-negative number", f.name, f.v))
		}
	}
	if x.CustomMetrics < 0 {
		errs = append(errs, fmt.Errorf("custom-metrics: %d is negative", x.CustomMetrics))
	}
	return errors.Join(errs...)
}

// SampledTraces is the number of X-Ray traces the default sampling rule of
// p records in a month of requests spread evenly over the month: in each
// second, the first ReservoirPerSecond requests and FixedRate of the rest,
// with Poisson arrivals. Real traffic comes in bursts, which the reservoir
// catches less of, so this is an upper bound for the month's requests.
func SampledTraces(requests float64, p pricing.Prices) float64 {
	if requests <= 0 {
		return 0
	}
	lambda := requests / pricing.SecondsPerMonth
	// E[min(N, R)] for N ~ Poisson(λ): Σ_{k<R} k·P(k) + R·P(N ≥ R).
	r := int(p.XRay.ReservoirPerSecond)
	pk, below, reservoir := math.Exp(-lambda), 0.0, 0.0
	for k := 0; k < r; k++ {
		reservoir += float64(k) * pk
		below += pk
		pk *= lambda / float64(k+1)
	}
	reservoir += float64(r) * (1 - below)
	perSecond := reservoir + p.XRay.FixedRate*(lambda-reservoir)
	return math.Min(perSecond*pricing.SecondsPerMonth, requests)
}

// EstimateExtras prices x with p, taking free tiers from free (nil: none).
func EstimateExtras(x Extras, p pricing.Prices, free *Allowance) (Estimate, error) {
	if err := x.Validate(); err != nil {
		return Estimate{}, err
	}
	var e Estimate
	cw := p.CloudWatch
	if n := float64(x.CustomMetrics); n > 0 {
		billed := n - free.Take(func(a *Allowance) *float64 { return &a.CustomMetrics }, n)
		e.add("CloudWatch custom metrics (model server EMF)", n, "metrics", billed*cw.CustomMetricMonth)
		e.note("the model server writes %d custom metrics in Embedded Metric Format, billed all month while it serves", x.CustomMetrics)
	}
	if x.Traced && x.Requests > 0 {
		rec := SampledTraces(x.Requests, p)
		billed := rec - free.Take(func(a *Allowance) *float64 { return &a.XRayRecorded }, rec)
		e.add("X-Ray traces recorded", rec, "traces", billed*p.XRay.PerRecorded())
		reads := x.TraceReadsPerTrace
		if reads == 0 {
			reads = 1
		}
		read := rec * reads
		billedRead := read - free.Take(func(a *Allowance) *float64 { return &a.XRayRetrieved }, read)
		e.add("X-Ray traces retrieved or scanned", read, "traces", billedRead*p.XRay.RetrievedPerMillion/1e6)
		e.note("X-Ray default sampling (%g a second, then %.0f%%) of requests spread evenly; each trace read %g time(s)", p.XRay.ReservoirPerSecond, p.XRay.FixedRate*100, reads)
	}
	logs := func(what string, bytes, months float64) {
		gb := x.Requests * bytes / (1 << 30)
		if gb <= 0 {
			return
		}
		billed := gb - free.Take(func(a *Allowance) *float64 { return &a.LogsGB }, gb)
		e.add(what+" ingestion", gb, "GB", billed*cw.LogsIngestionPerGB)
		stored := gb * months
		e.add(what+" storage", stored, "GB-months", stored*cw.LogsStoragePerGBMonth)
	}
	logs("CloudWatch Logs", x.LogBytesPerRequest, x.LogRetentionMonths)
	logs("API Gateway access logs", x.AccessLogBytesPerRequest, x.AccessLogRetentionMonths)
	if gb := x.Requests * x.ResponseBytes / (1 << 30); gb > 0 {
		billed := gb - free.Take(func(a *Allowance) *float64 { return &a.InternetOutGB }, gb)
		e.add("Data transfer out to the internet", gb, "GB", p.DataTransfer.InternetOut.Cost(billed))
	}
	e.total()
	return e, nil
}
