package imageproc

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, m image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// photo is deterministic photo-like content: smooth gradients with some
// texture, so JPEG and resizing behave as on real pictures.
func photo(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	seed := uint32(12345)
	for y := range h {
		for x := range w {
			seed = seed*1664525 + 1013904223
			n := uint8(seed >> 28)
			m.SetNRGBA(x, y, color.NRGBA{
				uint8(x*255/max(w-1, 1)) ^ n,
				uint8(y*255/max(h-1, 1)) + n,
				uint8((x + y) * 3),
				255,
			})
		}
	}
	return m
}

// raw is a spec whose output is the 8-bit value itself (scale 1, mean 0,
// std 1), for checks on decoding and resizing.
func raw(h, w int) Spec {
	return Spec{Height: h, Width: w, Scale: 1, Mean: [3]float32{0, 0, 0}, Std: [3]float32{1, 1, 1}}
}

// pngChunk builds one chunk with a valid CRC.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	_ = binary.Write(&b, binary.BigEndian, crc.Sum32())
	return b.Bytes()
}

// bombPNG is a signature and an IHDR claiming w×h 8-bit RGB pixels, valid
// CRC, followed by a tiny IDAT and IEND: a decompression-bomb header.
func bombPNG(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // bit depth 8, colour type RGB
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(b, pngChunk("IEND", nil)...)
}

// bombJPEG rewrites the SOF0 size of a valid JPEG.
func bombJPEG(t testing.TB, w, h uint16) []byte {
	b := bytes.Clone(encodeJPEG(t, photo(16, 16), 90))
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}
