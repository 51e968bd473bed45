package model

import (
	"math"
	"unicode"
	"unicode/utf8"
)

// FeaturizerHashedWords names the hashed-words featurizer in manifests.
const FeaturizerHashedWords = "hashed-words"

const (
	fnvOffset32 = 2166136261
	fnvPrime32  = 16777619
)

// HashText writes the hashed-words features of text into row, which must be
// zeroed and len(row) buckets long. It allocates nothing.
func (f HashedWords) HashText(text string, row []float32) {
	if f.MaxBytes > 0 && len(text) > f.MaxBytes {
		text = text[:f.MaxBytes]
	}
	dims := uint32(len(row))
	var (
		prev    uint32 // hash of the previous word, when hasPrev
		hasPrev bool
		cur     uint32 = fnvOffset32
		inWord  bool
		buf     [utf8.UTFMax]byte
	)
	flush := func() {
		row[cur%dims]++
		if f.Bigrams && hasPrev {
			// The pair hash continues FNV-1a from the previous word's
			// hash over a separator byte and the current word's hash.
			h := prev
			h = (h ^ ' ') * fnvPrime32
			for s := 0; s < 32; s += 8 {
				h = (h ^ (cur >> s & 0xff)) * fnvPrime32
			}
			row[h%dims]++
		}
		prev, hasPrev = cur, true
		cur, inWord = fnvOffset32, false
	}
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			n := utf8.EncodeRune(buf[:], r)
			for _, c := range buf[:n] {
				cur = (cur ^ uint32(c)) * fnvPrime32
			}
			inWord = true
			continue
		}
		if inWord {
			flush()
		}
	}
	if inWord {
		flush()
	}
	var sum float64
	for i, v := range row {
		if v != 0 {
			lv := math.Log1p(float64(v))
			row[i] = float32(lv)
			sum += lv * lv
		}
	}
	if sum > 0 {
		inv := 1 / math.Sqrt(sum)
		for i, v := range row {
			if v != 0 {
				row[i] = float32(float64(v) * inv)
			}
		}
	}
}
