package pricing

import (
	"fmt"
	"math"
)

// HoursPerMonth is the month length AWS uses in its pricing examples.
const HoursPerMonth = 730

// SecondsPerMonth is [HoursPerMonth] in seconds.
const SecondsPerMonth = HoursPerMonth * 3600

// MiBPerGiB converts the MiB that CloudFormation configures to the GB that
// AWS bills (AWS divides MB by 1,024 in its examples).
const MiBPerGiB = 1024

// Source says where a price table was read and when.
type Source struct {
	URL  string `json:"url"`
	Read string `json:"read"` // YYYY-MM-DD
}

// String formats s for a table footnote.
func (s Source) String() string { return s.URL + " (read " + s.Read + ")" }

// Tier is one step of a tiered price: the next Size units cost Price each.
// Size 0 means "every unit beyond the previous tiers".
type Tier struct {
	Size  float64 `json:"size,omitempty"`
	Price float64 `json:"price"`
}

// Tiered is a price that falls with monthly volume. The last tier is
// unbounded whatever its Size.
type Tiered []Tier

// TierUse is the part of a quantity that fell in one tier.
type TierUse struct {
	Index    int     // tier index, 0 for the first
	Quantity float64 // units billed in this tier
	Price    float64 // price per unit in this tier
}

// USD is the unrounded charge for the units in this tier.
func (u TierUse) USD() float64 { return u.Quantity * u.Price }

// Split divides q units among the tiers, skipping the first skip units
// (units already billed elsewhere this month, such as another function's
// usage); it returns only the tiers that received units.
func (t Tiered) Split(q, skip float64) []TierUse {
	if q <= 0 || len(t) == 0 {
		return nil
	}
	var uses []TierUse
	lo := 0.0 // cumulative start of the tier
	start, end := skip, skip+q
	for i, tier := range t {
		hi := math.Inf(1)
		if tier.Size > 0 && i < len(t)-1 {
			hi = lo + tier.Size
		}
		a, b := math.Max(lo, start), math.Min(hi, end)
		if b > a {
			uses = append(uses, TierUse{Index: i, Quantity: b - a, Price: tier.Price})
		}
		if end <= hi {
			break
		}
		lo = hi
	}
	return uses
}

// Cost is the unrounded charge for q units in a month.
func (t Tiered) Cost(q float64) float64 {
	var usd float64
	for _, u := range t.Split(q, 0) {
		usd += u.USD()
	}
	return usd
}

// First is the price of the first tier: the marginal price for a small
// account, which is what a budget alarm should assume.
func (t Tiered) First() float64 {
	if len(t) == 0 {
		return 0
	}
	return t[0].Price
}

// Bounds returns the cumulative upper bound of every tier but the last.
func (t Tiered) Bounds() []float64 {
	var b []float64
	sum := 0.0
	for i, tier := range t {
		if i == len(t)-1 {
			break
		}
		sum += tier.Size
		b = append(b, sum)
	}
	return b
}

// Arch is a CPU architecture as AWS Lambda spells it.
type Arch string

// The architectures priced.
const (
	X86_64 Arch = "x86_64"
	ARM64  Arch = "arm64"
)

// ParseArch accepts the architecture spellings people type.
func ParseArch(s string) (Arch, error) {
	switch s {
	case "x86_64", "x86", "amd64", "":
		return X86_64, nil
	case "arm64", "arm", "aarch64", "graviton":
		return ARM64, nil
	}
	return "", fmt.Errorf("architecture %q is not one of x86_64, arm64", s)
}

// PerArch is a price per architecture.
type PerArch[T any] struct {
	X86_64 T `json:"x86_64"`
	ARM64  T `json:"arm64"`
}

// For returns the price for a; anything but arm64 is x86_64, the default
// architecture of Lambda and Fargate.
func (p PerArch[T]) For(a Arch) T {
	if a == ARM64 {
		return p.ARM64
	}
	return p.X86_64
}

// RoundCents rounds a dollar amount to the cent, halves away from zero, as
// AWS rounds each line of its pricing examples. The amount is first rounded
// to a millionth of a cent so that binary noise (2.7349999…) cannot flip it.
func RoundCents(usd float64) float64 {
	return math.Round(math.Round(usd*1e8)/1e6) / 100
}
