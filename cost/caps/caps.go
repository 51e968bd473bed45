// Package caps derives a stage's static spending caps from its monthly
// budget: the usage plan's monthly quota, the stage's throttle rate and
// burst, and the function's reserved concurrency.
//
// The arithmetic is pure Go so the CLI can show it next to the cost report
// and the stacks can feed it to the inference construct; every figure can be
// overridden. The rule, in words:
//
//   - Cost per request is one invocation, its expected duration and its
//     share of INIT duration (cold-start rate × init duration) at the
//     function's memory, one API request, and what it adds around them
//     (log lines, the access-log line, the response sent out, an X-Ray
//     trace), at first-tier prices (see [spend.Model.PerRequest]).
//   - Fixed cost is what bills whatever the traffic: the provisioned
//     concurrency configured, spread over the month, and the model's fixed
//     costs (the cost guard's own alarms, dashboard and key, the model
//     server's custom metrics, the INIT metric: spend.Around).
//   - MonthlyQuota is how many requests the budget left after the fixed
//     cost pays for.
//   - RateLimit is the request rate that would spend the whole monthly budget
//     in ExhaustHours (72 hours by default): an attacker at the throttle
//     limit cannot burn the month's budget faster than that, which leaves
//     the dollar alarm (minutes) and a human (hours) time to act.
//   - BurstLimit is RateLimit times BurstFactor (2 by default), rounded up.
//   - ReservedConcurrency is Little's law at the throttle rate with every
//     request taking the p99 duration, at least the provisioned concurrency
//     and at least 1.
package caps

import (
	"errors"
	"fmt"
	"math"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/spend"
)

// Defaults for the optional inputs.
const (
	DefaultExhaustHours = 72
	DefaultBurstFactor  = 2
)

// Inputs is what the caps are derived from.
type Inputs struct {
	// MonthlyBudgetUSD is the stage's monthly budget. Required.
	MonthlyBudgetUSD float64
	// Model prices the function and its API. Required.
	Model spend.Model
	// AvgDurationMs is the expected billed duration of one request. Required.
	AvgDurationMs float64
	// P99DurationMs is the 99th-percentile duration; 0 means AvgDurationMs.
	P99DurationMs float64
	// ColdStartRate is the share of requests that start an environment,
	// each billing InitDurationMs of INIT; 0 means none.
	ColdStartRate  float64
	InitDurationMs float64
	// ExhaustHours is how long the throttle rate takes to spend the whole
	// budget; 0 means DefaultExhaustHours.
	ExhaustHours float64
	// BurstFactor is the burst limit over the rate limit; 0 means
	// DefaultBurstFactor.
	BurstFactor float64
	// ExpectedRequestsPerMonth is the stage's expected traffic; when set,
	// Compute warns if the caps would throttle it.
	ExpectedRequestsPerMonth float64
}

// Caps are a stage's static spending caps. The zero value of a field means
// "not set" in an override.
type Caps struct {
	// CostPerRequestUSD is the price of one request at the expected duration.
	CostPerRequestUSD float64 `json:"costPerRequestUSD,omitempty"`
	// FixedMonthlyUSD is the cost that does not depend on traffic.
	FixedMonthlyUSD float64 `json:"fixedMonthlyUSD,omitempty"`
	// MonthlyQuota is the usage plan's monthly request quota.
	MonthlyQuota int64 `json:"monthlyQuota,omitempty"`
	// RateLimit is the stage's steady-state throttle, requests per second.
	RateLimit float64 `json:"rateLimit,omitempty"`
	// BurstLimit is the stage's throttle burst, requests.
	BurstLimit int `json:"burstLimit,omitempty"`
	// ReservedConcurrency is the function's reserved concurrency.
	ReservedConcurrency int `json:"reservedConcurrency,omitempty"`
	// Warnings explain where the caps would hurt the expected traffic.
	Warnings []string `json:"warnings,omitempty"`
}

// Validate reports every problem with in, joined.
func (in Inputs) Validate() error {
	var errs []error
	if !(in.MonthlyBudgetUSD > 0) || math.IsInf(in.MonthlyBudgetUSD, 0) {
		errs = append(errs, fmt.Errorf("monthlyBudgetUSD: %g is not a positive amount", in.MonthlyBudgetUSD))
	}
	if err := in.Model.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("model: %w", err))
	}
	if !(in.AvgDurationMs > 0) {
		errs = append(errs, fmt.Errorf("avgDurationMs: %g is not positive", in.AvgDurationMs))
	}
	if in.P99DurationMs < 0 || (in.P99DurationMs > 0 && in.P99DurationMs < in.AvgDurationMs) {
		errs = append(errs, fmt.Errorf("p99DurationMs: %g is below avgDurationMs %g (want 0 or at least the average)", in.P99DurationMs, in.AvgDurationMs))
	}
	if in.ColdStartRate < 0 || in.ColdStartRate > 1 {
		errs = append(errs, fmt.Errorf("coldStartRate: %g is outside 0 to 1", in.ColdStartRate))
	}
	if in.InitDurationMs < 0 {
		errs = append(errs, fmt.Errorf("initDurationMs: %g is negative", in.InitDurationMs))
	}
	if in.ExhaustHours < 0 || in.ExhaustHours > pricing.HoursPerMonth {
		errs = append(errs, fmt.Errorf("exhaustHours: %g is outside 0 to %d", in.ExhaustHours, pricing.HoursPerMonth))
	}
	if in.BurstFactor != 0 && in.BurstFactor < 1 {
		errs = append(errs, fmt.Errorf("burstFactor: %g is below 1", in.BurstFactor))
	}
	if in.ExpectedRequestsPerMonth < 0 {
		errs = append(errs, fmt.Errorf("expectedRequestsPerMonth: %g is negative", in.ExpectedRequestsPerMonth))
	}
	return errors.Join(errs...)
}

