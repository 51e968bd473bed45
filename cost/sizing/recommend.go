package sizing

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// Strategy is what a memory recommendation optimises, as in AWS Lambda
// Power Tuning.
type Strategy string

// The strategies.
const (
	// StrategyCost picks the cheapest memory size per invocation, the
	// fastest among equals.
	StrategyCost Strategy = "cost"
	// StrategySpeed picks the fastest memory size, the cheapest among equals.
	StrategySpeed Strategy = "speed"
	// StrategyBalanced minimises weight×cost/maxCost + (1-weight)×duration/maxDuration.
	StrategyBalanced Strategy = "balanced"
)

// Strategies lists the strategies in a stable order.
var Strategies = []Strategy{StrategyCost, StrategySpeed, StrategyBalanced}

// ParseStrategy checks a strategy name.
func ParseStrategy(s string) (Strategy, error) {
	for _, st := range Strategies {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("strategy %q is not one of %s", s, joinStrategies())
}

func joinStrategies() string {
	s := make([]string, len(Strategies))
	for i, st := range Strategies {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

// DefaultBalancedWeight is Power Tuning's default balancedWeight.
const DefaultBalancedWeight = 0.5

// Options tune [Recommend]. The zero value prices x86_64 in the default
// region with the default balanced weight and no constraints.
type Options struct {
	// Arch is the architecture whose duration price applies; "" means x86_64.
	Arch pricing.Arch
	// Prices is the Lambda price table; nil means [pricing.Default].
	Prices *pricing.Lambda
	// BalancedWeight is the balanced strategy's weight between cost (1) and
	// speed (0); 0 means [DefaultBalancedWeight] (use [StrategySpeed] for 0).
	BalancedWeight float64
	// MaxAvgDurationMs, when positive, drops memory sizes whose average
	// duration exceeds it, so the recommendation meets a latency objective.
	MaxAvgDurationMs float64
	// MinMemoryMiB, when positive, drops memory sizes below it (the model's
	// peak memory plus headroom).
	MinMemoryMiB int
}

// Candidate is one memory size as [Recommend] scored it.
type Candidate struct {
	MemoryMiB     int     `json:"memoryMiB"`
	AvgDurationMs float64 `json:"avgDurationMs"`
	// BilledMs is the average duration rounded up to Lambda's 1 ms step.
	BilledMs float64 `json:"billedMs"`
	// DurationUSD is the duration cost of one invocation (what Power Tuning
	// calls averagePrice) and InvocationUSD adds the request charge.
	DurationUSD   float64 `json:"durationUSD"`
	InvocationUSD float64 `json:"invocationUSD"`
	// Score is what the strategy minimised (lower is better).
	Score float64 `json:"score"`
	// Excluded says why a constraint dropped this size; empty if eligible.
	Excluded string `json:"excluded,omitempty"`
}

// Recommendation is the memory size [Recommend] chose and the table it
// chose it from.
type Recommendation struct {
	Strategy       Strategy     `json:"strategy"`
	Arch           pricing.Arch `json:"architecture"`
	MemoryMiB      int          `json:"memoryMiB"`
	AvgDurationMs  float64      `json:"avgDurationMs"`
	InvocationUSD  float64      `json:"invocationUSD"`
	BalancedWeight float64      `json:"balancedWeight,omitempty"`
	// Candidates lists every memory size of the profile, ascending.
	Candidates []Candidate `json:"candidates"`
}

// Recommend chooses a memory size from a duration-by-memory profile with
// the same rules as AWS Lambda Power Tuning's analyzer: the cheapest
// ("cost"), the fastest ("speed"), or the lowest weighted sum of cost and
// duration, each divided by its maximum over the profile ("balanced").
//
// Unlike Power Tuning, costs are recomputed from the price table for the
// chosen architecture, so a profile measured on x86_64 can be priced for
// arm64 (durations are taken as measured).
func Recommend(p Profile, s Strategy, o Options) (Recommendation, error) {
	if _, err := ParseStrategy(string(s)); err != nil {
		return Recommendation{}, err
	}
	if err := p.Validate(); err != nil {
		return Recommendation{}, err
	}
	w := o.BalancedWeight
	if w == 0 {
		w = DefaultBalancedWeight
	}
	if w < 0 || w > 1 || math.IsNaN(w) {
		return Recommendation{}, fmt.Errorf("balanced weight: %g is outside 0 to 1", o.BalancedWeight)
	}
	if o.MinMemoryMiB > limits.LambdaMaxMemoryMiB {
		return Recommendation{}, fmt.Errorf("min memory: %d MB exceeds Lambda's %d MB", o.MinMemoryMiB, limits.LambdaMaxMemoryMiB)
	}
	arch := o.Arch
	if arch == "" {
		arch = pricing.X86_64
	}
	prices := pricing.Default().Lambda
	if o.Prices != nil {
		prices = *o.Prices
	}

	cands := make([]Candidate, len(p.Points))
	var maxCost, maxDur float64
	for i, pt := range p.Points {
		c := candidate(pt, arch, prices)
		switch {
		case pt.AvgDurationMs > float64(limits.LambdaMaxTimeout.Milliseconds()):
			// A hard limit: the invocation would time out, whatever it costs.
			c.Excluded = fmt.Sprintf("over Lambda's %d ms maximum duration", limits.LambdaMaxTimeout.Milliseconds())
		case o.MinMemoryMiB > 0 && pt.MemoryMiB < o.MinMemoryMiB:
			c.Excluded = fmt.Sprintf("below the %d MB minimum", o.MinMemoryMiB)
		case o.MaxAvgDurationMs > 0 && pt.AvgDurationMs > o.MaxAvgDurationMs:
			c.Excluded = fmt.Sprintf("slower than %g ms", o.MaxAvgDurationMs)
		default:
			maxCost = math.Max(maxCost, c.DurationUSD)
			maxDur = math.Max(maxDur, c.AvgDurationMs)
		}
		cands[i] = c
	}

	best := -1
	for i := range cands {
		c := &cands[i]
		if c.Excluded != "" {
			continue
		}
		switch s {
		case StrategyCost:
			c.Score = c.DurationUSD
		case StrategySpeed:
			c.Score = c.AvgDurationMs
		case StrategyBalanced:
			c.Score = w*c.DurationUSD/maxCost + (1-w)*c.AvgDurationMs/maxDur
		}
		if best < 0 || better(s, *c, cands[best]) {
			best = i
		}
	}
	if best < 0 {
		// One clause per reason, naming the sizes it excluded.
		var reasons []string
		sizes := map[string][]string{}
		for _, c := range cands {
			if _, seen := sizes[c.Excluded]; !seen {
				reasons = append(reasons, c.Excluded)
			}
			sizes[c.Excluded] = append(sizes[c.Excluded], fmt.Sprint(c.MemoryMiB))
		}
		var why []string
		for _, r := range reasons {
			why = append(why, fmt.Sprintf("%s MB %s", strings.Join(sizes[r], ", "), r))
		}
		return Recommendation{}, errors.New("no memory size of the profile meets the constraints: " + strings.Join(why, "; "))
	}
	b := cands[best]
	r := Recommendation{
		Strategy: s, Arch: arch, MemoryMiB: b.MemoryMiB, AvgDurationMs: b.AvgDurationMs,
		InvocationUSD: b.InvocationUSD, Candidates: cands,
	}
	if s == StrategyBalanced {
		r.BalancedWeight = w
	}
	return r, nil
}

// better breaks ties as Power Tuning does: equal cost goes to the faster,
// equal speed to the cheaper, and anything still equal to the smaller size
// (candidates arrive in ascending memory, so the first stays).
func better(s Strategy, a, b Candidate) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	switch s {
	case StrategyCost:
		return a.AvgDurationMs < b.AvgDurationMs
	case StrategySpeed:
		return a.DurationUSD < b.DurationUSD
	}
	return false
}

func candidate(pt Point, arch pricing.Arch, prices pricing.Lambda) Candidate {
	step := prices.BillingGranularityMs
	if step <= 0 {
		step = 1
	}
	billed := math.Ceil(pt.AvgDurationMs/step) * step
	dur := billed / 1000 * float64(pt.MemoryMiB) / pricing.MiBPerGiB * prices.DurationPerGBSecond(arch)
	return Candidate{
		MemoryMiB: pt.MemoryMiB, AvgDurationMs: pt.AvgDurationMs, BilledMs: billed,
		DurationUSD: dur, InvocationUSD: dur + prices.PerRequest(),
	}
}
