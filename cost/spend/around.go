package spend

import (
	"errors"
	"fmt"
	"math"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// Around is what bills around a tier's compute and its API's requests,
// priced per unit for the expressions: what bills whatever the traffic
// (the cost guard's own alarms, dashboard and key, the model server's
// custom metrics, a metric filter's metric, public IPv4 addresses,
// Container Insights), what each request adds (its log lines, the API's
// access-log line, the response sent out, the data a SageMaker endpoint
// processes) and X-Ray's recorded traces. The zero value prices nothing.
//
// The prices come from the same code as the cost report's lines
// ([estimate.Extras.Rates]), so at the traffic a workload record states
// the expression projects the report's month.
type Around struct {
	// FixedMonthlyUSD bills every month whatever the traffic.
	FixedMonthlyUSD float64 `json:"fixedMonthlyUSD,omitempty"`
	// PerRequestUSD is what one request adds.
	PerRequestUSD float64 `json:"perRequestUSD,omitempty"`
	// PerTraceUSD is one X-Ray trace recorded and read; 0 when nothing is
	// traced.
	PerTraceUSD float64 `json:"perTraceUSD,omitempty"`
	// TraceFixedRate is the share of requests beyond the first of each
	// second that X-Ray's default sampling rule records
	// (pricing.XRay.FixedRate; its reservoir is one a second).
	TraceFixedRate float64 `json:"traceFixedRate,omitempty"`
}

// AroundFor prices x (a deployment's extras, as the report derives them)
// with p, plus fixedMonthlyUSD (the guard's own cost and the tier's other
// fixed items) and perRequestUSD (the tier's other per-request items).
func AroundFor(x estimate.Extras, p pricing.Prices, fixedMonthlyUSD, perRequestUSD float64) Around {
	r := x.Rates(p)
	a := Around{
		FixedMonthlyUSD: r.FixedMonthlyUSD + fixedMonthlyUSD,
		PerRequestUSD:   r.PerRequestUSD + perRequestUSD,
		PerTraceUSD:     r.PerTraceUSD,
	}
	if a.PerTraceUSD > 0 {
		a.TraceFixedRate = p.XRay.FixedRate
		if p.XRay.ReservoirPerSecond != 1 {
			// The expression knows a reservoir of one a second only:
			// price every request as a trace, the upper bound.
			a.TraceFixedRate = 1
		}
	}
	return a
}

// Validate reports every problem with a, joined.
func (a Around) Validate() error {
	var errs []error
	for name, v := range map[string]float64{"fixedMonthlyUSD": a.FixedMonthlyUSD, "perRequestUSD": a.PerRequestUSD, "perTraceUSD": a.PerTraceUSD} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("around %s: %g is not a non-negative price", name, v))
		}
	}
	if a.TraceFixedRate < 0 || a.TraceFixedRate > 1 {
		errs = append(errs, fmt.Errorf("around traceFixedRate: %g is outside 0 to 1", a.TraceFixedRate))
	}
	return errors.Join(errs...)
}

// euler is e to the precision metric math reads.
const euler = "2.718281828459"

// terms are the expression's terms, in dollars per hour, for the count of
// requests in metric id count over a period of periodSeconds: " + ..."
// each, or "" when a prices nothing. Traces follow the default sampling
// rule with Poisson arrivals within the period, as
// [estimate.SampledTraces] counts them for a month of evenly spread
// requests: per second, P(at least one) for the reservoir's first request
// plus the fixed rate of the rest, 1 − e^(−λ) + f × (λ − (1 − e^(−λ))).
func (a Around) terms(count string, periodSeconds float64) string {
	var e string
	pph := 3600 / periodSeconds
	if a.PerRequestUSD > 0 && count != "" {
		e += fmt.Sprintf(" + FILL(%s, 0) * %s", count, num(a.PerRequestUSD*pph))
	}
	if a.PerTraceUSD > 0 && count != "" {
		f := a.TraceFixedRate
		if f < 1 {
			e += fmt.Sprintf(" + (1 - %s ^ (-FILL(%s, 0) / %s)) * %s", euler, count, num(periodSeconds), num(pph*periodSeconds*(1-f)*a.PerTraceUSD))
		}
		e += fmt.Sprintf(" + FILL(%s, 0) * %s", count, num(pph*f*a.PerTraceUSD))
	}
	if a.FixedMonthlyUSD > 0 {
		e += " + " + num(a.FixedMonthlyUSD/pricing.HoursPerMonth)
	}
	return e
}
