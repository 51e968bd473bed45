package imageproc

import (
	"bytes"
	"image"
	"math"
	"testing"
)

// refResize is the resampler as first written, a line-for-line port of
// Pillow's Resample.c kept as the reference for the faster one in
// resample.go: float64 weights normalized per output pixel, every filter
// computed on each call, an int32 accumulator per channel. It returns the
// Height×Width×3 RGB bytes Spec.run normalizes.
func refResize(s Spec, src rowSource, sw, sh int) []uint8 {
	H, W := s.Height, s.Width
	rw, rh, cx, cy := s.geometry(sw, sh)
	// Horizontal pass over every input row the vertical pass reads.
	tx := refTaps(sw, rw, cx, W)
	tmp := make([]uint8, sh*3*W)
	in := make([]uint8, 3*sw)
	for y := range sh {
		src.row(y, 0, in)
		row := tmp[y*3*W : (y+1)*3*W]
		if rw == sw {
			copy(row, in[3*cx:])
			continue
		}
		for i, f := range tx {
			for c := range 3 {
				ss := int32(1 << (precisionBits - 1))
				for x, k := range f.k {
					ss += int32(in[3*(f.first+x)+c]) * k
				}
				row[3*i+c] = refClip8(ss)
			}
		}
	}
	out := make([]uint8, H*3*W)
	if rh == sh {
		copy(out, tmp[cy*3*W:])
		return out
	}
	for i, f := range refTaps(sh, rh, cy, H) {
		for j := range 3 * W {
			ss := int32(1 << (precisionBits - 1))
			for y, k := range f.k {
				ss += int32(tmp[(f.first+y)*3*W+j]) * k
			}
			out[i*3*W+j] = refClip8(ss)
		}
	}
	return out
}

// refFilter is one output pixel's taps: k[x] weighs input pixel first+x.
type refFilter struct {
	first int
	k     []int32
}

// refTaps mirrors Pillow's precompute_coeffs and normalize_coeffs_8bpc
// for output pixels [start, start+count) of a resize from inSize to
// outSize.
func refTaps(inSize, outSize, start, count int) []refFilter {
	scale := float64(inSize) / float64(outSize)
	filterscale := max(scale, 1)
	support := filterscale
	fs := make([]refFilter, count)
	for i := range fs {
		center := (float64(start+i) + 0.5) * scale
		xmin := max(int(center-support+0.5), 0)
		xmax := max(min(int(center+support+0.5), inSize)-xmin, 0)
		w := make([]float64, xmax)
		ww := 0.0
		for x := range w {
			w[x] = max(1-math.Abs((float64(x+xmin)-center+0.5)/filterscale), 0)
			ww += w[x]
		}
		k := make([]int32, xmax)
		for x, v := range w {
			if ww != 0 {
				v /= ww
			}
			k[x] = int32(0.5 + v*(1<<precisionBits))
		}
		fs[i] = refFilter{xmin, k}
	}
	return fs
}

func refClip8(v int32) uint8 {
	return uint8(min(max(v>>precisionBits, 0), 255))
}

// checkResize runs Spec.run on src with a spec whose output values are the
// 8-bit values themselves and compares them with refResize's.
func checkResize(t *testing.T, w *work, s Spec, src *image.NRGBA) {
	t.Helper()
	s.Scale, s.Mean, s.Std = 1, [3]float32{}, [3]float32{1, 1, 1}
	s = s.WithDefaults()
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	want := refResize(s, newRowSource(src), sw, sh)
	dst := make([]float32, s.Len())
	s.run(w, newRowSource(src), sw, sh, dst)
	got := make([]uint8, len(want))
	H, W := s.Height, s.Width
	for c := range 3 {
		for p := range H * W {
			got[3*p+c] = uint8(dst[c*H*W+p])
		}
	}
	if !bytes.Equal(got, want) {
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%d×%d → %+v: value %d (pixel %d, channel %d) = %d, reference %d",
					sw, sh, s, i, i/3, i%3, got[i], want[i])
			}
		}
	}
}

// TestResizeMatchesReference compares Spec.run with refResize on shrinks,
// enlargements, one-axis resizes and shorter-side crops, reusing one work
// so that cached filters are reused and replaced.
func TestResizeMatchesReference(t *testing.T) {
	w := new(work)
	for _, sz := range [][2]int{{100, 80}, {64, 64}, {1, 1}, {3, 200}, {200, 3}, {37, 23}, {640, 480}, {5, 9}} {
		src := photo(sz[0], sz[1])
		for _, s := range []Spec{
			{Height: 64, Width: 64}, {Height: 7, Width: 3}, {Height: 1, Width: 1}, {Height: 80, Width: 100},
			{Height: 30, Width: 50}, {Height: 17, Width: 17, ResizeShorter: 20}, {Height: 64, Width: 48, ResizeShorter: 70},
		} {
			checkResize(t, w, s, src)
		}
	}
	// Shrinks by more than 8,000 times: enough taps that the horizontal
	// pass must clamp (taps.clip).
	checkResize(t, w, Spec{Height: 2, Width: 1}, photo(20000, 3))
	checkResize(t, w, Spec{Height: 1, Width: 2}, photo(3, 20000))
}

// FuzzResize compares Spec.run with refResize on arbitrary pixels, sizes
// and geometries.
//
// Run: go test -run '^$' -fuzz FuzzResize -fuzztime 1000000x -parallel 1 ./lambda/imageproc
func FuzzResize(f *testing.F) {
	f.Add(uint8(99), uint8(79), uint8(63), uint8(63), uint8(0), []byte{1, 2, 3, 250, 251, 252})
	f.Add(uint8(4), uint8(30), uint8(20), uint8(2), uint8(3), []byte{255})
	f.Add(uint8(50), uint8(50), uint8(9), uint8(9), uint8(2), []byte{0, 255})
	w := new(work)
	f.Fuzz(func(t *testing.T, sw, sh, h, wd, shorter uint8, pix []byte) {
		src := image.NewNRGBA(image.Rect(0, 0, 1+int(sw)%120, 1+int(sh)%120))
		for i := range src.Pix {
			if len(pix) > 0 {
				src.Pix[i] = pix[i%len(pix)] + uint8(i/len(pix)*37)
			}
		}
		s := Spec{Height: 1 + int(h)%80, Width: 1 + int(wd)%80}
		if shorter != 0 {
			s.ResizeShorter = max(s.Height, s.Width) + int(shorter)%40
		}
		checkResize(t, w, s, src)
	})
}