// Compute derives the caps from in.
func Compute(in Inputs) (Caps, error) {
	if err := in.Validate(); err != nil {
		return Caps{}, err
	}
	exhaust := in.ExhaustHours
	if exhaust == 0 {
		exhaust = DefaultExhaustHours
	}
	burst := in.BurstFactor
	if burst == 0 {
		burst = DefaultBurstFactor
	}
	p99 := in.P99DurationMs
	if p99 == 0 {
		p99 = in.AvgDurationMs
	}
	c := Caps{
		CostPerRequestUSD: in.Model.PerRequest(in.AvgDurationMs + in.ColdStartRate*in.InitDurationMs),
		FixedMonthlyUSD:   in.Model.ProvisionedPerHour()*pricing.HoursPerMonth + in.Model.Around.FixedMonthlyUSD,
	}
	left := in.MonthlyBudgetUSD - c.FixedMonthlyUSD
	if left <= 0 {
		return Caps{}, fmt.Errorf("monthlyBudgetUSD: %g does not cover the fixed $%.2f a month (provisioned concurrency, the guard's own resources, custom metrics; raise the budget)", in.MonthlyBudgetUSD, c.FixedMonthlyUSD)
	}
	requests := left / c.CostPerRequestUSD
	c.MonthlyQuota = int64(math.Floor(requests))
	if c.MonthlyQuota < 1 {
		return Caps{}, fmt.Errorf("monthlyBudgetUSD: %g pays for no request at $%g each", in.MonthlyBudgetUSD, c.CostPerRequestUSD)
	}
	// Floor to a hundredth of a request per second: never above the rule.
	c.RateLimit = math.Max(0.01, math.Floor(requests/(exhaust*3600)*100)/100)
	c.BurstLimit = max(1, int(math.Ceil(c.RateLimit*burst)))
	c.ReservedConcurrency = max(1, in.Model.ProvisionedConcurrency, int(math.Ceil(c.RateLimit*p99/1000)))

	if in.ExpectedRequestsPerMonth > 0 {
		if in.ExpectedRequestsPerMonth > float64(c.MonthlyQuota) {
			c.Warnings = append(c.Warnings, fmt.Sprintf("expected %.0f requests a month exceed the quota of %d the budget pays for", in.ExpectedRequestsPerMonth, c.MonthlyQuota))
		}
		if avg := in.ExpectedRequestsPerMonth / pricing.SecondsPerMonth; avg > c.RateLimit {
			c.Warnings = append(c.Warnings, fmt.Sprintf("expected average rate %.2f req/s exceeds the rate limit %.2f req/s", avg, c.RateLimit))
		}
	}
	return c, nil
}

// Override returns c with every non-zero field of o in its place; the
// derived prices and warnings stay c's.
func (c Caps) Override(o Caps) Caps {
	if o.MonthlyQuota != 0 {
		c.MonthlyQuota = o.MonthlyQuota
	}
	if o.RateLimit != 0 {
		c.RateLimit = o.RateLimit
	}
	if o.BurstLimit != 0 {
		c.BurstLimit = o.BurstLimit
	}
	if o.ReservedConcurrency != 0 {
		c.ReservedConcurrency = o.ReservedConcurrency
	}
	return c
}

// Lines explains c in the words of the cost report, one figure a line.
func (c Caps) Lines() []string {
	l := []string{
		fmt.Sprintf("cost per request      $%.9f", c.CostPerRequestUSD),
		fmt.Sprintf("fixed monthly cost    $%.2f", c.FixedMonthlyUSD),
		fmt.Sprintf("usage-plan quota      %d requests/month", c.MonthlyQuota),
		fmt.Sprintf("stage throttle        %.2f req/s, burst %d", c.RateLimit, c.BurstLimit),
		fmt.Sprintf("reserved concurrency  %d", c.ReservedConcurrency),
	}
	for _, w := range c.Warnings {
		l = append(l, "warning: "+w)
	}
	return l
}
