package tokenizer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEncode feeds arbitrary bytes to Encode and EncodeBatch: they must not
// panic, must reject invalid UTF-8 and nothing else, and must return ids
// within the vocabulary, at most maxLength of them, [CLS] first and [SEP]
// last, with a consistent mask.
//
// Run for the README (1,000,000 executions, -parallel 1):
//
//	go test -run '^$' -fuzz FuzzEncode -fuzztime 1000000x -parallel 1 ./lambda/tokenizer
func FuzzEncode(f *testing.F) {
	for _, seed := range []string{
		"", "hello,world!!", "Café Résumé naïve", "我爱北京 tokyo", "unaffable",
		"hel\x00lo\twor\u200bld\ufffd", "[SEP][MASK] [CLS]", "İ ΟΔΟΣ", "e\u0301\u0327\u0308",
		strings.Repeat("a", 101), "\xff\xfe", "a\u2028b\u0085c", "\U0002B820\uF900",
	} {
		f.Add(seed, uint8(0))
		f.Add(seed, uint8(30))
	}
	uncased := load(f, "uncased/vocab.txt", Options{})
	cased := load(f, "cased/vocab.txt", Options{MaxInputBytes: 64})
	f.Fuzz(func(t *testing.T, text string, maxLen uint8) {
		for _, tok := range []*Tokenizer{uncased, cased} {
			maxLength := int(maxLen)%40 + 2
			enc, err := tok.Encode(text, maxLength)
			if !utf8.ValidString(text) {
				if err == nil {
					t.Fatalf("Encode(%q) accepted invalid UTF-8", text)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Encode(%q): %v", text, err)
			}
			n := len(enc.IDs)
			if n < 2 || n > maxLength || len(enc.TypeIDs) != n || len(enc.AttentionMask) != n {
				t.Fatalf("Encode(%q, %d): %d ids, %d type ids, %d mask", text, maxLength, n, len(enc.TypeIDs), len(enc.AttentionMask))
			}
			if enc.IDs[0] != cls || enc.IDs[n-1] != sep {
				t.Fatalf("Encode(%q) = %v, want [CLS] … [SEP]", text, enc.IDs)
			}
			for i, id := range enc.IDs {
				if id < 0 || id >= int64(tok.VocabSize()) || enc.AttentionMask[i] != 1 || enc.TypeIDs[i] != 0 {
					t.Fatalf("Encode(%q) = %+v: bad token %d", text, enc, i)
				}
			}
			b, err := tok.EncodeBatch([]string{text, "hello"}, maxLength)
			if err != nil {
				t.Fatalf("EncodeBatch: %v", err)
			}
			if b.N != 2 || b.SeqLen != max(n, min(3, maxLength)) || len(b.IDs) != 2*b.SeqLen {
				t.Fatalf("EncodeBatch(%q) shape %d×%d, %d ids", text, b.N, b.SeqLen, len(b.IDs))
			}
			for j := 0; j < b.SeqLen; j++ {
				if (j < n) != (b.AttentionMask[j] == 1) || (j >= n && b.IDs[j] != pad) || (j < n && b.IDs[j] != enc.IDs[j]) {
					t.Fatalf("EncodeBatch(%q) row 0 = %v mask %v, want %v padded", text, b.IDs[:b.SeqLen], b.AttentionMask[:b.SeqLen], enc.IDs)
				}
			}
		}
	})
}

// FuzzLoad feeds arbitrary tokenizer.json and vocab.txt contents to the
// loaders: they must return an error or a tokenizer that encodes without
// panicking.
//
//	go test -run '^$' -fuzz FuzzLoad -fuzztime 200000x -parallel 1 ./lambda/tokenizer
func FuzzLoad(f *testing.F) {
	for _, path := range []string{"json/tokenizer.json", "uncased/vocab.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", path))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "Hello, [SEP] wörld 我")
	}
	f.Add([]byte(minimalJSON), "HI!")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		for _, from := range []func([]byte, tokenizerConfig, Options) (*Tokenizer, error){fromTokenizerJSON, fromVocabTxt} {
			tok, err := from(data, tokenizerConfig{}, Options{MaxLength: 16})
			if err != nil {
				continue
			}
			enc, err := tok.Encode(text, 0)
			if err != nil {
				if utf8.ValidString(text) {
					t.Fatalf("Encode(%q): %v", text, err)
				}
				continue
			}
			if len(enc.IDs) > 16 {
				t.Fatalf("Encode(%q) gave %d ids, max length 16", text, len(enc.IDs))
			}
			for _, id := range enc.IDs {
				if id < 0 || id >= int64(tok.VocabSize()) {
					t.Fatalf("Encode(%q) = %v: id %d outside the vocabulary of %d", text, enc.IDs, id, tok.VocabSize())
				}
			}
		}
	})
}
