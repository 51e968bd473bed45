package imageproc

import (
	"encoding/binary"
	"math/bits"
)

// inflater decodes a DEFLATE stream (RFC 1951) whose decoded size is known
// in advance, a PNG's filtered rows, straight into a buffer of that size.
// General-purpose inflaters (compress/flate, klauspost/compress) write
// through a 32 KB window and read a byte at a time through an io.Reader;
// here matches copy within the output itself, the input is read 8 bytes at
// a time from a slice into a 64-bit bit buffer, and one table lookup gives
// a literal, or a length or distance with its base and extra-bit count.
//
// It accepts a subset of what compress/flate accepts, with the same
// output: every Huffman code must be complete (or the single one-bit code
// zlib may write, or empty where no symbol is read from it), a distance
// may not reach before the output's start, and the stream must fill the
// buffer exactly. FuzzInflate checks both against compress/flate.
type inflater struct {
	lit, dist, clen huffman
	fixLit, fixDist huffman // the fixed codes (BTYPE 01), built on first use
	fixBuilt        bool
	lens            [maxLit + maxDist]uint8
	clens           [19]uint8
}

const (
	maxLit  = 286 // literal/length symbols a stream may use
	maxDist = 30  // distance symbols a stream may use
)

// huffman is a decoding table indexed by the next primary bits of the
// input (codes are packed first bit lowest, so the table is indexed by
// codes reversed). Codes longer than primary go through one subtable per
// prefix, after the primary table. An entry is value<<16 | extra<<8 |
// flags | code length: for a literal the byte, for a length or distance
// its base and the number of extra bits that follow.
type huffman struct {
	t []uint32
}

// Table sizes. The literal/length code is read 10 bits at a time: one
// lookup for all but the rarest codes (at most 15 bits), and 1,024
// primary entries plus at most 286 subtables of 2^5. The distance code is
// read 8 bits at a time: 256 entries plus at most 30 subtables of 2^7.
// The code-length code (at most 7 bits) has no subtables. The fixed
// codes are built with the same primary sizes, so the decoding loop uses
// constants.
const (
	litBits  = 10
	litSize  = 1 << 14 // ≥ 1<<10 + 286<<5, a power of two
	distBits = 8
	distSize = 1 << 12 // = 1<<8 + 30<<7
	clenBits = 7
	clenSize = 1 << 7
)

// Entry fields besides value (bits 16 to 31) and extra (bits 8 to 11).
// Bits 4 and 5 stay zero, so that e&63 is the code's length: a shift takes
// its count modulo 64, and the compiler then needs no masking on the path
// each literal waits for.
const (
	hLen  = 0x0f    // the code's length in bits, consumed when decoded
	hLit  = 1 << 6  // a literal byte (or, in the code-length code, a symbol)
	hEnd  = 1 << 7  // end of block
	hLink = 1 << 12 // a subtable: value is its offset, extra its index bits
	hBad  = 1 << 13 // no code starts so
)

// Base lengths and distances, and their extra bits (RFC 1951, 3.2.5).
var (
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// clenOrder is the order code-length code lengths are sent in.
	clenOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

func litEntry(sym int) uint32 {
	switch {
	case sym < 256:
		return uint32(sym)<<16 | hLit
	case sym == 256:
		return hEnd
	case sym < maxLit:
		return uint32(lenBase[sym-257])<<16 | uint32(lenExtra[sym-257])<<8
	}
	return hBad // 286 and 287 exist in the fixed code only, and are invalid
}

func distEntry(sym int) uint32 {
	if sym < maxDist {
		return uint32(distBase[sym])<<16 | uint32(distExtra[sym])<<8
	}
	return hBad // 30 and 31, likewise
}

func clenEntry(sym int) uint32 { return uint32(sym)<<16 | hLit }

// build makes h decode the canonical code with these code lengths (0: the
// symbol is unused), read primary bits at a time into a table of size
// entries, entry giving each symbol's entry. It reports false for a code
// compress/flate refuses (over-subscribed, or incomplete but for one code
// of one bit) and for no code at all when empty is false.
func (h *huffman) build(lengths []uint8, primary uint, size int, entry func(sym int) uint32, empty bool) bool {
	var count [16]int
	maxLen := 0
	for _, l := range lengths {
		count[l]++
		maxLen = max(maxLen, int(l))
	}
	count[0] = 0
	h.t = grow(h.t, size)
	for i := range 1 << primary {
		h.t[i] = hBad
	}
	if maxLen == 0 {
		return empty
	}
	// Canonical codes: next[l] is the first code of length l. left counts
	// the codes of length maxLen still free.
	var next [16]int
	code, left := 0, 1
	for l := 1; l <= maxLen; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
		left = left<<1 - count[l]
		if left < 0 {
			return false // over-subscribed
		}
	}
	if left != 0 && !(maxLen == 1 && count[1] == 1) {
		return false // incomplete
	}
	sub := uint(max(maxLen-int(primary), 0)) // index bits of every subtable
	end := 1 << primary                      // where the next subtable goes
	for sym, l := range lengths {
		if l == 0 {
			continue
		}
		rev := int(bits.Reverse16(uint16(next[l])) >> (16 - l))
		next[l]++
		e := entry(sym) | uint32(l)
		if uint(l) <= primary {
			for i := rev; i < 1<<primary; i += 1 << l {
				h.t[i] = e
			}
			continue
		}
		link := h.t[rev&(1<<primary-1)]
		if link&hLink == 0 {
			if end+1<<sub > size {
				return false // cannot happen within the sizes above
			}
			link = uint32(end)<<16 | uint32(sub)<<8 | hLink
			h.t[rev&(1<<primary-1)] = link
			for i := range 1 << sub {
				h.t[end+i] = hBad
			}
			end += 1 << sub
		}
		off := int(link >> 16)
		for i := rev >> primary; i < 1<<sub; i += 1 << (uint(l) - primary) {
			h.t[off+i] = e
		}
	}
	return true
}

