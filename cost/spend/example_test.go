package spend_test

import (
	"fmt"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/spend"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/metricmath"
)

// The dev stage's dollar expression, and what it projects for a five-minute
// period of 600 requests of 40 ms (a flood at the stage's 2 req/s throttle).
func ExampleModel_ProjectedMonthlyExpression() {
	rates, err := spend.RatesFor(pricing.Default(), workload.ArchARM64, workload.FrontDoorREST)
	if err != nil {
		panic(err)
	}
	m := spend.Model{Rates: rates, MemoryMiB: 512, HasAPI: true}
	expr := m.ProjectedMonthlyExpression()
	fmt.Println(expr)
	usd, _, err := metricmath.Eval(expr, map[string]float64{spend.IDInvocations: 600, spend.IDDuration: 600 * 40, spend.IDRequests: 600})
	if err != nil {
		panic(err)
	}
	fmt.Printf("$%.2f a month\n", usd)
	// Output:
	// ((FILL(inv, 0) * 0.0000002 + FILL(dur, 0) * 0.0000000066667 + FILL(req, 0) * 0.0000035) * 12) * 730
	// $20.85 a month
}
