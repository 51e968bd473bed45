// Package guardmeta is the record the cost guard leaves in each stack's
// template, under [MetadataKey] in the template's Metadata section, so the
// costguard CLI can show the stage's caps and the guard's own monthly cost
// from a synthesized cloud assembly without importing the CDK.
package guardmeta

import (
	"fmt"

	"github.com/costguard-ml/costguard/cost/caps"
	"github.com/costguard-ml/costguard/cost/workload"
)

// MetadataKey is the template-level metadata key of a [Record].
const MetadataKey = "costguard:guard"

// Version is the record's schema version.
const Version = 1

// Record describes one stage's cost guard.
type Record struct {
	Version          int     `json:"version"`
	Stage            string  `json:"stage"`
	MonthlyBudgetUSD float64 `json:"monthlyBudgetUSD"`
	// SpendBurnRate and RunawayBurnRate are the dollar alarms' thresholds
	// as multiples of the budget.
	SpendBurnRate   float64 `json:"spendBurnRate"`
	RunawayBurnRate float64 `json:"runawayBurnRate"`
	KillSwitch      bool    `json:"killSwitch"`
	// StateParameter is where the kill switch records what it stopped.
	StateParameter string `json:"stateParameter,omitempty"`
	Alarms         int    `json:"alarms"`
	// AlarmMetrics is how many metrics the alarms query, the unit
	// CloudWatch bills alarms by.
	AlarmMetrics int  `json:"alarmMetrics"`
	Dashboard    bool `json:"dashboard"`
	// OwnCost itemises the guard's own monthly cost; OwnMonthlyUSD sums it.
	OwnCost       []Line  `json:"ownCost"`
	OwnMonthlyUSD float64 `json:"ownMonthlyUSD"`
	// Caps are the static caps the budget pays for at the stage's expected
	// duration; nil when the stage has no expected duration.
	Caps *caps.Caps `json:"caps,omitempty"`
	// CapsDerived names the caps the stack took from Caps because the
	// stage left them at zero (CapQuota, CapRate, CapBurst, CapReserved);
	// the others the stage set itself.
	CapsDerived []string `json:"capsDerived,omitempty"`
	// NoCaps says why Caps is nil: the tier is not Lambda, the workload
	// has no expected duration, or the budget does not cover the fixed
	// costs.
	NoCaps string `json:"noCaps,omitempty"`
}

// The caps' names in CapsDerived.
const (
	CapQuota    = "monthlyQuota"
	CapRate     = "rateLimit"
	CapBurst    = "burstLimit"
	CapReserved = "reservedConcurrency"
)

// CapNames lists the caps' names in the order the report shows them.
var CapNames = []string{CapQuota, CapRate, CapBurst, CapReserved}

// Line is one item of the guard's own cost.
type Line struct {
	Item string  `json:"item"`
	USD  float64 `json:"usd"`
	// Unpriced is set when cost/pricing has no price for the item.
	Unpriced bool `json:"unpriced,omitempty"`
}

// Map returns r as a generic JSON object, the form CDK metadata takes,
// its fractional numbers written as decimal strings (workload.MetadataMap:
// linters reject fractional numbers in template-level Metadata).
func (r Record) Map() map[string]any { return workload.MetadataMap(r) }

// Parse decodes a record from its metadata value (a decoded JSON object or
// raw JSON).
func Parse(v any) (Record, error) {
	var r Record
	if err := workload.DecodeMetadata(v, &r, workload.MetadataTextFields...); err != nil {
		return Record{}, fmt.Errorf("guard metadata: %w", err)
	}
	if r.Version < 1 || r.Version > Version {
		return Record{}, fmt.Errorf("guard metadata version: %d is not supported (want 1 to %d)", r.Version, Version)
	}
	return r, nil
}