// buildFixed builds the fixed codes once.
func (f *inflater) buildFixed() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	f.fixLit.build(l[:], litBits, litSize, litEntry, false)
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	f.fixDist.build(d[:], distBits, distSize, distEntry, false)
	f.fixBuilt = true
}

// bitReader reads src a bit at a time, first bit lowest, holding 56 to 63
// bits after each refill. Past the end of src it reads zeros and counts
// them in pos, so a stream that ends early fails when its end is checked;
// it never reads more than 8 bytes past the end.
type bitReader struct {
	src  []byte
	pos  int // next byte of src to load
	bits uint64
	nb   uint // bits held
}

// refill tops the buffer up to at least 56 bits; false means it ran more
// than 8 bytes past the end of src.
func (r *bitReader) refill() bool {
	var ok bool
	r.pos, r.bits, r.nb, ok = refill(r.src, r.pos, r.bits, r.nb)
	return ok
}

// refill is bitReader.refill on values, for the decoding loop, which keeps
// them in registers.
func refill(src []byte, pos int, b uint64, nb uint) (int, uint64, uint, bool) {
	if pos+8 <= len(src) {
		// The bytes beyond the whole ones taken are loaded too; the next
		// refill ORs the same bits over them.
		b |= binary.LittleEndian.Uint64(src[pos:]) << nb
		return pos + int(63-nb)>>3, b, nb | 56, true
	}
	for nb <= 56 {
		if pos < len(src) {
			b |= uint64(src[pos]) << nb
		} else if pos >= len(src)+8 {
			return pos, b, nb, false
		}
		pos++
		nb += 8
	}
	return pos, b, nb, true
}

// take consumes n bits (n ≤ 32, at most nb) and returns them.
func (r *bitReader) take(n uint) uint32 {
	v := uint32(r.bits & (1<<n - 1))
	r.bits >>= n
	r.nb -= n
	return v
}

// offset is the position in src of the first bit not consumed, rounded up
// to a byte.
func (r *bitReader) offset() int {
	return r.pos - int(r.nb/8)
}

