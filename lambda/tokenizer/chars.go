package tokenizer

import "unicode"

// isWhitespace reports what the BERT pipeline treats as whitespace: the
// Unicode White_Space property (Rust's char::is_whitespace, which the
// tokenizers library's BertNormalizer and BertPreTokenizer use; Go's
// unicode.IsSpace is the same set).
func isWhitespace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || (r >= '\t' && r <= '\r')
	}
	return unicode.IsSpace(r)
}

// isControl reports the characters that text cleaning drops: every "Other"
// category (Cc, Cf, Co, Cs and unassigned Cn), except tab, newline and
// carriage return, which count as whitespace. This is HF's _is_control
// (category starts with "C") and tokenizers' is_other.
func isControl(r rune) bool {
	if r < 0x80 {
		if r == '\t' || r == '\n' || r == '\r' {
			return false
		}
		return r < 0x20 || r == 0x7f
	}
	if unicode.Is(unicode.C, r) {
		return true
	}
	return !isAssigned(r)
}

// assigned lists every general category but C; a rune in none of them is
// unassigned (Cn), which Go's tables do not list.
var assigned = []*unicode.RangeTable{unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z}

func isAssigned(r rune) bool {
	return unicode.In(r, assigned...)
}

// isPunctuation is HF's _is_punctuation: the ASCII ranges 33–47, 58–64,
// 91–96 and 123–126 (which include symbols such as $ + < = > ^ ` | ~) and
// every Unicode P* category.
func isPunctuation(r rune) bool {
	if r < 0x80 {
		return (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126)
	}
	return unicode.IsPunct(r)
}

// isChineseChar is HF's _is_chinese_char: the CJK Unified Ideographs blocks
// (and extensions A–E) and the CJK Compatibility Ideographs, not Japanese
// kana or Korean hangul, which are written with spaces.
func isChineseChar(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) ||
		(r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0x20000 && r <= 0x2A6DF) ||
		(r >= 0x2A700 && r <= 0x2B73F) ||
		(r >= 0x2B740 && r <= 0x2B81F) ||
		(r >= 0x2B820 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) ||
		(r >= 0x2F800 && r <= 0x2FA1F)
}
