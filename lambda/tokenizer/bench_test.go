package tokenizer

import (
	"strings"
	"testing"
)

// benchText is about 100 words of mixed English with accents, punctuation,
// CJK and words that split into pieces or fall back to [UNK].
var benchText = strings.Repeat("Hello, world! The café's naïve résumé was unaffable; running runs, "+
	"我爱北京 and Tokyo — a truly remarkable, extraordinary experience. ", 5)

func BenchmarkEncode(b *testing.B) {
	tok := load(b, "uncased/vocab.txt", Options{})
	b.Run("100 words", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tok.Encode(benchText, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	words := strings.Fields(benchText)
	batch := make([]string, 8)
	for i := range batch {
		batch[i] = strings.Join(words[:len(words)*(i+1)/8], " ")
	}
	b.Run("batch of 8", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tok.EncodeBatch(batch, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}
