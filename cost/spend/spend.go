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
// the function's Invocations and Duration (Sum) and the API's Count (Sum) and
// returns dollars per hour:
//
//	usdPerHour = (inv*perRequest + dur*perMs + req*perAPIRequest) * periodsPerHour + provisionedPerHour
//
// where perMs is the on-demand price of one millisecond at the function's
// memory and provisionedPerHour is the provisioned concurrency allocated,
// billed all hour. The projection multiplies by [pricing.HoursPerMonth]: the
// monthly bill if the last period's rate went on all month. The cost guard
// alarms when that projection exceeds the monthly budget times a burn rate.
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
	// ProvisionedConcurrency is the number of environments provisioned; 0
	// means none.
	ProvisionedConcurrency int
	// ProvisionedHoursPerMonth is how many hours a month provisioned
	// concurrency is on; 0 means all month. The expressions spread its
	// cost evenly over the month, as the budget does.
	ProvisionedHoursPerMonth float64
	// HasAPI says whether the req metric exists (an API fronts the function).
	HasAPI bool
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

// ProvisionedPerHour is the price of the provisioned concurrency allocated,
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

// PerRequest is the price of one request of avgDurationMs through the
// function and its API, the unit the caps divide the budget by.
func (m Model) PerRequest(avgDurationMs float64) float64 {
	usd := m.Rates.LambdaPerRequest + avgDurationMs*m.PerMillisecond()
	if m.HasAPI {
		usd += m.Rates.APIPerRequest
	}
	return usd
}

// MetricIDs lists the ids the expressions use, in a stable order.
func (m Model) MetricIDs() []string {
	ids := []string{IDInvocations, IDDuration}
	if m.HasAPI {
		ids = append(ids, IDRequests)
	}
	return ids
}

// USDPerHourExpression is the metric-math expression of the spend rate in
// dollars per hour over the last period.
func (m Model) USDPerHourExpression() string {
	e := fmt.Sprintf("(FILL(%s, 0) * %s + FILL(%s, 0) * %s", IDInvocations, num(m.Rates.LambdaPerRequest), IDDuration, num(m.PerMillisecond()))
	if m.HasAPI {
		e += fmt.Sprintf(" + FILL(%s, 0) * %s", IDRequests, num(m.Rates.APIPerRequest))
	}
	e += ") * " + num(m.PeriodsPerHour())
	if pc := m.ProvisionedPerHour(); pc > 0 {
		e += " + " + num(pc)
	}
	return e
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
