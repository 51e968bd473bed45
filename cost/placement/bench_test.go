package placement

import (
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// BenchmarkPlace includes the break-even search, which prices two tiers
// at about eighty traffic levels.
func BenchmarkPlace(b *testing.B) {
	p := pricing.Default()
	for b.Loop() {
		if _, err := Place(tinyText, p); err != nil {
			b.Fatal(err)
		}
	}
}
