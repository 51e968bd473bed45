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

// isControl reports the characters that text cleaning drops: Cc, Cf, Co
// and Cs, except tab, newline and carriage return, which count as
// whitespace. Unassigned code points (Cn) are kept, as the tokenizers
// library does (its is_other leaves them out), so a character newer than
// these tables is an ordinary character, not silently dropped;
// transformers' Python _is_control drops Cn as well.
func isControl(r rune) bool {
	if r < 0x80 {
		if r == '\t' || r == '\n' || r == '\r' {
			return false
		}
		return r < 0x20 || r == 0x7f
	}
	// Not unicode.C: Go's "Other" table also holds the unassigned code points.
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co)
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

// isChineseChar is the tokenizers library's is_chinese_char: the CJK
// Unified Ideographs blocks (and extensions A–E) and the CJK Compatibility
// Ideographs, not Japanese kana or Korean hangul, which are written with
// spaces. Its extension E range starts at U+2B920 where transformers'
// Python _is_chinese_char starts at U+2B820; this follows the fast
// tokenizer, as everywhere the two disagree.
func isChineseChar(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) ||
		(r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0x20000 && r <= 0x2A6DF) ||
		(r >= 0x2A700 && r <= 0x2B73F) ||
		(r >= 0x2B740 && r <= 0x2B81F) ||
		(r >= 0x2B920 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) ||
		(r >= 0x2F800 && r <= 0x2FA1F)
}
