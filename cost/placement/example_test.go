package placement_test

import (
	"fmt"

	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// A GPU model cannot run on Lambda, Fargate or SageMaker serverless.
func ExamplePlace() {
	d, err := placement.Place(placement.Model{
		PeakMemoryMB: 6000, P99Ms: 800, AvgMs: 300, GPU: true, RequestsPerMonth: 2e6,
	}, pricing.Default())
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Tier)
	for _, r := range d.Reasons[1:] {
		fmt.Println(r)
	}
	// Output:
	// sagemaker-realtime
	// not lambda: needs a GPU; Lambda has none
	// not fargate: needs a GPU; Fargate has none
	// not sagemaker-serverless: needs a GPU; SageMaker serverless has none; needs 7500 MB, over SageMaker serverless's 6144 MB
	// sagemaker-async sized: scales in to 0 instances only after 5 idle minutes; at 2M requests a month a request arrives within them with probability 100.0%, so it bills 730 instance-hours (an always-on instance: 730)
}
