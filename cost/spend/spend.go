// Package spend turns a guarded workload's CloudWatch metrics into dollars.
//
// It builds the CloudWatch metric-math expressions the cost guard alarms on
// and draws on its dashboard, with every price taken from
// [github.com/costguard-ml/costguard/cost/pricing], so the alarms, the caps
// and the cost report agree on what a request costs. The package imports
// nothing from the CDK: the expressions are plain strings, tested in Go.
//
// # The rule
//
// Each expression evaluates one metric period (five minutes by default) of
// the function's Invocations and Duration (Sum), its INIT duration (Sum of
// the REPORT lines' Init Duration, which Lambda's Duration excludes and
// bills since August 2025, published by a metric filter on the function's
// log group), the provisioned concurrency allocated to its alias, and the
// API's Count (Sum), and returns dollars per hour:
//
//	usdPerHour = (inv*perRequest + (dur + init)*perMs + req*perAPIRequest) * periodsPerHour
//	           + allocated * perEnvironmentHour + around
//
// where perMs is the on-demand price of one millisecond at the function's
// memory, allocated is the provisioned concurrency allocated (the alias's
// ProvisionedConcurrentExecutions, the environments in use, divided by its
// ProvisionedConcurrencyUtilization, the share of the allocation in use;
// 0 when nothing ran on it in the period), and around is what bills around
// the function ([Around]: logs, access logs, traces, responses sent out,
// and the fixed monthly costs of the guard and the deployment). The
// projection multiplies by [pricing.HoursPerMonth]: the monthly bill if the
// last period's rate went on all month. The cost guard alarms when that
// projection exceeds the monthly budget times a burn rate.
//
// The prices are the first tier's (the marginal price of a small account)
// and the free tier is ignored, and duration on provisioned environments is
// priced on demand: each choice over-estimates, the safe side for a guard.
package spend

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// Metric ids the expressions refer to. CloudWatch requires ids to start with
// a lower-case letter.
const (
	// IDInvocations is the function's Invocations metric, statistic Sum.
	IDInvocations = "inv"
	// IDDuration is the function's Duration metric in milliseconds, statistic Sum.
	IDDuration = "dur"
	// IDRequests is the API's Count metric, statistic Sum.
	IDRequests = "req"
	// IDInit is the function's INIT duration in milliseconds, statistic
	// Sum: the Init Duration of its REPORT lines, published by a metric
	// filter on its log group.
	IDInit = "init"
	// IDProvisionedInUse is the provisioned alias's
	// ProvisionedConcurrentExecutions, statistic Maximum.
	IDProvisionedInUse = "pce"
	// IDProvisionedUtilization is the provisioned alias's
	// ProvisionedConcurrencyUtilization, statistic Maximum.
	IDProvisionedUtilization = "pcu"
)

// DefaultPeriod is the metric period of the dollar expressions.
const DefaultPeriod = 5 * time.Minute

// Rates are the marginal prices of one Lambda workload, per unit its
// metrics count.
type Rates struct {
	// LambdaPerRequest is USD per invocation.
	LambdaPerRequest float64 `json:"lambdaPerRequest"`
	// LambdaPerGBSecond is USD per GB-second of on-demand duration.
	LambdaPerGBSecond float64 `json:"lambdaPerGBSecond"`
	// ProvisionedPerGBSecond is USD per GB-second of provisioned concurrency
	// allocated, used or not.
	ProvisionedPerGBSecond float64 `json:"provisionedPerGBSecond"`
	// APIPerRequest is USD per API request; 0 without an API.
	APIPerRequest float64 `json:"apiPerRequest"`
}

// RatesFor reads the rates of a function of architecture arch behind door
// from the price tables p.
func RatesFor(p pricing.Prices, arch workload.Architecture, door workload.FrontDoor) (Rates, error) {
	a, err := pricing.ParseArch(string(arch))
	if err != nil {
		return Rates{}, err
	}
	r := Rates{
		LambdaPerRequest:       p.Lambda.PerRequest(),
		LambdaPerGBSecond:      p.Lambda.DurationPerGBSecond(a),
		ProvisionedPerGBSecond: p.Lambda.ProvisionedPerGBSecond(a),
	}
	switch door {
	case workload.FrontDoorREST:
		r.APIPerRequest = p.APIGateway.RESTPerRequest()
	case workload.FrontDoorHTTP:
		r.APIPerRequest = p.APIGateway.HTTPPerRequest()
	case workload.FrontDoorNone, "":
	default:
		return Rates{}, fmt.Errorf("front door %q is not one of none, rest, http", door)
	}
	return r, nil
}

// Model is the dollar model of one guarded Lambda function and its API.
type Model struct {
	Rates Rates
	// MemoryMiB is the function's memory size.
	MemoryMiB int
	// ProvisionedConcurrency is the number of environments provisioned (the
	// minimum, when it scales); 0 means none. With it the expressions price
	// the allocation the pce and pcu metrics show, not this figure.
	ProvisionedConcurrency int
	// ProvisionedHoursPerMonth is how many hours a month provisioned
	// concurrency is on; 0 means all month. The caps count its configured
	// cost spread over the month, as the budget does.
	ProvisionedHoursPerMonth float64
	// HasAPI says whether the req metric exists (an API fronts the function).
	HasAPI bool
	// HasInit says whether the init metric exists (the function's INIT
	// duration from its REPORT lines).
	HasInit bool
	// Around is what bills around the function and its API.
	Around Around
	// Period is the metric period; 0 means [DefaultPeriod].
	Period time.Duration
}

func (m Model) period() time.Duration {
	if m.Period == 0 {
		return DefaultPeriod
	}
	return m.Period
}

