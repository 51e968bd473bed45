package sizing_test

import (
	"fmt"
	"time"

	"github.com/costguard-ml/costguard/cost/sizing"
)

// Choose the memory of a function from a simple duration-by-memory map.
func ExampleRecommend() {
	p, err := sizing.ParseProfile([]byte(`{"128": 1000, "256": 500, "512": 260, "1024": 140, "2048": 100}`))
	if err != nil {
		panic(err)
	}
	for _, s := range sizing.Strategies {
		r, err := sizing.Recommend(p, s, sizing.Options{})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-8s %5d MB  %4.0f ms  $%.10f per invocation\n", s, r.MemoryMiB, r.AvgDurationMs, r.InvocationUSD)
	}
	// Output:
	// cost       256 MB   500 ms  $0.0000022833 per invocation
	// speed     2048 MB   100 ms  $0.0000035333 per invocation
	// balanced  1024 MB   140 ms  $0.0000025333 per invocation
}

// Estimate durations from CPU time measured on a laptop, then right-size.
func ExampleAnalyticProfile() {
	p, err := sizing.AnalyticProfile(sizing.CPUWork{CPUMs: 300, WaitMs: 20}, []int{512, 1024, 1769, 3008})
	if err != nil {
		panic(err)
	}
	for _, pt := range p.Points {
		fmt.Printf("%5d MB  %6.1f ms\n", pt.MemoryMiB, pt.AvgDurationMs)
	}
	// Output:
	//   512 MB  1056.5 ms
	//  1024 MB   538.3 ms
	//  1769 MB   320.0 ms
	//  3008 MB   320.0 ms
}

// The timeout of a function behind a REST API (29 s integration timeout).
func ExampleRightSizeTimeout() {
	t, err := sizing.RightSizeTimeout(sizing.LatencyProfile{P99: 2 * time.Second, Init: 700 * time.Millisecond}, 29*time.Second)
	fmt.Println(t, err)
	// Output: 5s <nil>
}
