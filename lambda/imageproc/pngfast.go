package imageproc

import (
	"encoding/binary"
	"hash/crc32"
)

// The PNG fast path: the PNGs a client sends to an image model (8-bit
// grayscale, RGB, paletted, grayscale+alpha or RGBA, 1-, 2- and 4-bit
// grayscale and paletted; not interlaced, not 16-bit)
// inflated in one go into a buffer of the rows' exact size by inflate.go,
// unfiltered in place, and expanded to 8-bit RGB a row at a time as the
// resampler reads it; the buffers and tables are reused from one request
// to the next. image/png builds a fresh zlib reader (tens of KB of
// tables), reads the compressed data through a bufio.Reader and a 32 KB
// window into a 4-byte-per-pixel image.Image; the pixels reach the model
// by the same unfiltering and the same alpha rule either way.
//
// The fast path never decides that an image is bad: anything outside its
// subset or anything it finds wrong (a CRC, a chunk out of order, a bad
// filter, too much or too little pixel data, the zlib checksum) hands the
// whole image to image/png, whose answer (pixels or error) is the one
// served. FuzzPNGFast checks that whatever the fast path accepts, image/png
// accepts too, with the same RGB values.

// PNG colour types (PNG spec, table 11.1).
const (
	pngGray      = 0
	pngRGB       = 2
	pngPaletted  = 3
	pngGrayAlpha = 4
	pngRGBA      = 6
)

// The chunk order image/png enforces (its decoder stages).
const (
	stStart = iota
	stIHDR
	stPLTE
	stTRNS
	stIDAT
)

// pngFast holds the reusable state of the fast path; it lives in a pooled
// work.
type pngFast struct {
	raw        []uint8 // the rows, each a filter byte and rowLen bytes, unfiltered in place
	zero       []uint8 // the row above the first: zeros
	idat       []uint8 // the IDAT chunks' data, when there are several
	inf        inflater
	palette    [256][3]uint8
	width, bpp int
	rowLen     int // bytes per row, filter byte excluded
	depth      int // bits per sample: 1, 2, 4 (gray, paletted) or 8
	ctype      byte
}

// maxFastRaw is the largest row buffer a pooled work keeps between
// requests (16 MiB, a 2,300×2,300 RGB image); larger ones are dropped
// after use.
const maxFastRaw = 16 << 20

// decodePNG decodes b into p.raw and reports whether it could; rows
// (pngRows) then reads its pixels. It does not allocate once p's buffers
// have grown to the image's size.
func (p *pngFast) decodePNG(b []byte) (width, height int, ok bool) {
	const sigLen = 8
	stage := stStart
	var h int
	for pos := sigLen; ; {
		if len(b)-pos < 12 {
			return 0, 0, false // no IEND
		}
		n := binary.BigEndian.Uint32(b[pos:])
		if n > 0x7fffffff || uint64(n) > uint64(len(b)-pos-12) {
			return 0, 0, false
		}
		typ, data := b[pos+4:pos+8], b[pos+8:pos+8+int(n)]
		if crc32.Update(crc32.ChecksumIEEE(typ), crc32.IEEETable, data) != binary.BigEndian.Uint32(b[pos+8+int(n):]) {
			return 0, 0, false
		}
		next := pos + 12 + int(n)
		switch string(typ) {
		case "IHDR":
			if stage != stStart || !p.header(data) {
				return 0, 0, false
			}
			h = int(binary.BigEndian.Uint32(data[4:8]))
			stage = stIHDR
		case "PLTE":
			if stage != stIHDR || !p.plte(data) {
				return 0, 0, false
			}
			stage = stPLTE
		case "tRNS":
			// Alpha is dropped (see rows.go), so tRNS only has to be valid
			// where image/png wants it.
			switch p.ctype {
			case pngPaletted:
				if stage != stPLTE || len(data) > 256 {
					return 0, 0, false
				}
			case pngRGB:
				if (stage != stIHDR && stage != stPLTE) || len(data) != 6 {
					return 0, 0, false
				}
			case pngGray:
				if stage != stIHDR || len(data) != 2 {
					return 0, 0, false
				}
			default:
				return 0, 0, false
			}
			stage = stTRNS
		case "IDAT":
			if stage == stIDAT {
				break // image/png ignores IDAT chunks after the image's own
			}
			if stage < stIHDR || (stage == stIHDR && p.ctype == pngPaletted) {
				return 0, 0, false
			}
			// The image's data is this chunk and the IDAT chunks right
			// after it.
			z, several := data, false
			for next+12 <= len(b) && string(b[next+4:next+8]) == "IDAT" {
				m := binary.BigEndian.Uint32(b[next:])
				if m > 0x7fffffff || uint64(m) > uint64(len(b)-next-12) {
					return 0, 0, false
				}
				d := b[next+8 : next+8+int(m)]
				if crc32.Update(crc32.ChecksumIEEE(b[next+4:next+8]), crc32.IEEETable, d) != binary.BigEndian.Uint32(b[next+8+int(m):]) {
					return 0, 0, false
				}
				if !several {
					p.idat, several = append(p.idat[:0], z...), true
				}
				p.idat = append(p.idat, d...)
				z = p.idat
				next += 12 + int(m)
			}
			if !p.pixels(z, h) {
				return 0, 0, false
			}
			stage = stIDAT
		case "IEND":
			if stage != stIDAT || n != 0 {
				return 0, 0, false
			}
			return p.width, h, true
		}
		pos = next
	}
}

