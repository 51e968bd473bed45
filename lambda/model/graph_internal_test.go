package model

import (
	"slices"
	"testing"

	"github.com/advancedclimatesystems/gonnx/ops/opset13"
)

// TestGonnxOps: the operator list CheckEngine holds for gonnx is gonnx's
// own, so that the native build can check a model for gonnx without
// linking it.
func TestGonnxOps(t *testing.T) {
	want := opset13.GetOpNames()
	slices.Sort(want)
	got := slices.Sorted(slices.Values(gonnxOps))
	if !slices.Equal(got, want) {
		t.Errorf("gonnxOps = %q\ngonnx's opset 13 = %q", got, want)
	}
}
