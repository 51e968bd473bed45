package imageproc

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"strings"
	"sync"
)

// Sentinel errors: every input problem [Spec.Preprocess] reports wraps one
// of them, so a server can tell a bad request (all three) from a bug.
var (
	// ErrFormat: the bytes are not a PNG or JPEG image.
	ErrFormat = errors.New("not a PNG or JPEG image")
	// ErrTooLarge: the header declares more pixels than Spec.MaxPixels,
	// or a side longer than 65535 pixels.
	ErrTooLarge = errors.New("image too large")
	// ErrCorrupt: the header or the pixel data cannot be decoded.
	ErrCorrupt = errors.New("corrupt image")
)

// maxImageSide is JPEG's own limit, applied to PNG too: a 1×40,000,000
// image passes a pixel budget but would make the resize filters (whose size
// follows the longer side) large.
const maxImageSide = 65535

type inputError struct {
	kind error
	msg  string
}

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return e.kind }

func inputErr(kind error, format string, args ...any) error {
	return &inputError{kind, fmt.Sprintf(format, args...)}
}

const (
	formatPNG  = "PNG"
	formatJPEG = "JPEG"
)

// Preprocess decodes img (the raw bytes of a PNG or JPEG file) and writes
// the normalized pixels into dst, which must hold exactly [Spec.Len]
// values. Zero fields of s take their defaults ([Spec.WithDefaults]).
//
// The declared size is checked against MaxPixels before any pixel is
// decoded. Input problems return an error wrapping [ErrFormat],
// [ErrTooLarge] or [ErrCorrupt]; Preprocess never panics on any input.
// It is safe for concurrent use; scratch buffers are pooled.
func (s Spec) Preprocess(img []byte, dst []float32) error {
	s = s.WithDefaults()
	if err := s.Validate(); err != nil {
		return fmt.Errorf("invalid image spec: %w", err)
	}
	if len(dst) != s.Len() {
		return fmt.Errorf("dst has %d values, want 3×%d×%d = %d", len(dst), s.Height, s.Width, s.Len())
	}
	format, err := sniff(img)
	if err != nil {
		return err
	}
	cfg, err := decodeConfig(format, img)
	if err != nil {
		return err
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return inputErr(ErrCorrupt, "corrupt %s: image is %d×%d, no pixels", format, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > s.MaxPixels {
		return inputErr(ErrTooLarge, "image is %d×%d = %d pixels, more than the %d allowed", cfg.Width, cfg.Height, px, s.MaxPixels)
	}
	if cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return inputErr(ErrTooLarge, "image is %d×%d: sides longer than %d pixels are not allowed", cfg.Width, cfg.Height, maxImageSide)
	}
	w := pool.Get().(*work)
	defer pool.Put(w)
	if format == formatPNG {
		if pw, ph, ok := w.png.decodePNG(img); ok && pw == cfg.Width && ph == cfg.Height {
			s.run(w, w.png.rows(), pw, ph, dst)
			if cap(w.png.raw) > maxFastRaw {
				w.png.raw = nil
			}
			return nil
		}
	}
	m, err := decode(format, img)
	if err != nil {
		return err
	}
	if b := m.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return inputErr(ErrCorrupt, "corrupt %s: header says %d×%d, pixels are %d×%d", format, cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}
	s.run(w, newRowSource(m), cfg.Width, cfg.Height, dst)
	return nil
}

// sniff names the format from the magic bytes.
func sniff(b []byte) (string, error) {
	switch {
	case len(b) == 0:
		return "", inputErr(ErrFormat, "image is empty: send the bytes of a PNG or JPEG file")
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG, nil
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return formatJPEG, nil
	}
	if other := guess(b); other != "" {
		return "", inputErr(ErrFormat, "not a PNG or JPEG image (it looks like %s)", other)
	}
	return "", inputErr(ErrFormat, "not a PNG or JPEG image")
}

// guess names common formats clients send by mistake, for a clearer error.
func guess(b []byte) string {
	has := bytes.HasPrefix
	switch {
	case has(b, []byte("GIF87a")), has(b, []byte("GIF89a")):
		return "a GIF"
	case len(b) >= 12 && has(b, []byte("RIFF")) && string(b[8:12]) == "WEBP":
		return "a WebP"
	case has(b, []byte("BM")):
		return "a BMP"
	case has(b, []byte("II*\x00")), has(b, []byte("MM\x00*")):
		return "a TIFF"
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return "a HEIC or AVIF"
	case has(b, []byte("iVBORw0KGgo")), has(b, []byte("/9j/")):
		return "base64 text: decode it first"
	case has(b, []byte("\x89PNG")):
		return "a truncated PNG signature"
	}
	return ""
}

func decodeConfig(format string, b []byte) (cfg image.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = inputErr(ErrCorrupt, "corrupt %s: decoder failed on the header", format)
		}
	}()
	if format == formatPNG {
		cfg, err = png.DecodeConfig(bytes.NewReader(b))
	} else {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(b))
	}
	if err != nil {
		return cfg, decodeErr(format, err)
	}
	return cfg, nil
}