// header reads IHDR and accepts the fast path's subset.
func (p *pngFast) header(d []byte) bool {
	if len(d) != 13 {
		return false
	}
	w, h := int32(binary.BigEndian.Uint32(d[0:4])), int32(binary.BigEndian.Uint32(d[4:8]))
	depth, ctype, comp, filter, interlace := d[8], d[9], d[10], d[11], d[12]
	if w <= 0 || h <= 0 || w > maxImageSide || h > maxImageSide || comp != 0 || filter != 0 || interlace != 0 {
		return false
	}
	switch depth {
	case 1, 2, 4:
		if ctype != pngGray && ctype != pngPaletted {
			return false
		}
	case 8:
	default:
		return false // 16-bit: image/png
	}
	switch ctype {
	case pngGray, pngPaletted:
		p.bpp = 1 // a byte, whatever the depth, for the filters
	case pngGrayAlpha:
		p.bpp = 2
	case pngRGB:
		p.bpp = 3
	case pngRGBA:
		p.bpp = 4
	default:
		return false
	}
	p.width, p.ctype, p.depth = int(w), ctype, int(depth)
	p.palette = [256][3]uint8{} // indexes past the palette are opaque black, as in image/png
	return true
}

// plte reads a palette (used for paletted images, ignored for truecolour
// ones as image/png does; refused for grayscale ones).
func (p *pngFast) plte(d []byte) bool {
	np := len(d) / 3
	if len(d)%3 != 0 || np == 0 || np > 1<<p.depth {
		return false
	}
	switch p.ctype {
	case pngPaletted:
		for i := range np {
			p.palette[i] = [3]uint8{d[3*i], d[3*i+1], d[3*i+2]}
		}
		return true
	case pngRGB, pngRGBA:
		return true
	}
	return false
}

// pixels inflates the zlib stream z and unfilters h rows into p.raw. The
// stream must hold exactly the image's rows and end, checksum included,
// exactly at the end of z.
func (p *pngFast) pixels(z []byte, h int) bool {
	if len(z) < 2+4 {
		return false
	}
	cmf, flg := z[0], z[1]
	if cmf&0x0f != 8 || cmf>>4 > 7 || (uint(cmf)<<8|uint(flg))%31 != 0 || flg&0x20 != 0 {
		return false
	}
	p.rowLen = (p.width*p.bpp*p.depth + 7) / 8
	stride := 1 + p.rowLen
	p.raw = grow(p.raw, h*stride)
	used, ok := p.inf.inflate(p.raw, z[2:])
	if !ok || len(z)-2-used != 4 || adler32Sum(p.raw) != binary.BigEndian.Uint32(z[len(z)-4:]) {
		return false
	}
	p.zero = grow(p.zero, p.rowLen)
	clear(p.zero)
	prev := p.zero
	for y := range h {
		cur := p.raw[y*stride : (y+1)*stride]
		if !unfilter(cur[0], cur[1:], prev, p.bpp) {
			return false
		}
		prev = cur[1:]
	}
	return true
}

// rows is the rowSource of a decoded image.
func (p *pngFast) rows() pngRows { return pngRows{p} }

// pngRows reads the fast path's unfiltered rows as RGB.
type pngRows struct{ p *pngFast }

func (s pngRows) row(y, x0 int, dst []uint8) {
	p := s.p
	stride := 1 + p.rowLen
	p.expand(dst, p.raw[y*stride+1:(y+1)*stride], x0)
}

