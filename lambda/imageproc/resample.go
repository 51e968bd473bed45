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
// multiplication weighs two values. The horizontal pass also resizes four
// rows at a time (same taps, fewer loads of them); the vertical pass keeps
// the sums of the output rows still open in a ring and normalizes each
// row as soon as it is complete; a filter is computed again only when the
// sizes change. resample_ref_test.go keeps the straightforward port that
// the tests and FuzzResize compare this one with.

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

// group is the number of input rows the horizontal pass resamples at
// once: they share the taps, so each weight is loaded once for all.
const group = 4

// rowGroup holds group input rows for the horizontal pass, six uint64 per
// pixel x: red and blue of row r in the lanes of px[6x+r], the green of
// rows 0 and 1 in px[6x+4], of rows 2 and 3 in px[6x+5]. A tap then costs
// six multiplications for twelve values.
type rowGroup struct {
	px []uint64
}

// resize makes room for n pixels, keeping the buffer.
func (p *rowGroup) resize(n int) {
	p.px = grow(p.px, 6*n)
}

// load fills the first len(rows[0])/3 pixels from the RGB bytes of group
// rows of the same length.
func (p *rowGroup) load(rows *[group][]uint8) {
	n := len(rows[0]) / 3
	r0, r1, r2, r3 := rows[0][:3*n], rows[1][:3*n], rows[2][:3*n], rows[3][:3*n]
	px := p.px[:6*n]
	for x := range n {
		a, b, c, d := r0[3*x:3*x+3:3*x+3], r1[3*x:3*x+3:3*x+3], r2[3*x:3*x+3:3*x+3], r3[3*x:3*x+3:3*x+3]
		q := px[6*x : 6*x+6 : 6*x+6]
		q[0] = uint64(a[0]) | uint64(a[2])<<32
		q[1] = uint64(b[0]) | uint64(b[2])<<32
		q[2] = uint64(c[0]) | uint64(c[2])<<32
		q[3] = uint64(d[0]) | uint64(d[2])<<32
		q[4] = uint64(a[1]) | uint64(b[1])<<32
		q[5] = uint64(c[1]) | uint64(d[1])<<32
	}
}

// horizontal resamples the rows of src, which hold input pixels from
// t.first[0] on, into the len(t.n) 8-bit pixels of each of dst's rows.
func (t *taps) horizontal(dst *[group]pixels, src *rowGroup) {
	first, kall := t.first, t.k
	base, ks := first[0], t.ksize
	n := len(first)
	d0, d1, d2, d3 := dst[0].rows(0, n), dst[1].rows(0, n), dst[2].rows(0, n), dst[3].rows(0, n)
	for i, f := range first {
		rb0, rb1, rb2, rb3, g01, g23 := dot(kall[i*ks:i*ks+t.n[i]], src.px[6*(f-base):])
		if t.clip {
			rb0, rb1, rb2, rb3, g01, g23 = clipLanes(rb0), clipLanes(rb1), clipLanes(rb2), clipLanes(rb3), clipLanes(g01), clipLanes(g23)
		} else {
			rb0, rb1, rb2, rb3, g01, g23 = byteLanes(rb0), byteLanes(rb1), byteLanes(rb2), byteLanes(rb3), byteLanes(g01), byteLanes(g23)
		}
		d0.rb[i], d1.rb[i], d2.rb[i], d3.rb[i] = rb0, rb1, rb2, rb3
		d0.g[i], d1.g[i], d2.g[i], d3.g[i] = uint32(g01), uint32(g01>>32), uint32(g23), uint32(g23>>32)
	}
}

// dot returns the sums of px's six columns weighted by k.
func dot(k []uint32, px []uint64) (rb0, rb1, rb2, rb3, g01, g23 uint64) {
	rb0, rb1, rb2, rb3, g01, g23 = laneHalf, laneHalf, laneHalf, laneHalf, laneHalf, laneHalf
	px = px[:6*len(k)]
	for x, kv := range k {
		q := px[6*x : 6*x+6 : 6*x+6]
		k := uint64(kv)
		rb0 += q[0] * k
		rb1 += q[1] * k
		rb2 += q[2] * k
		rb3 += q[3] * k
		g01 += q[4] * k
		g23 += q[5] * k
	}
	return rb0, rb1, rb2, rb3, g01, g23
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
