package tokenizer

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// step is one normalization step. Every supported step maps one rune to
// zero or more runes without looking at its neighbours, so the pipeline can
// run rune by rune and stop as soon as enough tokens are produced.
type step uint8

const (
	// stepClean drops U+0000, U+FFFD and control characters and maps
	// whitespace to a space (BertNormalizer clean_text).
	stepClean step = iota
	// stepChinese surrounds CJK ideographs with spaces (handle_chinese_chars).
	stepChinese
	// stepNFD decomposes canonically (the NFD normalizer).
	stepNFD
	// stepDropMarks drops nonspacing marks, category Mn (the StripAccents
	// normalizer; BertNormalizer's strip_accents is stepNFD then this).
	stepDropMarks
	// stepLowercase maps to lowercase with Unicode's full, unconditional
	// mapping (Rust's char::to_lowercase).
	stepLowercase
)

// normalizer is an ordered list of steps with a precomputed table for ASCII,
// which every step maps to at most one ASCII rune.
type normalizer struct {
	steps []step
	// ascii[b] is the rune ASCII byte b becomes, or -1 when it is dropped.
	ascii [0x80]rune
}

func newNormalizer(steps []step) *normalizer {
	n := &normalizer{steps: steps}
	var a, b []rune
	for c := rune(0); c < 0x80; c++ {
		a = append(a[:0], c)
		for _, s := range steps {
			b = applyStep(s, a, b[:0])
			a, b = b, a
		}
		switch len(a) {
		case 0:
			n.ascii[c] = -1
		case 1:
			n.ascii[c] = a[0]
		default:
			// Not reachable with the steps above; keep the generic path honest.
			panic("tokenizer: an ASCII rune normalized to several runes")
		}
	}
	return n
}

// Hangul syllables decompose algorithmically (Unicode 3.12); norm's
// Properties do not list them.
const (
	hangulBase  = 0xAC00
	hangulLBase = 0x1100
	hangulVBase = 0x1161
	hangulTBase = 0x11A7
	hangulTN    = 28
	hangulVN    = 21
	hangulCount = 11172
)

// appendNFD appends the canonical decomposition of r. The tables hold full
// decompositions in canonical order, so one rune needs no buffer; this
// avoids norm.Form.Append, which allocates on every call.
func appendNFD(out []rune, r rune) []rune {
	if r < 0xC0 {
		return append(out, r)
	}
	if s := r - hangulBase; s >= 0 && s < hangulCount {
		out = append(out, hangulLBase+s/(hangulVN*hangulTN), hangulVBase+(s%(hangulVN*hangulTN))/hangulTN)
		if t := s % hangulTN; t != 0 {
			out = append(out, hangulTBase+t)
		}
		return out
	}
	var buf [utf8.UTFMax]byte
	dec := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], r)]).Decomposition()
	if dec == nil {
		return append(out, r)
	}
	for len(dec) > 0 {
		d, size := utf8.DecodeRune(dec)
		out = append(out, d)
		dec = dec[size:]
	}
	return out
}

// applyStep appends step s applied to every rune of in to out.
func applyStep(s step, in, out []rune) []rune {
	for _, r := range in {
		switch s {
		case stepClean:
			switch {
			case r == 0 || r == utf8.RuneError || isControl(r):
			case isWhitespace(r):
				out = append(out, ' ')
			default:
				out = append(out, r)
			}
		case stepChinese:
			if isChineseChar(r) {
				out = append(out, ' ', r, ' ')
			} else {
				out = append(out, r)
			}
		case stepNFD:
			out = appendNFD(out, r)
		case stepDropMarks:
			if r < 0x80 || !unicode.Is(unicode.Mn, r) {
				out = append(out, r)
			}
		case stepLowercase:
			switch {
			case r < 0x80:
				if r >= 'A' && r <= 'Z' {
					r += 'a' - 'A'
				}
				out = append(out, r)
			case r == 0x130:
				// The one unconditional multi-rune lowercase mapping in
				// SpecialCasing.txt: İ → i + combining dot above.
				out = append(out, 'i', 0x307)
			default:
				out = append(out, unicode.ToLower(r))
			}
		}
	}
	return out
}
