package report

import (
	"fmt"
	"math"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/workload"
)

// GuardMetadataKey is the template-level metadata key of the cost guard's
// record (written by cost/guardmeta). The report reads the
// record's JSON shape itself, so nothing under cost/ depends on
// constructs/.
const GuardMetadataKey = "costguard:guard"

// guardVersion is the newest guard record version the report reads.
const guardVersion = 1

// Caps are a stage's static spending caps: the usage plan's monthly quota,
// the stage's throttle rate and burst, and the inference function's
// reserved concurrency. A zero field is not set (or not found).
type Caps struct {
	// CostPerRequestUSD is the price of one request the budget caps were
	// derived at (budget-derived caps only).
	CostPerRequestUSD float64 `json:"costPerRequestUSD,omitempty"`
	// FixedMonthlyUSD is the cost paid before any request (provisioned
	// concurrency), taken off the budget first (budget-derived caps only).
	FixedMonthlyUSD     float64  `json:"fixedMonthlyUSD,omitempty"`
	MonthlyQuota        int64    `json:"monthlyQuota,omitempty"`
	RateLimit           float64  `json:"rateLimit,omitempty"`
	BurstLimit          int      `json:"burstLimit,omitempty"`
	ReservedConcurrency int      `json:"reservedConcurrency,omitempty"`
	Warnings            []string `json:"warnings,omitempty"`
}

// GuardLine is one item of the guard's own monthly cost.
type GuardLine struct {
	Item string  `json:"item"`
	USD  float64 `json:"usd"`
	// Unpriced is set when the guard had no price for the item.
	Unpriced bool `json:"unpriced,omitempty"`
}

// Guard is a stack's cost guard as its costguard:guard record describes
// it, with the caps the template actually applies beside the caps the
// budget pays for.
type Guard struct {
	Version          int     `json:"version"`
	Stage            string  `json:"stage"`
	MonthlyBudgetUSD float64 `json:"monthlyBudgetUSD"`
	SpendBurnRate    float64 `json:"spendBurnRate,omitempty"`
	RunawayBurnRate  float64 `json:"runawayBurnRate,omitempty"`
	KillSwitch       bool    `json:"killSwitch"`
	StateParameter   string  `json:"stateParameter,omitempty"`
	Alarms           int     `json:"alarms"`
	AlarmMetrics     int     `json:"alarmMetrics"`
	Dashboard        bool    `json:"dashboard"`
	// OwnCost itemises the guard's own monthly cost as the guard priced it;
	// its resources are priced above too, so OwnMonthlyUSD is part of the
	// stack's total, never added to it.
	OwnCost       []GuardLine `json:"ownCost"`
	OwnMonthlyUSD float64     `json:"ownMonthlyUSD"`
	// Caps are the caps the budget pays for at the stage's expected
	// duration; nil when the stage has no expected duration.
	Caps *Caps `json:"caps,omitempty"`
	// Applied are the caps found in the template (the stage's overrides
	// win over the budget-derived ones); nil when none was found.
	Applied *Caps `json:"applied,omitempty"`
}

// parseGuard decodes a costguard:guard record.
func parseGuard(v any) (Guard, error) {
	// Fractional numbers are decimal strings in template metadata
	// (workload.MetadataMap); older records have plain numbers.
	var g Guard
	if err := workload.DecodeMetadata(v, &g, workload.MetadataTextFields...); err != nil {
		return Guard{}, fmt.Errorf("guard metadata: %w", err)
	}
	if g.Version < 1 || g.Version > guardVersion {
		return Guard{}, fmt.Errorf("guard metadata version: %d is not supported (want 1 to %d)", g.Version, guardVersion)
	}
	g.Applied = nil // the template says what is applied, not the record
	return g, nil
}

// appliedCaps reads the caps a template applies: the first usage plan's
// quota, the first API stage's default throttle (REST method settings for
// "/*" "*", or an HTTP API stage's default route settings) and the
// reserved concurrency of the function with a Lambda workload record.
// Values that are tokens rather than numbers are skipped.
func appliedCaps(t assembly.Template) *Caps {
	var c Caps
	num := func(v any) (float64, bool) {
		f, ok := v.(float64)
		return f, ok && f >= 0 && !math.IsInf(f, 0)
	}
	quota, throttle, reserved := false, false, false
	for _, id := range t.LogicalIDs() {
		res := t.Resources[id]
		p := res.Properties
		switch res.Type {
		case "AWS::ApiGateway::UsagePlan":
			if q, ok := p["Quota"].(map[string]any); ok && !quota {
				if period, _ := q["Period"].(string); period == "MONTH" {
					if n, ok := num(q["Limit"]); ok {
						c.MonthlyQuota, quota = int64(n), true
					}
				}
			}
		case "AWS::ApiGateway::Stage":
			ms, _ := p["MethodSettings"].([]any)
			for _, m := range ms {
				s, _ := m.(map[string]any)
				if s["HttpMethod"] != "*" || s["ResourcePath"] != "/*" || throttle {
					continue
				}
				throttle = setThrottle(&c, s["ThrottlingRateLimit"], s["ThrottlingBurstLimit"], num)
			}
		case "AWS::ApiGatewayV2::Stage":
			if s, ok := p["DefaultRouteSettings"].(map[string]any); ok && !throttle {
				throttle = setThrottle(&c, s["ThrottlingRateLimit"], s["ThrottlingBurstLimit"], num)
			}
		case "AWS::Lambda::Function":
			raw, has := res.Metadata[workload.MetadataKey]
			if !has || reserved {
				continue
			}
			if w, err := workload.Parse(raw); err != nil || w.Tier != workload.TierLambda {
				continue
			}
			if n, ok := num(p["ReservedConcurrentExecutions"]); ok {
				c.ReservedConcurrency, reserved = int(n), true
			}
		}
	}
	if !quota && !throttle && !reserved {
		return nil
	}
	return &c
}

func setThrottle(c *Caps, rate, burst any, num func(any) (float64, bool)) bool {
	r, okR := num(rate)
	b, okB := num(burst)
	if okR {
		c.RateLimit = r
	}
	if okB {
		c.BurstLimit = int(b)
	}
	return okR || okB
}

// Placement is where a workload was placed and why.
type Placement struct {
	LogicalID string        `json:"logicalId"`
	Tier      workload.Tier `json:"tier"`
	// Reasons are the decision's reasons, the choice (or override) first.
	Reasons []string `json:"reasons"`
}
