//go:build !linux

package gonnxengine

// floatArena is a Linux-only optimisation (see arena_linux.go); elsewhere
// the weights live on the Go heap.
type floatArena struct{}

func newFloatArena(int) *floatArena { return nil }

func (a *floatArena) floats(n int) []float32 { return make([]float32, n) }

func (a *floatArena) contains(*float32) bool { return false }

func (a *floatArena) release() {}
