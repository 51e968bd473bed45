package estimate_test

import (
	"fmt"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// AWS's first Lambda pricing example: 3 million requests a month of 120 ms
// at 1,536 MB on x86_64, with the free tier.
func ExampleEstimateLambda() {
	e, err := estimate.EstimateLambda(estimate.Lambda{
		Requests: 3_000_000, DurationMs: 120, MemoryMiB: 1536, FreeTier: true,
	}, pricing.Default())
	if err != nil {
		panic(err)
	}
	for _, l := range e.Lines {
		fmt.Printf("%-24s %12.0f %-8s $%6.2f\n", l.Item, l.Quantity, l.Unit, l.USD)
	}
	fmt.Printf("%-46s $%6.2f\n", "total", e.TotalUSD)
	// Output:
	// Lambda compute (x86_64)        140000 GB-s     $  2.33
	// Lambda requests               2000000 requests $  0.40
	// total                                          $  2.73
}