// expand writes pixels [x0, x0+len(dst)/3) of one unfiltered row as RGB,
// dropping alpha.
func (p *pngFast) expand(dst, src []uint8, x0 int) {
	if p.depth < 8 {
		// Packed samples, leftmost pixel in the high bits; gray scales to
		// 8 bits by replication (×255, ×85, ×17), as image/png does.
		d := uint(p.depth)
		mask := uint8(1)<<d - 1
		scale := 0xff / mask
		for i := range len(dst) / 3 {
			bit := uint(x0+i) * d
			v := src[bit/8] >> (8 - d - bit%8) & mask
			c := [3]uint8{v * scale, v * scale, v * scale}
			if p.ctype == pngPaletted {
				c = p.palette[v]
			}
			copy(dst[3*i:3*i+3], c[:])
		}
		return
	}
	src = src[p.bpp*x0:]
	switch p.ctype {
	case pngRGB:
		copy(dst, src)
	case pngRGBA:
		for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+4 {
			s := src[j : j+3 : j+3]
			dst[i], dst[i+1], dst[i+2] = s[0], s[1], s[2]
		}
	case pngGray:
		for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+1 {
			v := src[j]
			dst[i], dst[i+1], dst[i+2] = v, v, v
		}
	case pngGrayAlpha:
		for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+2 {
			v := src[j]
			dst[i], dst[i+1], dst[i+2] = v, v, v
		}
	case pngPaletted:
		for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+1 {
			c := &p.palette[src[j]]
			dst[i], dst[i+1], dst[i+2] = c[0], c[1], c[2]
		}
	}
}

// unfilter reverses one row's filter (PNG spec, section 9) in place; prev
// is the previous unfiltered row (zeros for the first). Sub and Average
// run one channel (byte of a pixel) at a time, carrying the pixel to the
// left in a register: a loop that read back the byte it stored bpp bytes
// earlier would wait on the store each time. Up adds 8 bytes at a time.
func unfilter(filter byte, cur, prev []uint8, bpp int) bool {
	prev = prev[:len(cur)]
	switch filter {
	case 0:
	case 1: // Sub
		for ch := range bpp {
			var a uint8
			for i := ch; i < len(cur); i += bpp {
				a += cur[i]
				cur[i] = a
			}
		}
	case 2: // Up
		n := len(cur) &^ 7
		for i := 0; i < n; i += 8 {
			x, y := binary.LittleEndian.Uint64(cur[i:]), binary.LittleEndian.Uint64(prev[i:])
			// Bytewise x + y: the low 7 bits of each byte added, the top
			// bit set from both top bits and the carry into it.
			const top = 0x8080808080808080
			binary.LittleEndian.PutUint64(cur[i:], ((x&^top)+(y&^top))^((x^y)&top))
		}
		for i := n; i < len(cur); i++ {
			cur[i] += prev[i]
		}
	case 3: // Average
		for ch := range bpp {
			var a uint8
			for i := ch; i < len(cur); i += bpp {
				a = cur[i] + uint8((int(a)+int(prev[i]))/2)
				cur[i] = a
			}
		}
	case 4: // Paeth
		// One loop over all channels: the channels' predictors, longer
		// than a store's round trip, overlap.
		for i := range min(bpp, len(cur)) {
			cur[i] += prev[i]
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += paeth(cur[i-bpp], prev[i], prev[i-bpp])
		}
	default:
		return false
	}
	return true
}

// paeth is the Paeth predictor of left a, above b and upper-left c: the
// one nearest a + b - c, ties going to a, then b. That is the least of
// distance, rank and value packed in one integer, which min computes with
// conditional moves: branches would be mispredicted on noise-like rows,
// at a cost of several times the rest.
func paeth(a, b, c uint8) uint8 {
	pa, pb := int(b)-int(c), int(a)-int(c)
	pc := pa + pb
	pa, pb, pc = max(pa, -pa), max(pb, -pb), max(pc, -pc)
	return uint8(min(pa<<10|int(a), pb<<10|1<<8|int(b), pc<<10|2<<8|int(c)))
}

// adler32Sum is hash/adler32.Checksum(b), eight bytes a step. Over eight bytes
// b0..b7, s1 grows by their sum and s2 by 8·s1 + 8·b0 + 7·b1 + … + 1·b7.
// The even and the odd bytes are spread to four 16-bit lanes each; a
// product with four weights in lanes puts the weighted sum in the top lane
// (no lane below it can carry: each stays under 2^16).
func adler32Sum(b []byte) uint32 {
	const (
		mod   = 65521
		lo    = 0x00ff00ff00ff00ff
		ones  = 0x0001000100010001
		evenW = 2 | 4<<16 | 6<<32 | 8<<48 // b0, b2, b4, b6 weigh 8, 6, 4, 2
		oddW  = 1 | 3<<16 | 5<<32 | 7<<48 // b1, b3, b5, b7 weigh 7, 5, 3, 1
	)
	s1, s2 := uint64(1), uint64(0)
	for len(b) > 0 {
		// 64 KB between reductions keeps s2 far below 2^64.
		c := b[:min(len(b), 1<<16)]
		b = b[len(c):]
		for ; len(c) >= 8; c = c[8:] {
			w := binary.LittleEndian.Uint64(c)
			e, o := w&lo, w>>8&lo
			s2 += s1<<3 + (e*evenW)>>48 + (o*oddW)>>48
			s1 += ((e + o) * ones) >> 48
		}
		for _, v := range c {
			s1 += uint64(v)
			s2 += s1
		}
		s1 %= mod
		s2 %= mod
	}
	return uint32(s2<<16 | s1)
}
