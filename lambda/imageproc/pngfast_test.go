package imageproc

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// pngSeeds are PNGs of every colour type the fast path takes, and some it
// hands to image/png: the package's and the models' test images, the
// encoder's output for each image type (its filter choice varies by row),
// a multi-IDAT file and hand-built variations.
func pngSeeds(tb testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for _, glob := range []string{
		filepath.Join("testdata", "*.png"),
		filepath.Join("..", "models", "testdata", "*", "*.png"),
	} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			seeds[f] = b
		}
	}
	gray := fill(image.NewGray(image.Rect(0, 0, 7, 5)), func(x, y int) color.Color { return color.Gray{uint8(x*37 + y*11)} })
	pal := fill(image.NewPaletted(image.Rect(0, 0, 9, 4), color.Palette{color.NRGBA{200, 10, 30, 255}, color.NRGBA{1, 2, 3, 0}, color.NRGBA{9, 99, 199, 128}}),
		func(x, y int) color.Color {
			return [...]color.Color{color.NRGBA{200, 10, 30, 255}, color.NRGBA{1, 2, 3, 0}, color.NRGBA{9, 99, 199, 128}}[(x+y)%3]
		})
	rgb := image.NewRGBA(image.Rect(0, 0, 11, 6))
	copy(rgb.Pix, photo(11, 6).Pix) // opaque: encoded as colour type 2
	translucent := photo(10, 7)
	for i := 3; i < len(translucent.Pix); i += 4 {
		translucent.Pix[i] = uint8(i * 7)
	}
	for name, m := range map[string]image.Image{
		"gray": gray, "paletted": pal, "rgb": rgb, "rgba": translucent, "photo": photo(33, 21),
		// The encoder packs small palettes: 1 and 4 bits per pixel.
		"paletted-1bit": fill(image.NewPaletted(image.Rect(0, 0, 13, 3), color.Palette{color.Black, color.White}),
			func(x, y int) color.Color { return [...]color.Color{color.Black, color.White}[(x*y)%2] }),
		"paletted-4bit": fill(image.NewPaletted(image.Rect(0, 0, 7, 5), palette16()),
			func(x, y int) color.Color { return palette16()[(x*3+y)%16] }),
		// 300×300 of texture: several IDAT chunks.
		"large":  photo(300, 300),
		"gray16": fill(image.NewGray16(image.Rect(0, 0, 3, 3)), func(x, y int) color.Color { return color.Gray16{uint16(x * 9000)} }),
	} {
		seeds[name] = encodePNG(tb, m)
	}
	// Hand-built: gray+alpha rows, one per filter type, in two IDAT chunks
	// with an ancillary chunk before them.
	const w, h = 4, 5
	var rows []byte
	for y := range h {
		rows = append(rows, byte(y)) // filter 0..4
		for x := range w {
			rows = append(rows, byte(x*40+y*3), byte(255-x))
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(rows)
	_ = zw.Close()
	ihdr := []byte{0, 0, 0, w, 0, 0, 0, h, 8, pngGrayAlpha, 0, 0, 0}
	ga := []byte("\x89PNG\r\n\x1a\n")
	ga = append(ga, pngChunk("IHDR", ihdr)...)
	ga = append(ga, pngChunk("tEXt", []byte("k\x00v"))...)
	zb := z.Bytes()
	ga = append(ga, pngChunk("IDAT", zb[:len(zb)/2])...)
	ga = append(ga, pngChunk("IDAT", zb[len(zb)/2:])...)
	seeds["gray-alpha-filters"] = append(ga, pngChunk("IEND", nil)...)
	return seeds
}

// checkPNGFast decodes b with the fast path and, when it succeeds, with
// image/png: both must give the same RGB rows. It reports whether the fast
// path took the image.
func checkPNGFast(t *testing.T, p *pngFast, b []byte) bool {
	t.Helper()
	w, h, ok := p.decodePNG(b)
	if !ok {
		return false
	}
	m, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the fast path decoded %d×%d, image/png refuses the file: %v", w, h, err)
	}
	if m.Bounds() != image.Rect(0, 0, w, h) {
		t.Fatalf("the fast path decoded %d×%d, image/png %v", w, h, m.Bounds())
	}
	src, fast := newRowSource(m), p.rows()
	want, got := make([]uint8, 3*w), make([]uint8, 3*w)
	for y := range h {
		src.row(y, 0, want)
		fast.row(y, 0, got)
		if !bytes.Equal(got, want) {
			t.Fatalf("row %d: fast path %v, image/png %v", y, got, want)
		}
		// A row read from a later pixel on, as a crop reads it.
		x0 := (y * 7) % w
		fast.row(y, x0, got[:3*(w-x0)])
		if !bytes.Equal(got[:3*(w-x0)], want[3*x0:]) {
			t.Fatalf("row %d from pixel %d: fast path %v, image/png %v", y, x0, got[:3*(w-x0)], want[3*x0:])
		}
	}
	return true
}

// TestPNGFast: the fast path gives image/png's pixels for every seed, takes
// every one that is not 16-bit (none is interlaced), and leaves those to
// image/png.
func TestPNGFast(t *testing.T) {
	p := new(pngFast) // reused across images, as in the pool
	for name, b := range pngSeeds(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			cfg, err := png.DecodeConfig(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			took := checkPNGFast(t, p, b)
			want := cfg.ColorModel != color.Gray16Model && cfg.ColorModel != color.RGBA64Model && cfg.ColorModel != color.NRGBA64Model
			if took != want {
				t.Errorf("fast path took it: %v, want %v (colour model %T)", took, want, cfg.ColorModel)
			}
		})
	}
}

