package tokenizer

import (
	"strings"
	"testing"
	"time"
)

// benchText is about 100 words of mixed English with accents, punctuation,
// CJK and words that split into pieces or fall back to [UNK].
var benchText = strings.Repeat("Hello, world! The café's naïve résumé was unaffable; running runs, "+
	"我爱北京 and Tokyo — a truly remarkable, extraordinary experience. ", 5)

func BenchmarkEncode(b *testing.B) {
	tok := load(b, "uncased/vocab.txt", Options{})
	b.Run("100 words", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			if _, err := tok.Encode(benchText, 0); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
	words := strings.Fields(benchText)
	batch := make([]string, 8)
	for i := range batch {
		batch[i] = strings.Join(words[:len(words)*(i+1)/8], " ")
	}
	b.Run("batch of 8", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			if _, err := tok.EncodeBatch(batch, 0); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkEncodeAdversarial measures texts that produce few tokens per
// byte: the work is bounded by MaxInputBytes, not by the text's length.
func BenchmarkEncodeAdversarial(b *testing.B) {
	tok := load(b, "uncased/vocab.txt", Options{})
	for _, bc := range []struct{ name, text string }{
		{"6 MB of spaces", strings.Repeat(" ", 6<<20)},
		{"6 MB word", strings.Repeat("a", 6<<20)},
		{"6 MB of control characters", strings.Repeat("\u200b", 2<<20)},
		{"6 MB of accents", "e" + strings.Repeat("\u0301", 3<<20)},
		// Each word matches a ##a ##a … for 99 runes, then fails on q: [UNK].
		{"unsplittable 100-rune words", strings.Repeat(strings.Repeat("a", 99)+"q ", 60000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				if _, err := tok.Encode(bc.text, 0); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// reportCPU adds cpu-ns/op, the process CPU time per operation since
// start (GC included): on a machine shared with other jobs it stays close
// to the work done while ns/op grows with the wait.
func reportCPU(b *testing.B, start time.Duration) {
	if start > 0 && b.N > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}