// inflate decodes the DEFLATE stream at the start of src into dst, which it
// must fill exactly, and returns how many bytes of src the stream took.
func (f *inflater) inflate(dst, src []byte) (used int, ok bool) {
	r := bitReader{src: src}
	o := 0
	for final := false; !final; {
		if !r.refill() {
			return 0, false
		}
		final = r.take(1) == 1
		switch r.take(2) {
		case 0:
			n, ok := f.stored(&r, dst[o:])
			if !ok {
				return 0, false
			}
			o += n
			continue
		case 1:
			if !f.fixBuilt {
				f.buildFixed()
			}
			if o, ok = f.codes(&r, dst, o, &f.fixLit, &f.fixDist); !ok {
				return 0, false
			}
		case 2:
			if !f.tables(&r) {
				return 0, false
			}
			if o, ok = f.codes(&r, dst, o, &f.lit, &f.dist); !ok {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	used = r.offset()
	return used, o == len(dst) && used <= len(src)
}

// stored copies a stored block (BTYPE 00) into dst and returns its length.
func (f *inflater) stored(r *bitReader, dst []byte) (int, bool) {
	r.take(r.nb % 8) // to a byte boundary
	pos := r.offset()
	if pos+4 > len(r.src) {
		return 0, false
	}
	n := int(binary.LittleEndian.Uint16(r.src[pos:]))
	if binary.LittleEndian.Uint16(r.src[pos+2:]) != ^uint16(n) || n > len(dst) || pos+4+n > len(r.src) {
		return 0, false
	}
	copy(dst, r.src[pos+4:pos+4+n])
	*r = bitReader{src: r.src, pos: pos + 4 + n}
	return n, true
}

// tables reads a dynamic block's codes (BTYPE 10) into f.lit and f.dist.
func (f *inflater) tables(r *bitReader) bool {
	nlit := int(r.take(5)) + 257
	ndist := int(r.take(5)) + 1
	nclen := int(r.take(4)) + 4
	if nlit > maxLit || ndist > maxDist {
		return false
	}
	f.clens = [19]uint8{}
	for i := range nclen {
		if r.nb < 3 && !r.refill() {
			return false
		}
		f.clens[clenOrder[i]] = uint8(r.take(3))
	}
	if !f.clen.build(f.clens[:], clenBits, clenSize, clenEntry, false) {
		return false
	}
	lens := f.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		if r.nb < 7+7 && !r.refill() {
			return false
		}
		e := f.clen.t[r.bits&(1<<clenBits-1)]
		if e&hBad != 0 {
			return false
		}
		r.take(uint(e & hLen))
		sym := e >> 16
		if sym < 16 {
			lens[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return false
			}
			rep, v = 3+int(r.take(2)), lens[i-1]
		case 17:
			rep = 3 + int(r.take(3))
		default:
			rep = 11 + int(r.take(7))
		}
		if i+rep > len(lens) {
			return false
		}
		for range rep {
			lens[i] = v
			i++
		}
	}
	return f.lit.build(lens[:nlit], litBits, litSize, litEntry, false) &&
		f.dist.build(lens[nlit:], distBits, distSize, distEntry, true)
}

// codes decodes one Huffman-coded block into dst from o on and returns
// where the output ends. The loop keeps the bit buffer in local variables
// (the compiler keeps them in registers) and refills it inline.
func (f *inflater) codes(r *bitReader, dst []byte, o int, lit, dist *huffman) (int, bool) {
	src, pos, b, nb := r.src, r.pos, r.bits, r.nb
	// Array pointers with masked indexes: no bounds checks on lookups.
	lt, dt := (*[litSize]uint32)(lit.t), (*[distSize]uint32)(dist.t)
	for {
		// One refill covers a whole match: a length code and its extra
		// bits (15 + 5) and a distance code and its extra bits (15 + 13).
		if nb < 48 {
			var ok bool
			if pos, b, nb, ok = refill(src, pos, b, nb); !ok {
				return 0, false
			}
		}
		// Literals, most symbols in a PNG's noise-like rows, as many as the
		// buffer holds; the symbol after them is looked up again after the
		// refill.
		e := lt[b&(1<<litBits-1)]
		if e&(hLit|hLink) == hLit {
			var ok bool
			if o, b, nb, ok = literals(lt, dst, o, b, nb); !ok {
				return 0, false
			}
			continue
		}
		if e&hLink != 0 {
			e = lt[(e>>16+uint32(b>>litBits)&(1<<(e>>8&hLen)-1))&(litSize-1)]
		}
		b >>= e & hLen
		nb -= uint(e & hLen)
		if e&hLit != 0 {
			if uint(o) >= uint(len(dst)) {
				return 0, false
			}
			dst[o] = byte(e >> 16)
			o++
			continue
		}
		if e&(hEnd|hBad) != 0 {
			r.pos, r.bits, r.nb = pos, b, nb
			return o, e&hBad == 0
		}
		extra := uint(e >> 8 & hLen)
		length := int(e>>16) + int(b&(1<<extra-1))
		b >>= extra
		nb -= extra
		e = dt[b&(1<<distBits-1)]
		if e&hLink != 0 {
			e = dt[(e>>16+uint32(b>>distBits)&(1<<(e>>8&hLen)-1))&(distSize-1)]
		}
		if e&hBad != 0 {
			return 0, false
		}
		b >>= e & hLen
		nb -= uint(e & hLen)
		extra = uint(e >> 8 & hLen)
		d := int(e>>16) + int(b&(1<<extra-1))
		b >>= extra
		nb -= extra
		if d > o || length > len(dst)-o {
			return 0, false
		}
		// The match repeats the d bytes before o; each copy doubles what
		// the next can take (a multiple of d, so the period is kept).
		for n := 0; n < length; {
			n += copy(dst[o+n:o+length], dst[o-d:o+n])
		}
		o += length
	}
}

// literals writes to dst from o on the literals at the start of the bit
// buffer b (nb bits) whose codes are in lt's primary table (so at most
// litBits long), while nb holds a whole one, and returns the new output
// position and buffer; false if dst is full. Each lookup waits for the
// one before (its code's length shifts the buffer), so the time per
// literal is that chain's latency. The function is kept out of codes
// (go:noinline) so that its few variables stay in registers: inlined, the
// compiler spills them on that chain.
//
//go:noinline
func literals(lt *[litSize]uint32, dst []byte, o int, b uint64, nb uint) (int, uint64, uint, bool) {
	for nb >= litBits {
		e := lt[b&(1<<litBits-1)]
		if e&(hLit|hLink) != hLit {
			break
		}
		if uint(o) >= uint(len(dst)) {
			return o, b, nb, false
		}
		dst[o] = byte(e >> 16)
		o++
		b >>= e & 63
		nb -= uint(e & hLen)
	}
	return o, b, nb, true
}
