package imageproc

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// flateRef decodes a DEFLATE stream at the start of src with compress/flate
// (image/png's inflater) and returns the output and how many bytes of src
// the stream took.
func flateRef(src []byte) (out []byte, used int, err error) {
	r := bytes.NewReader(src) // an io.ByteReader: flate reads no further than the stream
	out, err = io.ReadAll(flate.NewReader(r))
	return out, len(src) - r.Len(), err
}

// checkInflate: whatever the inflater accepts, compress/flate accepts, with
// the same output and the same end of stream. It reports whether the
// inflater accepted src.
func checkInflate(t *testing.T, f *inflater, src []byte) bool {
	t.Helper()
	want, wantUsed, err := flateRef(src)
	size := len(want)
	if err != nil {
		size = len(want) + 1 // a size flate cannot have produced
	}
	dst := make([]byte, size)
	used, ok := f.inflate(dst, src)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("inflater accepted %d bytes of %d that compress/flate refuses: %v", used, len(src), err)
	}
	if !bytes.Equal(dst, want) {
		t.Fatalf("inflater output differs from compress/flate's (%d bytes)", len(want))
	}
	if used != wantUsed {
		t.Fatalf("inflater took %d bytes of the stream, compress/flate %d", used, wantUsed)
	}
	return true
}

// deflate compresses b at level with compress/flate.
func deflate(tb testing.TB, b []byte, level int) []byte {
	var z bytes.Buffer
	w, err := flate.NewWriter(&z, level)
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = w.Write(b)
	_ = w.Close()
	return z.Bytes()
}

// TestInflate: streams of every block type (stored, fixed, dynamic, and
// Huffman-only and RLE-like data) decode as compress/flate decodes them,
// with trailing bytes after the stream left alone.
func TestInflate(t *testing.T) {
	f := new(inflater) // reused, as in the pool
	noise := photo(100, 80).Pix
	for name, data := range map[string][]byte{
		"empty": nil, "one": {7}, "noise": noise, "zeros": make([]byte, 70000),
		"text": bytes.Repeat([]byte("abcabcabd"), 999),
	} {
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
			z := append(deflate(t, data, level), 1, 2, 3, 4)
			if !checkInflate(t, f, z) {
				t.Errorf("%s at level %d: refused", name, level)
			}
		}
	}
}

// FuzzInflate compares the inflater with compress/flate on arbitrary
// streams, and on the compressed fuzz input at a level it chooses (which
// the inflater must accept).
//
// Run: go test -run '^$' -fuzz FuzzInflate -fuzztime 1000000x -parallel 1 ./lambda/imageproc
func FuzzInflate(f *testing.F) {
	f.Add([]byte{0x63, 0x64, 0x62, 0x06, 0x00}, uint8(0))
	f.Add(deflate(f, photo(9, 5).Pix, 6), uint8(6))
	f.Add(deflate(f, bytes.Repeat([]byte{1, 2}, 300), 9), uint8(9))
	f.Add([]byte{1, 3, 0, 0xfc, 0xff, 1, 2, 3}, uint8(1))
	inf := new(inflater)
	f.Fuzz(func(t *testing.T, b []byte, level uint8) {
		checkInflate(t, inf, b)
		z := deflate(t, b, int(level%11)-2)
		if !checkInflate(t, inf, z) {
			t.Fatalf("inflater refused compress/flate's output at level %d", int(level%11)-2)
		}
	})
}

// BenchmarkInflate decodes the pixel data of the PNG BenchmarkPNGPaths
// calls mobilenet-100x80 (24 KB of noise-like rows in 15 KB) with the
// inflater and with compress/flate, as image/png uses it.
func BenchmarkInflate(b *testing.B) {
	file, err := os.ReadFile(filepath.Join("..", "models", "testdata", "mobilenet", "other-size.png"))
	if err != nil {
		b.Fatal(err)
	}
	i := bytes.Index(file, []byte("IDAT"))
	n := int(binary.BigEndian.Uint32(file[i-4:]))
	z := file[i+4+2 : i+4+n] // the DEFLATE stream and the zlib checksum
	want, _, err := flateRef(z)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("inflater", func(b *testing.B) {
		f, dst := new(inflater), make([]byte, len(want))
		b.SetBytes(int64(len(want)))
		for b.Loop() {
			if _, ok := f.inflate(dst, z); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("compress-flate", func(b *testing.B) {
		r, br := flate.NewReader(nil), bytes.NewReader(nil)
		dst := make([]byte, len(want))
		b.SetBytes(int64(len(want)))
		for b.Loop() {
			br.Reset(z)
			if err := r.(flate.Resetter).Reset(br, nil); err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(r, dst); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestAdler32 compares the PNG fast path's checksum with hash/adler32's
// on every length up to 300 and on 200 KB of bytes near 255, the most s2
// can grow between reductions.
func TestAdler32(t *testing.T) {
	b := photo(300, 200).Pix
	for n := range 301 {
		if got, want := adler32Sum(b[:n]), adler32.Checksum(b[:n]); got != want {
			t.Fatalf("%d bytes: %08x, hash/adler32 %08x", n, got, want)
		}
	}
	high := bytes.Repeat([]byte{255, 254, 255, 253}, 50_000)
	if got, want := adler32Sum(high), adler32.Checksum(high); got != want {
		t.Fatalf("200 KB: %08x, hash/adler32 %08x", got, want)
	}
}