func decode(format string, b []byte) (m image.Image, err error) {
	// The standard decoders are fuzzed upstream; recover only turns a
	// decoder bug into a 400 rather than a crashed server.
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, inputErr(ErrCorrupt, "corrupt %s: decoder failed", format)
		}
	}()
	if format == formatPNG {
		m, err = png.Decode(bytes.NewReader(b))
	} else {
		m, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return nil, decodeErr(format, err)
	}
	return m, nil
}

func decodeErr(format string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return inputErr(ErrCorrupt, "truncated %s: the data ends early", format)
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "png: ")
	msg = strings.TrimPrefix(msg, "jpeg: ")
	msg = strings.TrimPrefix(msg, "invalid format: ")
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return inputErr(ErrCorrupt, "corrupt %s: %s", format, msg)
}

// work holds the scratch buffers of one Preprocess call.
type work struct {
	png      pngFast
	tx, ty   taps
	bytes    [group][]uint8 // input rows' RGB bytes, cropped to what the taps read
	in       rowGroup       // the same pixels, as the horizontal pass reads them
	rows     [group]pixels  // the rows horizontally resized
	acc      pixels         // the vertical pass's sums, a ring of the open output rows
	lut      [3][256]float32
	lutKey   lutKey
	lutValid bool
}

type lutKey struct {
	scale     float32
	mean, std [3]float32
}

var pool = sync.Pool{New: func() any { return new(work) }}

// geometry returns the resized size (rw, rh) and the top-left corner
// (cx, cy) of the Height×Width crop taken from it, as torchvision's
// Resize(ResizeShorter) + CenterCrop((Height, Width)) compute them.
func (s Spec) geometry(sw, sh int) (rw, rh, cx, cy int) {
	if s.ResizeShorter == 0 {
		return s.Width, s.Height, 0, 0
	}
	n := s.ResizeShorter
	if sw <= sh {
		// Integer floor equals Python's int(n * long / short) here: the
		// exact quotient is never within float64 rounding of an integer.
		rw, rh = n, int(int64(n)*int64(sh)/int64(sw))
	} else {
		rw, rh = int(int64(n)*int64(sw)/int64(sh)), n
	}
	return rw, rh, roundHalfEven2(rw - s.Width), roundHalfEven2(rh - s.Height)
}

// roundHalfEven2 is Python's round(d / 2) for d >= 0 (banker's rounding),
// the offset torchvision's center_crop uses.
func roundHalfEven2(d int) int {
	h := d / 2
	if d%2 == 1 && h%2 == 1 {
		h++
	}
	return h
}

// run resizes, crops and normalizes the sw×sh image read through src.
func (s Spec) run(w *work, src rowSource, sw, sh int, dst []float32) {
	s.buildLUT(w)
	H, W := s.Height, s.Width
	rw, rh, cx, cy := s.geometry(sw, sh)
	needH, needV := rw != sw, rh != sh

	if !needH && !needV {
		// At the model's size (or cropped to it): rows go straight from the
		// image to the tensor.
		w.bytes[0] = grow(w.bytes[0], 3*W)
		for y := range H {
			src.row(cy+y, cx, w.bytes[0])
			s.emitRGB(w, dst, y, w.bytes[0])
		}
		return
	}
	lo, hi := cx, cx+W
	if needH {
		w.tx.compute(sw, rw, cx, W)
		lo, hi = w.tx.span()
		w.in.resize(hi - lo)
	}
	for r := range w.rows {
		w.bytes[r] = grow(w.bytes[r], 3*(hi-lo))
		w.rows[r].resize(W)
	}
	// hrows writes n rows from y on (at most group) of the horizontally
	// resized, cropped image to w.rows; the pass takes rows in groups.
	hrows := func(y, n int) {
		for r := range group {
			if r < n {
				src.row(y+r, lo, w.bytes[r])
			} else {
				copy(w.bytes[r], w.bytes[n-1]) // resampled for nothing
			}
		}
		if needH {
			w.in.load(&w.bytes)
			w.tx.horizontal(&w.rows, &w.in)
			return
		}
		for r := range n {
			w.rows[r].load(w.bytes[r])
		}
	}
	if !needV {
		for y := 0; y < H; y += group {
			n := min(group, H-y)
			hrows(cy+y, n)
			for r := range n {
				s.emit(w, dst, y+r, w.rows[r], 0)
			}
		}
		return
	}
	// Vertical pass, streamed: each input row is resized horizontally once
	// and added to the sums of the output rows whose filter covers it.
	// Output row i sums input rows [t.first[i], t.first[i]+t.n[i]), and
	// both ends grow with i, so rows open and close in order: the sums of
	// the rows open at once (t.open of them) are kept in a ring, and each
	// row is normalized into dst as soon as its last input row is in. Memory
	// follows the model's width and the filter, not the image.
	t := &w.ty
	t.compute(sh, rh, cy, H)
	ylo, yhi := t.span()
	w.acc.resize(t.open * W)
	sums := func(i int) pixels { return w.acc.rows(i%t.open, W) }
	next, done := 0, 0 // the next output row to open, and to close
	for y0 := ylo; y0 < yhi; y0 += group {
		n := min(group, yhi-y0)
		hrows(y0, n)
		for y := y0; y < y0+n; y++ {
			for next < H && t.first[next] <= y {
				next++
			}
			for i := done; i < next; i++ {
				vertical(sums(i), w.rows[y-y0], t.k[i*t.ksize+y-t.first[i]], y == t.first[i])
			}
			for ; done < next && t.first[done]+t.n[done]-1 == y; done++ {
				s.emit(w, dst, done, sums(done), precisionBits)
			}
		}
	}
}

