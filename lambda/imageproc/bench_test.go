package imageproc

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkPreprocess measures decode + convert + resize + normalize for
// typical requests. Model input 224×224 unless the name says otherwise.
func BenchmarkPreprocess(b *testing.B) {
	cases := []struct {
		name string
		spec Spec
		img  []byte
	}{
		{"png-64x64-at-size-64", Spec{Height: 64, Width: 64}, encodePNG(b, photo(64, 64))},
		{"jpeg-224x224-at-size", Spec{Height: 224, Width: 224}, encodeJPEG(b, photo(224, 224), 90)},
		{"jpeg-640x480-direct-224", Spec{Height: 224, Width: 224}, encodeJPEG(b, photo(640, 480), 90)},
		{"jpeg-640x480-shorter256-crop224", Spec{Height: 224, Width: 224, ResizeShorter: 256}, encodeJPEG(b, photo(640, 480), 90)},
		{"png-640x480-direct-224", Spec{Height: 224, Width: 224}, encodePNG(b, photo(640, 480))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			dst := make([]float32, c.spec.Len())
			b.SetBytes(int64(len(c.img)))
			b.ReportAllocs()
			for b.Loop() {
				if err := c.spec.Preprocess(c.img, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkResizeOnly isolates this package's own work (convert, resize,
// normalize) from the standard library's decoding.
func BenchmarkResizeOnly(b *testing.B) {
	for _, c := range []struct {
		name   string
		sw, sh int
		spec   Spec
	}{
		{"640x480-to-224", 640, 480, Spec{Height: 224, Width: 224}},
		{"100x80-to-64", 100, 80, Spec{Height: 64, Width: 64}},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := c.spec.WithDefaults()
			dst := make([]float32, s.Len())
			w := new(work)
			rs := newRowSource(photo(c.sw, c.sh))
			b.ReportAllocs()
			for b.Loop() {
				s.run(w, rs, c.sw, c.sh, dst)
			}
		})
	}
}

// BenchmarkPNGPaths decodes and preprocesses the same PNGs through the fast
// path and through image/png (the path before it, and still the one for
// what the fast path leaves), side by side in one run. mobilenet-100x80 is
// the file BenchmarkPreprocessVsRun (lambda/e2e) times against the test
// MobileNet's run: 24 KB of noise-like pixels, resized to 64×64.
func BenchmarkPNGPaths(b *testing.B) {
	mobilenet, err := os.ReadFile(filepath.Join("..", "models", "testdata", "mobilenet", "other-size.png"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		spec Spec
		img  []byte
	}{
		{"64x64-at-size-64", Spec{Height: 64, Width: 64}, encodePNG(b, photo(64, 64))},
		{"100x80-resized-64", Spec{Height: 64, Width: 64}, encodePNG(b, photo(100, 80))},
		{"640x480-resized-224", Spec{Height: 224, Width: 224}, encodePNG(b, photo(640, 480))},
		{"mobilenet-100x80-resized-64", Spec{Height: 64, Width: 64}, mobilenet},
	} {
		s := c.spec.WithDefaults()
		dst := make([]float32, s.Len())
		cfg, err := png.DecodeConfig(bytes.NewReader(c.img))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name+"/fast", func(b *testing.B) {
			b.ReportAllocs()
			w := new(work)
			for b.Loop() {
				if _, _, ok := w.png.decodePNG(c.img); !ok {
					b.Fatal("fast path refused the image")
				}
				s.run(w, w.png.rows(), cfg.Width, cfg.Height, dst)
			}
		})
		b.Run(c.name+"/image-png", func(b *testing.B) {
			b.ReportAllocs()
			w := new(work)
			for b.Loop() {
				m, err := png.Decode(bytes.NewReader(c.img))
				if err != nil {
					b.Fatal(err)
				}
				s.run(w, newRowSource(m), cfg.Width, cfg.Height, dst)
			}
		})
	}
}
