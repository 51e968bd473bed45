package pricing_test

import (
	"fmt"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// The per-unit prices a CloudWatch metric-math alarm multiplies by.
func Example() {
	p, err := pricing.ForRegion("us-east-1")
	if err != nil {
		panic(err)
	}
	fmt.Printf("per request:         %.7f\n", p.Lambda.PerRequest())
	fmt.Printf("per GB-s (arm64):    %.10f\n", p.Lambda.DurationPerGBSecond(pricing.ARM64))
	fmt.Printf("PC per GB-s (x86):   %.10f\n", p.Lambda.ProvisionedPerGBSecond(pricing.X86_64))
	fmt.Printf("REST per request:    %.7f\n", p.APIGateway.RESTPerRequest())
	fmt.Printf("alarm metric/month:  %.2f\n", p.CloudWatch.AlarmMetricMonth)
	// Output:
	// per request:         0.0000002
	// per GB-s (arm64):    0.0000133334
	// PC per GB-s (x86):   0.0000041667
	// REST per request:    0.0000035
	// alarm metric/month:  0.10
}

// A month of 5 million REST API requests, AWS's own example.
func ExampleTiered_Cost() {
	rest := pricing.Default().APIGateway.REST
	fmt.Printf("$%.2f\n", pricing.RoundCents(rest.Cost(5e6)))
	// Output: $17.50
}

// One always-on Fargate task of 1 vCPU and 2 GB, for a month.
func ExampleFargate_TaskHour() {
	f := pricing.Default().Fargate
	fmt.Printf("$%.2f\n", pricing.RoundCents(f.TaskHour(pricing.X86_64, 1024, 2048)*pricing.HoursPerMonth))
	// Output: $36.04
}
