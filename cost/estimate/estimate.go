package estimate

import (
	"fmt"
	"math"
	"strconv"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// Line is one charge of an estimate.
type Line struct {
	Item     string  `json:"item"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	// USD is the charge rounded to the cent.
	USD float64 `json:"usd"`
}

// Estimate is an itemised monthly bill.
type Estimate struct {
	// TotalUSD is the sum of the rounded lines.
	TotalUSD float64 `json:"total_usd"`
	Lines    []Line  `json:"lines"`
	// Notes state the assumptions the lines rest on.
	Notes []string `json:"notes,omitempty"`
}

// add appends a line for quantity units at an unrounded charge of usd.
func (e *Estimate) add(item string, quantity float64, unit string, usd float64) {
	e.Lines = append(e.Lines, Line{Item: item, Quantity: quantity, Unit: unit, USD: pricing.RoundCents(usd)})
}

func (e *Estimate) note(format string, args ...any) {
	e.Notes = append(e.Notes, fmt.Sprintf(format, args...))
}

// total recomputes TotalUSD from the lines.
func (e *Estimate) total() {
	var t float64
	for _, l := range e.Lines {
		t += l.USD
	}
	e.TotalUSD = pricing.RoundCents(t)
}

// Merge appends other's lines and notes to e and recomputes the total.
func (e *Estimate) Merge(other Estimate) {
	e.Lines = append(e.Lines, other.Lines...)
	e.Notes = append(e.Notes, other.Notes...)
	e.total()
}

// Line returns the first line whose item is item, and whether there is one.
func (e Estimate) Line(item string) (Line, bool) {
	for _, l := range e.Lines {
		if l.Item == item {
			return l, true
		}
	}
	return Line{}, false
}

// tierLabel names tier i of a tiered price in an item: nothing for the
// first tier, so the common case reads plainly.
func tierLabel(i int) string {
	if i == 0 {
		return ""
	}
	return fmt.Sprintf(", tier %d", i+1)
}

// ceilStep rounds v up to a multiple of step.
func ceilStep(v, step float64) float64 {
	if step <= 0 {
		return v
	}
	// Snap first so 120.0000000001 from float arithmetic is still 120.
	q := v / step
	if r := math.Round(q); math.Abs(q-r) < 1e-9 {
		return r * step
	}
	return math.Ceil(q) * step
}

// plain formats v without an exponent, as a user types it.
func plain(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
