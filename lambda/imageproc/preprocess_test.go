package imageproc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// tinyPNG is 2×2: (255,0,51) (102,153,204) / (0,255,255) (51,102,0).
func tinyPNG(t testing.TB) []byte {
	m := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	m.SetNRGBA(0, 0, color.NRGBA{255, 0, 51, 255})
	m.SetNRGBA(1, 0, color.NRGBA{102, 153, 204, 255})
	m.SetNRGBA(0, 1, color.NRGBA{0, 255, 255, 255})
	m.SetNRGBA(1, 1, color.NRGBA{51, 102, 0, 255})
	return encodePNG(t, m)
}

// Hand arithmetic, (v/255 - mean) / std with ImageNet's constants:
//
//	R: 255 → 0.515/0.229, 102 → -0.085/0.229, 0 → -0.485/0.229, 51 → -0.285/0.229
//	G:   0 → -0.456/0.224, 153 → 0.144/0.224, 255 → 0.544/0.224, 102 → -0.056/0.224
//	B:  51 → -0.206/0.225, 204 → 0.394/0.225, 255 → 0.594/0.225, 0 → -0.406/0.225
var (
	tinyR = []float64{2.2489082969, -0.3711790393, -2.1179039301, -1.2445414847}
	tinyG = []float64{-2.0357142857, 0.6428571429, 2.4285714286, -0.25}
	tinyB = []float64{-0.9155555556, 1.7511111111, 2.64, -1.8044444444}
)

func interleave(planes ...[]float64) []float64 {
	var out []float64
	for i := range planes[0] {
		for _, p := range planes {
			out = append(out, p[i])
		}
	}
	return out
}

func TestPreprocessTinyPNGExact(t *testing.T) {
	img := tinyPNG(t)
	cat := func(ps ...[]float64) []float64 {
		var out []float64
		for _, p := range ps {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name string
		spec Spec
		want []float64
	}{
		{"NCHW RGB", Spec{Height: 2, Width: 2}, cat(tinyR, tinyG, tinyB)},
		{"NHWC RGB", Spec{Height: 2, Width: 2, Layout: "NHWC"}, interleave(tinyR, tinyG, tinyB)},
		{"NCHW BGR", Spec{Height: 2, Width: 2, ChannelOrder: "BGR"}, cat(tinyB, tinyG, tinyR)},
		{"NHWC BGR", Spec{Height: 2, Width: 2, Layout: "NHWC", ChannelOrder: "BGR"}, interleave(tinyB, tinyG, tinyR)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float32, tt.spec.WithDefaults().Len())
			if err := tt.spec.Preprocess(img, dst); err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				if math.Abs(float64(dst[i])-w) > 1e-6 {
					t.Errorf("dst[%d] = %.8f, want %.8f", i, dst[i], w)
				}
			}
		})
	}
	t.Run("bit-exact with torch float32", func(t *testing.T) {
		// ToTensor: float32(v) / 255; Normalize: (x - mean) / std in float32.
		dst := make([]float32, 12)
		if err := (Spec{Height: 2, Width: 2}).Preprocess(img, dst); err != nil {
			t.Fatal(err)
		}
		vals := [3][4]float32{{255, 102, 0, 51}, {0, 153, 255, 102}, {51, 204, 255, 0}}
		for c := range 3 {
			for i, v := range vals[c] {
				want := (v/255 - ImageNetMean[c]) / ImageNetStd[c]
				if got := dst[c*4+i]; got != want {
					t.Errorf("channel %d pixel %d = %v, want %v", c, i, got, want)
				}
			}
		}
	})
	t.Run("custom scale multiplies", func(t *testing.T) {
		s := Spec{Height: 2, Width: 2, Scale: 0.5, Mean: [3]float32{1, 2, 3}, Std: [3]float32{2, 4, 8}}
		dst := make([]float32, 12)
		if err := s.Preprocess(img, dst); err != nil {
			t.Fatal(err)
		}
		want := []float32{(127.5 - 1) / 2, (51 - 1) / 2, -0.5, (25.5 - 1) / 2}
		for i, w := range want {
			if dst[i] != w {
				t.Errorf("dst[%d] = %v, want %v", i, dst[i], w)
			}
		}
	})
}

