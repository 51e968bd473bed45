package imageproc

import (
	"errors"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzPreprocess feeds arbitrary bytes and spec variations to Preprocess.
// It must never panic; an error must be one of the input errors; a success
// must fill dst with finite values inside the normalization's range.
//
// Run: go test -run '^$' -fuzz FuzzPreprocess -fuzztime 1000000x -parallel 1 ./lambda/imageproc
func FuzzPreprocess(f *testing.F) {
	for _, m := range []image.Image{
		photo(9, 7),
		fill(image.NewGray(image.Rect(0, 0, 5, 4)), func(x, y int) color.Color { return color.Gray{uint8(x * y)} }),
		fill(image.NewNRGBA64(image.Rect(0, 0, 3, 6)), func(x, y int) color.Color { return color.NRGBA64{1, 2, 3, uint16(x)} }),
		fill(image.NewPaletted(image.Rect(0, 0, 6, 2), color.Palette{color.Black, color.NRGBA{1, 2, 3, 0}}),
			func(x, y int) color.Color { return color.Black }),
	} {
		p := encodePNG(f, m)
		f.Add(p, uint8(7), uint8(7), uint8(0))
		f.Add(p[:len(p)-20], uint8(3), uint8(5), uint8(1))
		j := encodeJPEG(f, m, 80)
		f.Add(j, uint8(4), uint8(4), uint8(3))
		f.Add(j[:len(j)/2], uint8(4), uint8(4), uint8(2))
	}
	seeds, _ := filepath.Glob(filepath.Join("testdata", "seed_*"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b, uint8(5), uint8(6), uint8(1))
		}
	}
	f.Add(bombPNG(100000, 100000), uint8(8), uint8(8), uint8(0))
	f.Add(bombPNG(300, 300), uint8(8), uint8(8), uint8(0))
	f.Add(bombJPEG(f, 500, 500), uint8(8), uint8(8), uint8(0))
	f.Add([]byte("GIF89a"), uint8(1), uint8(1), uint8(0))

	f.Fuzz(func(t *testing.T, data []byte, h, w, mode uint8) {
		s := Spec{
			Height: 1 + int(h%16), Width: 1 + int(w%16),
			// A small budget keeps each execution fast; the check is the
			// same code at any limit.
			MaxPixels: 1 << 16,
		}
		if mode&1 != 0 {
			s.ResizeShorter = max(s.Height, s.Width) + int(mode>>4)
		}
		if mode&2 != 0 {
			s.Layout = LayoutNHWC
		}
		if mode&4 != 0 {
			s.ChannelOrder = OrderBGR
		}
		dst := make([]float32, s.Len())
		err := s.Preprocess(data, dst)
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		lo := (0 - ImageNetMean[0]) / ImageNetStd[0]
		hi := (1 - ImageNetMean[2]) / ImageNetStd[2]
		for i, v := range dst {
			if math.IsNaN(float64(v)) || v < lo-1e-3 || v > hi+1e-3 {
				t.Fatalf("dst[%d] = %v outside [%v, %v]", i, v, lo, hi)
			}
		}
	})
}
