package report

import (
	"testing"

	"github.com/costguard-ml/costguard/cost/assembly"
)

// BenchmarkBuild prices the fixture assembly (make synth runs this once
// per stage set; it should stay well under the time of a synth).
func BenchmarkBuild(b *testing.B) {
	stacks, err := assembly.Read("testdata/old")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Build(stacks, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
