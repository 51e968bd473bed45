package imageproc

import "math"

// The resampler reproduces Pillow's Image.resize(size, Image.BILINEAR)
// (libImaging/Resample.c), which torchvision's Resize applies to PIL images:
// a separable triangle filter whose support widens with the shrink factor
// (antialiasing), coefficients normalized per output pixel and rounded to
// 22-bit fixed point, a horizontal pass rounded to 8 bits, then a vertical
// pass. Integer arithmetic makes the result bit-exact with Pillow's on the
// same RGB input.

// precisionBits is Pillow's PRECISION_BITS for 8-bit images: 32 - 8 - 2.
const precisionBits = 32 - 8 - 2

// taps holds the filter of count consecutive output pixels
// [start, start+count) of a resize from inSize to outSize along one axis:
// output pixel i reads n[i] input pixels from first[i] on, weighted by
// k[i*ksize : i*ksize+n[i]].
type taps struct {
	ksize    int
	first, n []int
	k        []int32
	w        []float64 // scratch: one output pixel's weights before normalizing
}

// compute fills t, reusing its slices. It mirrors precompute_coeffs and
// normalize_coeffs_8bpc, with the box fixed to the whole input.
func (t *taps) compute(inSize, outSize, start, count int) {
	scale := float64(inSize) / float64(outSize)
	filterscale := max(scale, 1)
	support := filterscale // bilinear support 1.0, widened when shrinking
	t.ksize = int(math.Ceil(support))*2 + 1
	t.first = grow(t.first, count)
	t.n = grow(t.n, count)
	t.k = grow(t.k, count*t.ksize)
	wk := t.w[:0]
	for i := range count {
		center := (float64(start+i) + 0.5) * scale
		ss := 1 / filterscale
		// int() truncates toward zero like C's (int) cast.
		xmin := max(int(center-support+0.5), 0)
		xmax := min(int(center+support+0.5), inSize) - xmin
		if xmax < 0 {
			xmax = 0
		}
		wk = wk[:0]
		ww := 0.0
		for x := range xmax {
			v := triangle((float64(x+xmin) - center + 0.5) * ss)
			wk = append(wk, v)
			ww += v
		}
		k := t.k[i*t.ksize : (i+1)*t.ksize]
		for x := range k {
			var v float64
			if x < xmax {
				v = wk[x]
				if ww != 0 {
					v /= ww
				}
			}
			if v < 0 {
				k[x] = int32(-0.5 + v*(1<<precisionBits))
			} else {
				k[x] = int32(0.5 + v*(1<<precisionBits))
			}
		}
		t.first[i], t.n[i] = xmin, xmax
	}
	t.w = wk
}

func triangle(x float64) float64 {
	if x < 0 {
		x = -x
	}
	if x < 1 {
		return 1 - x
	}
	return 0
}

// clip8 is Pillow's clip8: the fixed-point sum shifted down and clamped.
func clip8(v int32) uint8 {
	v >>= precisionBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// horizontal resamples one RGB row: src holds input pixels from t.first[0]
// on, dst receives len(t.n) output pixels.
func (t *taps) horizontal(dst, src []uint8) {
	base := t.first[0]
	for i, n := range t.n {
		k := t.k[i*t.ksize : i*t.ksize+n]
		p := src[3*(t.first[i]-base):]
		p = p[:3*n]
		ss0, ss1, ss2 := int32(1<<(precisionBits-1)), int32(1<<(precisionBits-1)), int32(1<<(precisionBits-1))
		for x, kv := range k {
			q := p[3*x : 3*x+3 : 3*x+3]
			ss0 += int32(q[0]) * kv
			ss1 += int32(q[1]) * kv
			ss2 += int32(q[2]) * kv
		}
		d := dst[3*i : 3*i+3 : 3*i+3]
		d[0], d[1], d[2] = clip8(ss0), clip8(ss1), clip8(ss2)
	}
}

// span is the range of input pixels [lo, hi) the taps read.
func (t *taps) span() (lo, hi int) {
	last := len(t.n) - 1
	return t.first[0], t.first[last] + t.n[last]
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