// rgbAt reads dst of a raw spec in NCHW as 8-bit values.
func rgbAt(t *testing.T, dst []float32, h, w, x, y int) [3]uint8 {
	t.Helper()
	var p [3]uint8
	for c := range 3 {
		v := dst[c*h*w+y*w+x]
		if v != float32(uint8(v)) {
			t.Fatalf("value %v at (%d, %d) is not an 8-bit integer", v, x, y)
		}
		p[c] = uint8(v)
	}
	return p
}

func TestPreprocessColorModels(t *testing.T) {
	const w, h = 5, 3
	pal := color.Palette{
		color.RGBA{255, 0, 0, 255},
		color.NRGBA{0, 200, 100, 128},
		color.NRGBA{9, 8, 7, 0},
	}
	tests := []struct {
		name string
		img  image.Image
		want func(x, y int) [3]uint8
	}{
		{"gray", fill(image.NewGray(image.Rect(0, 0, w, h)), func(x, y int) color.Color { return color.Gray{uint8(40*x + y)} }),
			func(x, y int) [3]uint8 { v := uint8(40*x + y); return [3]uint8{v, v, v} }},
		{"gray 16-bit keeps the high byte", fill(image.NewGray16(image.Rect(0, 0, w, h)), func(x, y int) color.Color { return color.Gray16{uint16(0x1234*x + 0xff*y)} }),
			func(x, y int) [3]uint8 { v := uint8((0x1234*x + 0xff*y) >> 8); return [3]uint8{v, v, v} }},
		{"rgba keeps un-premultiplied colour, even at alpha 0", fill(image.NewNRGBA(image.Rect(0, 0, w, h)), func(x, y int) color.Color {
			return color.NRGBA{uint8(10 * x), uint8(20 * y), 200, uint8(60 * x)}
		}), func(x, y int) [3]uint8 { return [3]uint8{uint8(10 * x), uint8(20 * y), 200} }},
		{"rgb 16-bit", fill(image.NewRGBA64(image.Rect(0, 0, w, h)), func(x, y int) color.Color {
			return color.RGBA64{uint16(0x3000 * x), uint16(0x0101 * y), 0xfeff, 0xffff}
		}), func(x, y int) [3]uint8 { return [3]uint8{uint8(0x30 * x), uint8(y), 0xfe} }},
		{"rgba 16-bit", fill(image.NewNRGBA64(image.Rect(0, 0, w, h)), func(x, y int) color.Color {
			return color.NRGBA64{uint16(0x3000 * x), 0xabcd, uint16(0x0101 * y), uint16(0x1000 * y)}
		}), func(x, y int) [3]uint8 { return [3]uint8{uint8(0x30 * x), 0xab, uint8(y)} }},
		{"paletted with transparency", fill(image.NewPaletted(image.Rect(0, 0, w, h), pal), func(x, y int) color.Color { return pal[(x+y)%3] }),
			func(x, y int) [3]uint8 { return [][3]uint8{{255, 0, 0}, {0, 200, 100}, {9, 8, 7}}[(x+y)%3] }},
		{"rgb", fill(image.NewRGBA(image.Rect(0, 0, w, h)), func(x, y int) color.Color { return color.RGBA{uint8(x), uint8(y), 7, 255} }),
			func(x, y int) [3]uint8 { return [3]uint8{uint8(x), uint8(y), 7} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := encodePNG(t, tt.img)
			dst := make([]float32, 3*w*h)
			if err := raw(h, w).Preprocess(data, dst); err != nil {
				t.Fatal(err)
			}
			for y := range h {
				for x := range w {
					if got, want := rgbAt(t, dst, h, w, x, y), tt.want(x, y); got != want {
						t.Errorf("pixel (%d, %d) = %v, want %v", x, y, got, want)
					}
				}
			}
		})
	}
}

func fill[M interface {
	image.Image
	Set(x, y int, c color.Color)
}](m M, f func(x, y int) color.Color) M {
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			m.Set(x, y, f(x, y))
		}
	}
	return m
}

