package imageproc

import "math"

// The resampler reproduces Pillow's Image.resize(size, Image.BILINEAR)
// (libImaging/Resample.c), which torchvision's Resize applies to PIL images:
// a separable triangle filter whose support widens with the shrink factor
// (antialiasing), coefficients normalized per output pixel and rounded to
// 22-bit fixed point, a horizontal pass rounded to 8 bits, then a vertical
// pass. Integer arithmetic makes the result bit-exact with Pillow's on the
// same RGB input.
//
// The triangle's weights are never negative, so every sum is unsigned and
// small: a weight is at most 2^22, one output's weights add up to at most
// 2^22 + n/2 (n ≤ 65535 taps, each rounded up by at most 1/2), and a sum
// of 8-bit values so weighted, rounding term included, stays below 2^31.
// Two such sums fit in one uint64, in its low and high 32 bits (lanes):
// multiplied by one weight and added up, each lane holds its own sum and
// neither carries into the other. Both passes work on lanes, so one
// multiplication weighs two values. The horizontal pass also resizes two
// rows at a time (same taps, fewer loads of them), and a filter is
// computed again only when the sizes change. resample_ref_test.go keeps
// the straightforward port that the tests and FuzzResize compare this one
// with.

// precisionBits is Pillow's PRECISION_BITS for 8-bit images: 32 - 8 - 2.
const precisionBits = 32 - 8 - 2

// half is the rounding term every fixed-point sum starts from.
const half = 1 << (precisionBits - 1)

// taps holds the filter of count consecutive output pixels
// [start, start+count) of a resize from inSize to outSize along one axis:
// output pixel i reads n[i] input pixels from first[i] on, weighted by
// k[i*ksize : i*ksize+n[i]]. open is the largest number of output pixels
// whose inputs include one same input pixel. clip says whether a sum can
// reach 256 once shifted down, so that clip8 must clamp it (see byteLanes).
type taps struct {
	key         tapsKey // the filter the slices hold
	ksize, open int
	clip        bool
	first, n    []int
	k           []uint32
	w           []float64 // scratch: one output pixel's weights before normalizing
}

// tapsKey is what a filter depends on. A server sees the same image and
// model sizes again and again, so each pooled work keeps the last filter
// of each axis and computes it again only when the key changes. count is
// at least 1, so the zero key never matches.
type tapsKey struct{ inSize, outSize, start, count int }

// compute fills t, reusing its slices, unless it already holds this
// filter. It mirrors precompute_coeffs and normalize_coeffs_8bpc, with the
// box fixed to the whole input.
func (t *taps) compute(inSize, outSize, start, count int) {
	key := tapsKey{inSize, outSize, start, count}
	if t.key == key {
		return
	}
	scale := float64(inSize) / float64(outSize)
	filterscale := max(scale, 1)
	support := filterscale // bilinear support 1.0, widened when shrinking
	t.ksize = int(math.Ceil(support))*2 + 1
	t.clip = t.ksize >= maxUnclipped
	t.first = grow(t.first, count)
	t.n = grow(t.n, count)
	t.k = grow(t.k, count*t.ksize)
	wk := t.w[:0]
	for i := range count {
		center := (float64(start+i) + 0.5) * scale
		ss := 1 / filterscale
		// int() truncates toward zero like C's (int) cast.
		xmin := max(int(center-support+0.5), 0)
		xmax := max(min(int(center+support+0.5), inSize)-xmin, 0)
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
			k[x] = uint32(0.5 + v*(1<<precisionBits))
		}
		t.first[i], t.n[i] = xmin, xmax
	}
	// Both ends of the input ranges grow with i: when output pixel i's
	// range ends, the ranges of i up to j-1 hold its last pixel.
	t.open = 0
	for i, j := 0, 0; i < count; i++ {
		for j < count && t.first[j] < t.first[i]+t.n[i] {
			j++
		}
		t.open = max(t.open, j-i)
	}
	t.w = wk
	t.key = key
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

// clip8 is Pillow's clip8 for a sum that cannot be negative: shifted down
// and clamped to 255.
func clip8(v uint32) uint8 {
	return uint8(min(v>>precisionBits, 255))
}

// pixels holds RGB pixels for the passes below: pixel x's red and blue in
// the lanes of rb[x], its green in g[x]. A tap then costs two
// multiplications instead of three, and the passes never go back to bytes.
// Depending on the pass the values are 8-bit or fixed-point sums.
type pixels struct {
	rb []uint64
	g  []uint32
}

// resize makes room for n pixels, keeping the buffers.
func (p *pixels) resize(n int) {
	p.rb = grow(p.rb, n)
	p.g = grow(p.g, n)
}

