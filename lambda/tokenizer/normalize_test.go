package tokenizer

import (
	"slices"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestAppendNFD checks the allocation-free per-rune decomposition against
// norm.NFD for every code point.
func TestAppendNFD(t *testing.T) {
	var got []rune
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		got = appendNFD(got[:0], r)
		if want := []rune(norm.NFD.String(string(r))); !slices.Equal(got, want) {
			t.Fatalf("appendNFD(%U) = %U, want %U", r, got, want)
		}
	}
}