// TestRowSources checks every fast path against image.Image.At.
func TestRowSources(t *testing.T) {
	const w, h = 13, 7
	r := image.Rect(0, 0, w, h)
	src := photo(w, h)
	var imgs []image.Image
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		m := image.NewYCbCr(r, ratio)
		for i := range m.Y {
			m.Y[i] = uint8(i * 7)
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = uint8(i*13), uint8(255-i*5)
		}
		imgs = append(imgs, m)
	}
	cm := image.NewCMYK(r)
	for i := range cm.Pix {
		cm.Pix[i] = uint8(i * 11)
	}
	translucent := image.NewRGBA(r)
	for i := range translucent.Pix {
		translucent.Pix[i] = uint8(i * 3)
		if i%4 == 3 {
			translucent.Pix[i] = uint8(i % 256)
		}
		if i%4 != 3 && translucent.Pix[i] > translucent.Pix[i|3] {
			translucent.Pix[i] = translucent.Pix[i|3]
		}
	}
	imgs = append(imgs, cm, translucent, src,
		fill(image.NewGray(r), func(x, y int) color.Color { return src.At(x, y) }),
		fill(image.NewGray16(r), func(x, y int) color.Color { return src.At(x, y) }),
		fill(image.NewRGBA64(r), func(x, y int) color.Color {
			return color.RGBA64{uint16(x * 999), uint16(y * 777), 5, uint16(0x8000 + x)}
		}),
		fill(image.NewNRGBA64(r), func(x, y int) color.Color { return src.At(x, y) }),
		fill(image.NewPaletted(r, color.Palette{color.Black, color.White}), func(x, y int) color.Color { return src.At(x, y) }),
		image.NewNYCbCrA(r, image.YCbCrSubsampleRatio420),
		src.SubImage(image.Rect(2, 1, 9, 6)),
	)
	for _, m := range imgs {
		name := strings.TrimPrefix(typeName(m), "*image.")
		if y, ok := m.(*image.YCbCr); ok {
			name += " " + y.SubsampleRatio.String()
		}
		t.Run(name, func(t *testing.T) {
			b := m.Bounds()
			fast := newRowSource(m)
			slow := generic{m}
			for x0 := range []int{0, 3} {
				n := b.Dx() - x0
				got, want := make([]uint8, 3*n), make([]uint8, 3*n)
				for y := range b.Dy() {
					fast.row(y, x0, got)
					slow.row(y, x0, want)
					if !bytes.Equal(got, want) {
						t.Fatalf("row %d from %d: fast %v, At %v", y, x0, got, want)
					}
				}
			}
		})
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *image.YCbCr:
		return "*image.YCbCr"
	case *image.CMYK:
		return "*image.CMYK"
	case *image.RGBA:
		return "*image.RGBA"
	case *image.NRGBA:
		return "*image.NRGBA"
	case *image.Gray:
		return "*image.Gray"
	case *image.Gray16:
		return "*image.Gray16"
	case *image.RGBA64:
		return "*image.RGBA64"
	case *image.NRGBA64:
		return "*image.NRGBA64"
	case *image.Paletted:
		return "*image.Paletted"
	case *image.NYCbCrA:
		return "*image.NYCbCrA (generic)"
	}
	return "other"
}

func TestPreprocessJPEG(t *testing.T) {
	src := photo(64, 48)
	for _, q := range []int{75, 100} {
		data := encodeJPEG(t, src, q)
		dst := make([]float32, 3*48*64)
		if err := raw(48, 64).Preprocess(data, dst); err != nil {
			t.Fatal(err)
		}
		var sum float64
		for y := range 48 {
			for x := range 64 {
				c := src.NRGBAAt(x, y)
				got := rgbAt(t, dst, 48, 64, x, y)
				sum += math.Abs(float64(got[0])-float64(c.R)) + math.Abs(float64(got[1])-float64(c.G)) + math.Abs(float64(got[2])-float64(c.B))
			}
		}
		// Lossy, but close to the original on average.
		if mean := sum / (3 * 64 * 48); mean > 12 {
			t.Errorf("quality %d: mean absolute error %.1f", q, mean)
		}
	}
	t.Run("grayscale JPEG", func(t *testing.T) {
		g := fill(image.NewGray(image.Rect(0, 0, 8, 8)), func(x, y int) color.Color { return color.Gray{128} })
		dst := make([]float32, 3*8*8)
		if err := raw(8, 8).Preprocess(encodeJPEG(t, g, 100), dst); err != nil {
			t.Fatal(err)
		}
		for i, v := range dst {
			if v != 128 {
				t.Fatalf("dst[%d] = %v, want 128", i, v)
			}
		}
	})
}