// load fills the first len(rgb)/3 pixels from RGB bytes.
func (p *pixels) load(rgb []uint8) {
	rb, g := p.rb[:len(rgb)/3], p.g[:len(rgb)/3]
	for x := range rb {
		q := rgb[3*x : 3*x+3 : 3*x+3]
		rb[x] = uint64(q[0]) | uint64(q[2])<<32
		g[x] = uint32(q[1])
	}
}

// rows returns the pixels [i*n, (i+1)*n), sharing the buffers.
func (p *pixels) rows(i, n int) pixels {
	return pixels{p.rb[i*n : (i+1)*n], p.g[i*n : (i+1)*n]}
}

// rowPair holds two input rows for the horizontal pass, which weighs both
// with the same taps, three uint64 per pixel x: red and blue of the first
// row in the lanes of px[3x], of the second row in px[3x+1], both rows'
// green in px[3x+2]. A tap then costs three multiplications for six
// values.
type rowPair struct {
	px []uint64
}

// resize makes room for n pixels, keeping the buffer.
func (p *rowPair) resize(n int) {
	p.px = grow(p.px, 3*n)
}

// load fills the first len(a)/3 pixels from the RGB bytes of two rows of
// the same length.
func (p *rowPair) load(a, b []uint8) {
	px := p.px[:len(a)]
	b = b[:len(a)]
	for x := 0; x+2 < len(px); x += 3 {
		q, r, d := a[x:x+3:x+3], b[x:x+3:x+3], px[x:x+3:x+3]
		d[0] = uint64(q[0]) | uint64(q[2])<<32
		d[1] = uint64(r[0]) | uint64(r[2])<<32
		d[2] = uint64(q[1]) | uint64(r[1])<<32
	}
}

// horizontal resamples the two rows of src, which hold input pixels from
// t.first[0] on, into the len(t.n) 8-bit pixels of dst[0] and dst[1].
func (t *taps) horizontal(dst *[2]pixels, src *rowPair) {
	first, kall := t.first, t.k
	base, ks := first[0], t.ksize
	n := len(first)
	drb0, dg0 := dst[0].rb[:n], dst[0].g[:n]
	drb1, dg1 := dst[1].rb[:n], dst[1].g[:n]
	for i, f := range first {
		rb0, rb1, g := dot(kall[i*ks:i*ks+t.n[i]], src.px[3*(f-base):])
		if t.clip {
			rb0, rb1, g = clipLanes(rb0), clipLanes(rb1), clipLanes(g)
		} else {
			rb0, rb1, g = byteLanes(rb0), byteLanes(rb1), byteLanes(g)
		}
		drb0[i], drb1[i] = rb0, rb1
		dg0[i], dg1[i] = uint32(g), uint32(g>>32)
	}
}

// dot returns the sums of px's three columns weighted by k.
func dot(k []uint32, px []uint64) (rb0, rb1, g uint64) {
	rb0, rb1, g = laneHalf, laneHalf, laneHalf
	px = px[:3*len(k)]
	for x, kv := range k {
		q := px[3*x : 3*x+3 : 3*x+3]
		rb0 += q[0] * uint64(kv)
		rb1 += q[1] * uint64(kv)
		g += q[2] * uint64(kv)
	}
	return rb0, rb1, g
}

// clipLanes applies clip8 to both lanes of v.
func clipLanes(v uint64) uint64 {
	return uint64(clip8(uint32(v))) | uint64(clip8(uint32(v>>32)))<<32
}

// maxUnclipped bounds the taps for which byteLanes is clip8: a sum is at
// most 2^21 + 255·(2^22 + n/2), which stays under 256·2^22 while n, the
// number of taps, is under 16,448. Only a shrink by more than 8,000 times
// has more.
const maxUnclipped = 16_448

// byteLanes is clipLanes for sums that cannot reach 256·2^22: both lanes
// shifted down at once.
func byteLanes(v uint64) uint64 {
	return v >> precisionBits & (0xff | 0xff<<32)
}

// vertical adds the 8-bit pixels of row, weighted by kv, to the sums in
// acc; start sets the sums to the rounding term first.
func vertical(acc, row pixels, kv uint32, start bool) {
	arb, ag := acc.rb[:len(row.rb)], acc.g[:len(row.g)]
	if start {
		for x, v := range row.rb {
			arb[x] = laneHalf + v*uint64(kv)
		}
		for x, v := range row.g {
			ag[x] = half + v*kv
		}
		return
	}
	for x, v := range row.rb {
		arb[x] += v * uint64(kv)
	}
	for x, v := range row.g {
		ag[x] += v * kv
	}
}

// span is the range of input pixels [lo, hi) the taps read.
func (t *taps) span() (lo, hi int) {
	last := len(t.n) - 1
	return t.first[0], t.first[last] + t.n[last]
}

// laneHalf is the rounding term in both lanes.
const laneHalf = half | half<<32

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