// TestPNGFastLeavesBadFilesToImagePNG: damage the fast path must not accept
// (image/png refuses each) goes to image/png, whose error is served.
func TestPNGFastLeavesBadFilesToImagePNG(t *testing.T) {
	good := pngSeeds(t)["gray-alpha-filters"]
	idat := bytes.Index(good, []byte("IDAT"))
	for name, b := range map[string][]byte{
		"crc":            func() []byte { b := bytes.Clone(good); b[len(b)-5] ^= 1; return b }(),
		"no IEND":        good[:len(good)-12],
		"truncated IDAT": good[:idat+10],
		"zlib checksum":  func() []byte { b := bytes.Clone(good); b[idat+6] ^= 0x40; return b }(),
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, ok := new(pngFast).decodePNG(b); ok {
				t.Error("fast path accepted it")
			}
			if _, err := png.Decode(bytes.NewReader(b)); err == nil {
				t.Skip("image/png accepts this damage too")
			}
			err := raw(2, 2).Preprocess(b, make([]float32, 12))
			if err == nil {
				t.Error("Preprocess accepted it")
			}
		})
	}
}

// FuzzPNGFast: whatever the fast path decodes, image/png decodes too, to
// the same RGB values; the fast path never panics. A CRC or the zlib
// checksum would stop most mutations before the pixels, so each input is
// tried twice: as a file whose chunk CRCs are then made right, and as the
// recipe of a file built around it (IHDR fields from the first bytes, a
// palette and a tRNS from the next, the rest as the scanlines, compressed
// with a valid zlib stream, split into two IDAT chunks).
//
// Run: go test -run '^$' -fuzz FuzzPNGFast -fuzztime 1000000x -parallel 1 ./lambda/imageproc
func FuzzPNGFast(f *testing.F) {
	for _, b := range pngSeeds(f) {
		f.Add(b)
	}
	f.Add(bombPNG(3, 2))
	f.Add([]byte{5, 3, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{4, 2, 2, 2, 6, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7})
	p := new(pngFast)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, file := range [][]byte{fixCRCs(b), buildPNG(b)} {
			// The fast path sees only what Preprocess lets through: a PNG
			// header within the pixel budget.
			cfg, err := png.DecodeConfig(bytes.NewReader(file))
			if err != nil || cfg.Width*cfg.Height > 1<<16 {
				continue
			}
			checkPNGFast(t, p, file)
		}
	})
}

// fixCRCs returns a copy of b with the PNG signature and every whole
// chunk's CRC made right.
func fixCRCs(b []byte) []byte {
	const sig = "\x89PNG\r\n\x1a\n"
	out := []byte(sig)
	if bytes.HasPrefix(b, []byte(sig)) {
		b = b[len(sig):]
	}
	for len(b) >= 12 {
		n := int(binary.BigEndian.Uint32(b))
		if n < 0 || n > len(b)-12 {
			break
		}
		out = append(out, pngChunk(string(b[4:8]), b[8:8+n])...)
		b = b[12+n:]
	}
	return append(out, b...)
}

// buildPNG makes a well-formed PNG from a recipe: width, height, depth
// and colour type from the first four bytes, a palette of up to 16
// colours and a tRNS for paletted images, then the scanlines (filter byte
// included, padded with zeros to the image's size) in a valid zlib stream.
func buildPNG(r []byte) []byte {
	if len(r) < 5 {
		return nil
	}
	w, h := 1+int(r[0]%40), 1+int(r[1]%40)
	depth := [...]byte{1, 2, 4, 8}[r[2]%4]
	ctype := [...]byte{pngGray, pngRGB, pngPaletted, pngGrayAlpha, pngRGBA}[r[3]%5]
	if depth < 8 && ctype != pngGray && ctype != pngPaletted {
		depth = 8
	}
	r = r[4:]
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
	out = append(out, pngChunk("IHDR", append(ihdr, depth, ctype, 0, 0, 0))...)
	if ctype == pngPaletted {
		np := 1 + int(r[0])%min(16, 1<<depth)
		pal := make([]byte, 3*np)
		copy(pal, r[1:])
		out = append(out, pngChunk("PLTE", pal)...)
		out = append(out, pngChunk("tRNS", pal[:np/2])...)
	}
	bpp := map[byte]int{pngGray: 1, pngPaletted: 1, pngGrayAlpha: 2, pngRGB: 3, pngRGBA: 4}[ctype]
	rows := make([]byte, h*(1+(w*bpp*int(depth)+7)/8))
	copy(rows, r[1:])
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(rows)
	_ = zw.Close()
	zb := z.Bytes()
	out = append(out, pngChunk("IDAT", zb[:len(zb)/2])...)
	out = append(out, pngChunk("IDAT", zb[len(zb)/2:])...)
	return append(out, pngChunk("IEND", nil)...)
}

// palette16 is 16 distinct opaque colours.
func palette16() color.Palette {
	p := make(color.Palette, 16)
	for i := range p {
		p[i] = color.NRGBA{uint8(i * 16), uint8(255 - i*15), uint8(i * i), 255}
	}
	return p
}