// TestResizeMatchesPillow compares with images Pillow 9.4 and torchvision
// 0.14 produced (testdata/gen_pil.py): every byte must be equal.
func TestResizeMatchesPillow(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var name string
		var rs, h, w int
		if _, err := fmt.Sscan(sc.Text(), &name, &rs, &h, &w); err != nil {
			t.Fatal(err)
		}
		n++
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "pil_"+name+"_src.png"))
			if err != nil {
				t.Fatal(err)
			}
			wantPNG, err := os.ReadFile(filepath.Join("testdata", "pil_"+name+"_want.png"))
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float32, 3*h*w)
			if err := raw(h, w).Preprocess(wantPNG, want); err != nil {
				t.Fatal(err)
			}
			s := raw(h, w)
			s.ResizeShorter = rs
			got := make([]float32, 3*h*w)
			if err := s.Preprocess(src, got); err != nil {
				t.Fatal(err)
			}
			diffs := 0
			for i := range got {
				if got[i] != want[i] {
					if diffs < 5 {
						c, p := i/(h*w), i%(h*w)
						t.Errorf("channel %d pixel (%d, %d) = %v, Pillow %v", c, p%w, p/w, got[i], want[i])
					}
					diffs++
				}
			}
			if diffs > 0 {
				t.Errorf("%d of %d values differ from Pillow", diffs, len(got))
			}
		})
	}
	if n < 9 {
		t.Fatalf("cases.txt lists %d cases, want 9", n)
	}
}

func TestAtSizeIsUntouched(t *testing.T) {
	src := photo(31, 17)
	tests := []struct {
		name string
		spec Spec
		x0   int
	}{
		{"direct", raw(17, 31), 0},
		{"shorter side already N, crop only", func() Spec { s := raw(17, 17); s.ResizeShorter = 17; return s }(), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float32, tt.spec.Len())
			if err := tt.spec.Preprocess(encodePNG(t, src), dst); err != nil {
				t.Fatal(err)
			}
			for y := range tt.spec.Height {
				for x := range tt.spec.Width {
					c := src.NRGBAAt(x+tt.x0, y)
					if got := rgbAt(t, dst, tt.spec.Height, tt.spec.Width, x, y); got != [3]uint8{c.R, c.G, c.B} {
						t.Fatalf("pixel (%d, %d) = %v, source %v", x, y, got, c)
					}
				}
			}
		})
	}
}

