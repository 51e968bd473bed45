package caps_test

import (
	"fmt"

	"github.com/costguard-ml/costguard/cost/caps"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/cost/workload"
)

// The dev stage's caps: a $10 budget, 512 MB on arm64 behind a REST API,
// 40 ms a request on average and 250 ms at p99.
func ExampleCompute() {
	rates, err := spend.RatesFor(pricing.Default(), workload.ArchARM64, workload.FrontDoorREST)
	if err != nil {
		panic(err)
	}
	c, err := caps.Compute(caps.Inputs{
		MonthlyBudgetUSD: 10,
		Model:            spend.Model{Rates: rates, MemoryMiB: 512, HasAPI: true},
		AvgDurationMs:    40,
		P99DurationMs:    250,
	})
	if err != nil {
		panic(err)
	}
	for _, l := range c.Lines() {
		fmt.Println(l)
	}
	// Output:
	// cost per request      $0.000003967
	// fixed monthly cost    $0.00
	// usage-plan quota      2521007 requests/month
	// stage throttle        9.72 req/s, burst 20
	// reserved concurrency  3
}
