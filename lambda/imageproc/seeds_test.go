package imageproc

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestSeedImages runs the files Go's encoders cannot write (Pillow made
// them: testdata/gen_seeds.py) through Preprocess and compares with the
// standard decoder read pixel by pixel through At.
func TestSeedImages(t *testing.T) {
	for _, tt := range []struct {
		file, typ string
	}{
		{"seed_cmyk.jpg", "*image.CMYK"},
		{"seed_progressive.jpg", "*image.YCbCr"},
		{"seed_444.jpg", "*image.YCbCr"},
		{"seed_gray16.png", "*image.Gray16"},
		{"seed_gray_alpha.png", "*image.NRGBA"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var m image.Image
			if filepath.Ext(tt.file) == ".png" {
				m, err = png.Decode(bytes.NewReader(data))
			} else {
				m, err = jpeg.Decode(bytes.NewReader(data))
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := typeName(m); got != tt.typ {
				t.Errorf("decoded as %s, want %s", got, tt.typ)
			}
			b := m.Bounds()
			h, w := b.Dy(), b.Dx()
			dst := make([]float32, 3*h*w)
			if err := raw(h, w).Preprocess(data, dst); err != nil {
				t.Fatal(err)
			}
			for y := range h {
				for x := range w {
					if got, want := rgbAt(t, dst, h, w, x, y), rgbOf(m.At(x, y)); got != want {
						t.Fatalf("pixel (%d, %d) = %v, At gives %v", x, y, got, want)
					}
				}
			}
		})
	}
}
