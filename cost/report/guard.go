package report

import (
	"math"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/caps"
	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/workload"
)

// GuardMetadataKey is the template-level metadata key of the cost guard's
// record.
const GuardMetadataKey = guardmeta.MetadataKey

// Caps are a stage's static spending caps: the usage plan's monthly quota,
// the stage's throttle rate and burst, and the inference function's
// reserved concurrency. A zero field is not set (or not found).
type Caps = caps.Caps

// GuardLine is one item of the guard's own monthly cost.
type GuardLine = guardmeta.Line

// Guard is a stack's cost guard as its costguard:guard record
// (guardmeta.Record) describes it, with the caps the template actually
// applies beside the caps the budget pays for.
type Guard struct {
	guardmeta.Record
	// Applied are the caps found in the template (the stage's overrides
	// win over the budget-derived ones); nil when none was found.
	Applied *Caps `json:"applied,omitempty"`
}

// parseGuard decodes a costguard:guard record.
func parseGuard(v any) (Guard, error) {
	r, err := guardmeta.Parse(v)
	if err != nil {
		return Guard{}, err
	}
	// The template says what is applied, not the record.
	return Guard{Record: r}, nil
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