// Validate reports every problem with m, joined.
func (m Model) Validate() error {
	var errs []error
	if m.MemoryMiB <= 0 {
		errs = append(errs, fmt.Errorf("memoryMiB: %d is not positive", m.MemoryMiB))
	}
	if m.ProvisionedConcurrency < 0 {
		errs = append(errs, fmt.Errorf("provisionedConcurrency: %d is negative", m.ProvisionedConcurrency))
	}
	if h := m.ProvisionedHoursPerMonth; h < 0 || h > pricing.HoursPerMonth {
		errs = append(errs, fmt.Errorf("provisionedHoursPerMonth: %g is outside 0 to %d", h, pricing.HoursPerMonth))
	}
	if err := m.Around.Validate(); err != nil {
		errs = append(errs, err)
	}
	if p := m.period(); p < time.Minute || p%time.Minute != 0 || time.Hour%p != 0 {
		errs = append(errs, fmt.Errorf("period: %s is not a whole number of minutes dividing an hour", p))
	}
	for name, v := range map[string]float64{
		"lambdaPerRequest":       m.Rates.LambdaPerRequest,
		"lambdaPerGBSecond":      m.Rates.LambdaPerGBSecond,
		"provisionedPerGBSecond": m.Rates.ProvisionedPerGBSecond,
		"apiPerRequest":          m.Rates.APIPerRequest,
	} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("rates %s: %g is not a non-negative price", name, v))
		}
	}
	return errors.Join(errs...)
}

// MemoryGB is the memory AWS bills, in GB.
func (m Model) MemoryGB() float64 { return float64(m.MemoryMiB) / pricing.MiBPerGiB }

// PerMillisecond is the on-demand price of one millisecond of duration.
func (m Model) PerMillisecond() float64 { return m.MemoryGB() * m.Rates.LambdaPerGBSecond / 1000 }

// PerEnvironmentHour is the price of one provisioned environment for an
// hour, used or not.
func (m Model) PerEnvironmentHour() float64 {
	return m.MemoryGB() * 3600 * m.Rates.ProvisionedPerGBSecond
}

// ProvisionedPerHour is the price of the provisioned concurrency configured,
// used or not, averaged over the month's hours.
func (m Model) ProvisionedPerHour() float64 {
	share := 1.0
	if m.ProvisionedHoursPerMonth > 0 {
		share = m.ProvisionedHoursPerMonth / pricing.HoursPerMonth
	}
	return float64(m.ProvisionedConcurrency) * share * m.MemoryGB() * 3600 * m.Rates.ProvisionedPerGBSecond
}

// PeriodsPerHour is how many metric periods make an hour.
func (m Model) PeriodsPerHour() float64 { return float64(time.Hour / m.period()) }

// PerRequest is the price of one request of avgDurationMs (its share of
// INIT duration included) through the function and its API, with what it
// adds around them ([Around.PerRequestUSD]; traces priced as if every
// request were recorded, the upper bound): the unit the caps divide the
// budget by.
func (m Model) PerRequest(avgDurationMs float64) float64 {
	usd := m.Rates.LambdaPerRequest + avgDurationMs*m.PerMillisecond() + m.Around.PerRequestUSD + m.Around.PerTraceUSD
	if m.HasAPI {
		usd += m.Rates.APIPerRequest
	}
	return usd
}

// MetricIDs lists the ids the expressions use, in a stable order.
func (m Model) MetricIDs() []string {
	ids := []string{IDInvocations, IDDuration}
	if m.HasInit {
		ids = append(ids, IDInit)
	}
	if m.ProvisionedConcurrency > 0 {
		ids = append(ids, IDProvisionedInUse, IDProvisionedUtilization)
	}
	if m.HasAPI {
		ids = append(ids, IDRequests)
	}
	return ids
}

// countID is the metric that counts requests for the per-request items:
// the API's, else the function's invocations.
func (m Model) countID() string {
	if m.HasAPI {
		return IDRequests
	}
	return IDInvocations
}

// USDPerHourExpression is the metric-math expression of the spend rate in
// dollars per hour over the last period.
func (m Model) USDPerHourExpression() string {
	dur := fmt.Sprintf("FILL(%s, 0)", IDDuration)
	if m.HasInit {
		dur = fmt.Sprintf("(FILL(%s, 0) + FILL(%s, 0))", IDDuration, IDInit)
	}
	e := fmt.Sprintf("(FILL(%s, 0) * %s + %s * %s", IDInvocations, num(m.Rates.LambdaPerRequest), dur, num(m.PerMillisecond()))
	if m.HasAPI {
		e += fmt.Sprintf(" + FILL(%s, 0) * %s", IDRequests, num(m.Rates.APIPerRequest))
	}
	e += ") * " + num(m.PeriodsPerHour())
	if m.ProvisionedConcurrency > 0 {
		e += fmt.Sprintf(" + IF(FILL(%s, 0) > 0, FILL(%s, 0) / %s, 0) * %s", IDProvisionedUtilization, IDProvisionedInUse, IDProvisionedUtilization, num(m.PerEnvironmentHour()))
	}
	return e + m.Around.terms(m.countID(), m.period().Seconds())
}

// ProjectedMonthlyExpression is the metric-math expression of the monthly
// bill if the last period's spend rate went on all month, in dollars.
func (m Model) ProjectedMonthlyExpression() string {
	return "(" + m.USDPerHourExpression() + ") * " + num(pricing.HoursPerMonth)
}

// num formats a price as a plain decimal (metric math is not documented to
// read exponents), to 12 significant digits so that binary noise such as
// 0.20/1e6 = 2.0000000000000002e-07 does not show.
func num(v float64) string {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		r = v
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
