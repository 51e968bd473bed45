package gonnxengine

import (
	"syscall"
	"unsafe"
)

const (
	hugePage = 2 << 20
	// arenaMin is the smallest model file worth a huge page for its
	// weights: below it the 2 MiB page costs more memory than its faults
	// cost time.
	arenaMin = 256 << 10
)

// floatArena holds the weights of one model in an anonymous mapping advised
// to use transparent huge pages (madvise(MADV_HUGEPAGE)).
//
// Why: in a fresh process every 4 KiB page of a new heap buffer is a page
// fault on first touch, ~15 µs each on the build machine's virtual machine,
// so copying 0.5 MB of weights onto the Go heap costs ~2 ms of a cold start.
// One huge page is one fault. Where transparent huge pages are off the
// mapping behaves like ordinary memory, at the same cost as the heap.
//
// The arena is not Go heap: the GC neither scans nor frees it. It is
// unmapped by a cleanup once the engine that uses it is unreachable.
type floatArena struct {
	mem  []byte
	used int
}

// newFloatArena returns an arena for up to size bytes of floats, or nil
// when size is small or the mapping fails (the caller then uses the heap).
func newFloatArena(size int) *floatArena {
	if size < arenaMin {
		return nil
	}
	size = (size + hugePage - 1) &^ (hugePage - 1)
	// Map one extra huge page so the arena can start on a huge-page
	// boundary; the untouched slack costs address space only.
	mem, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil
	}
	off := int(-uintptr(unsafe.Pointer(unsafe.SliceData(mem))) & (hugePage - 1))
	// Advice only: an error (THP compiled out) leaves ordinary pages.
	_ = syscall.Madvise(mem[off:off+size], syscall.MADV_HUGEPAGE)
	return &floatArena{mem: mem, used: off}
}

// floats returns n zeroed float32s from the arena, or from the heap when
// the arena is full.
func (a *floatArena) floats(n int) []float32 {
	const align = 64
	start := (a.used + align - 1) &^ (align - 1)
	if n <= 0 || start+4*n > len(a.mem) {
		return make([]float32, n)
	}
	a.used = start + 4*n
	return unsafe.Slice((*float32)(unsafe.Pointer(&a.mem[start])), n)[:n:n]
}

// contains reports whether p points into the arena.
func (a *floatArena) contains(p *float32) bool {
	base := uintptr(unsafe.Pointer(unsafe.SliceData(a.mem)))
	u := uintptr(unsafe.Pointer(p))
	return u >= base && u < base+uintptr(len(a.mem))
}

// release unmaps the arena; nothing may use its floats afterwards.
func (a *floatArena) release() { _ = syscall.Munmap(a.mem) }