// buildLUT tabulates (v*Scale - Mean[c]) / Std[c] for every 8-bit v, once
// per spec. When 1/Scale is an integer d (255 by default) it computes v/d
// instead: torchvision's ToTensor divides by 255, and the quotient is the
// float32 nearest the exact value, which v*(1/255) is not always.
func (s Spec) buildLUT(w *work) {
	key := lutKey{s.Scale, s.Mean, s.Std}
	if w.lutValid && w.lutKey == key {
		return
	}
	d := float32(0)
	if inv := math.Round(1 / float64(s.Scale)); inv >= 1 && inv <= 1<<24 && float32(1/inv) == s.Scale {
		d = float32(inv)
	}
	for c := range 3 {
		for v := range 256 {
			var x float32
			if d != 0 {
				x = float32(v) / d
			} else {
				x = float32(float32(v) * s.Scale) // explicit conversion: no fused multiply-add
			}
			w.lut[c][v] = (x - s.Mean[c]) / s.Std[c]
		}
	}
	w.lutKey, w.lutValid = key, true
}

// emit normalizes one row into row y of dst: 8-bit pixels (shift 0) or
// fixed-point sums (shift precisionBits), which it rounds as clip8 does.
func (s Spec) emit(w *work, dst []float32, y int, row pixels, shift uint) {
	H, W := s.Height, s.Width
	lr, lg, lb := &w.lut[0], &w.lut[1], &w.lut[2]
	rb, g := row.rb[:W], row.g[:W]
	v8 := func(v uint32) uint8 { return uint8(min(v>>shift, 255)) }
	if s.Layout == LayoutNHWC {
		d := dst[y*3*W : (y+1)*3*W]
		i0, i2 := 0, 2 // positions of red and blue in a pixel
		if s.ChannelOrder == OrderBGR {
			i0, i2 = 2, 0
		}
		for x, v := range rb {
			q := d[3*x : 3*x+3 : 3*x+3]
			q[i0], q[1], q[i2] = lr[v8(uint32(v))], lg[v8(g[x])], lb[v8(uint32(v>>32))]
		}
		return
	}
	plane := H * W
	p0, p2 := 0, 2 // planes of red and blue
	if s.ChannelOrder == OrderBGR {
		p0, p2 = 2, 0
	}
	dr := dst[p0*plane+y*W:][:W]
	dg := dst[plane+y*W:][:W]
	db := dst[p2*plane+y*W:][:W]
	for x, v := range rb {
		dr[x], dg[x], db[x] = lr[v8(uint32(v))], lg[v8(g[x])], lb[v8(uint32(v>>32))]
	}
}

// emitRGB normalizes one row of RGB bytes into row y of dst, as emit does
// a row of pixels.
func (s Spec) emitRGB(w *work, dst []float32, y int, row []uint8) {
	H, W := s.Height, s.Width
	order := [3]int{0, 1, 2}
	if s.ChannelOrder == OrderBGR {
		order = [3]int{2, 1, 0}
	}
	if s.Layout == LayoutNHWC {
		d := dst[y*3*W : (y+1)*3*W]
		l0, l1, l2 := &w.lut[order[0]], &w.lut[order[1]], &w.lut[order[2]]
		o0, o1, o2 := order[0], order[1], order[2]
		for x := 0; x+2 < len(d); x += 3 {
			p := row[x : x+3 : x+3]
			q := d[x : x+3 : x+3]
			q[0], q[1], q[2] = l0[p[o0]], l1[p[o1]], l2[p[o2]]
		}
		return
	}
	plane := H * W
	for oc, sc := range order {
		l := &w.lut[sc]
		d := dst[oc*plane+y*W:][:W]
		for x := range d {
			d[x] = l[row[3*x+sc]]
		}
	}
}