func TestPreprocessErrors(t *testing.T) {
	valid := encodePNG(t, photo(20, 10))
	validJPEG := encodeJPEG(t, photo(20, 10), 90)
	flipped := bytes.Clone(valid)
	flipped[len(flipped)/2] ^= 0xff
	badCRC := bytes.Clone(valid)
	badCRC[29] ^= 1 // inside the IHDR CRC
	tests := []struct {
		name string
		spec Spec
		img  []byte
		kind error
		want string
	}{
		{"empty", Spec{}, nil, ErrFormat, "image is empty: send the bytes of a PNG or JPEG file"},
		{"text", Spec{}, []byte("hello"), ErrFormat, "not a PNG or JPEG image"},
		{"gif", Spec{}, []byte("GIF89a\x01\x00\x01\x00"), ErrFormat, "not a PNG or JPEG image (it looks like a GIF)"},
		{"webp", Spec{}, []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), ErrFormat, "not a PNG or JPEG image (it looks like a WebP)"},
		{"still base64", Spec{}, []byte("iVBORw0KGgoAAAANSUhEUg"), ErrFormat, "not a PNG or JPEG image (it looks like base64 text: decode it first)"},
		{"png bomb", Spec{}, bombPNG(100000, 100000), ErrTooLarge, "image is 100000×100000 = 10000000000 pixels, more than the 40000000 allowed"},
		{"png bomb under a small limit", Spec{MaxPixels: 100}, bombPNG(11, 10), ErrTooLarge, "image is 11×10 = 110 pixels, more than the 100 allowed"},
		{"png side too long", Spec{}, bombPNG(70000, 1), ErrTooLarge, "image is 70000×1: sides longer than 65535 pixels are not allowed"},
		{"jpeg bomb", Spec{}, bombJPEG(t, 65000, 65000), ErrTooLarge, "image is 65000×65000 = 4225000000 pixels, more than the 40000000 allowed"},
		{"png zero width", Spec{}, bombPNG(0, 5), ErrCorrupt, "corrupt PNG: "},
		{"truncated png", Spec{}, valid[:len(valid)/2], ErrCorrupt, "corrupt PNG: not enough pixel data"},
		{"truncated png header", Spec{}, valid[:20], ErrCorrupt, "truncated PNG: the data ends early"},
		{"truncated jpeg", Spec{}, validJPEG[:len(validJPEG)/2], ErrCorrupt, "truncated JPEG: the data ends early"},
		{"jpeg signature only", Spec{}, []byte{0xff, 0xd8, 0xff}, ErrCorrupt, "JPEG"},
		{"png bad crc", Spec{}, badCRC, ErrCorrupt, "corrupt PNG: invalid checksum"},
		{"png flipped byte", Spec{}, flipped, ErrCorrupt, "PNG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.spec
			s.Height, s.Width = 8, 8
			err := s.Preprocess(tt.img, make([]float32, 3*8*8))
			if err == nil {
				t.Fatal("Preprocess() = nil, want an error")
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q is not %v", err, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
	t.Run("wrong dst length", func(t *testing.T) {
		err := Spec{Height: 8, Width: 8}.Preprocess(valid, make([]float32, 10))
		if err == nil || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "dst has 10 values, want 3×8×8 = 192") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("invalid spec", func(t *testing.T) {
		err := Spec{Height: 8, Width: 8, Layout: "HWC"}.Preprocess(valid, make([]float32, 192))
		if err == nil || !strings.Contains(err.Error(), `invalid image spec: layout "HWC"`) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestBombAllocatesLittle proves the size check comes before decoding.
func TestBombAllocatesLittle(t *testing.T) {
	for _, tt := range []struct {
		name string
		img  []byte
	}{
		{"png 100000×100000", bombPNG(100000, 100000)},
		{"png at the limit plus one", bombPNG(40_000_001, 1)},
		{"jpeg 65000×65000", bombJPEG(t, 65000, 65000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float32, 3*8*8)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range 10 {
				if err := (Spec{Height: 8, Width: 8}).Preprocess(tt.img, dst); !errors.Is(err, ErrTooLarge) {
					t.Fatalf("err = %v", err)
				}
			}
			runtime.ReadMemStats(&after)
			if perCall := (after.TotalAlloc - before.TotalAlloc) / 10; perCall > 64<<10 {
				t.Errorf("%d bytes allocated per refused image", perCall)
			}
		})
	}
}

// TestConcurrent shares the buffer pool between goroutines with different
// specs (run with -race): results must equal a sequential run.
func TestConcurrent(t *testing.T) {
	img := encodeJPEG(t, photo(120, 90), 90)
	specs := []Spec{
		{Height: 32, Width: 32},
		{Height: 24, Width: 40, Layout: "NHWC", Mean: [3]float32{0.5, 0.5, 0.5}, Std: [3]float32{0.5, 0.5, 0.5}},
		{Height: 48, Width: 48, ResizeShorter: 64, ChannelOrder: "BGR"},
	}
	want := make([][]float32, len(specs))
	for i, s := range specs {
		want[i] = make([]float32, s.WithDefaults().Len())
		if err := s.Preprocess(img, want[i]); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for n := range 20 {
				i := (g + n) % len(specs)
				dst := make([]float32, len(want[i]))
				if err := specs[i].Preprocess(img, dst); err != nil {
					errs <- err
					return
				}
				for j := range dst {
					if dst[j] != want[i][j] {
						errs <- fmt.Errorf("spec %d value %d = %v, want %v", i, j, dst[j], want[i][j])
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
