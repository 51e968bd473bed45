package model

import (
	"errors"
	"fmt"
	"math"
	"unicode"
	"unicode/utf8"
)

// Featurizer kinds.
const (
	// FeaturizerHashedWords lowercases text, splits it into runs of letters
	// and digits, hashes each word (and each pair of neighbouring words when
	// Bigrams is set) with 32-bit FNV-1a into Dims buckets, takes log(1+count)
	// and scales the row to unit L2 norm.
	FeaturizerHashedWords = "hashed-words"
	// FeaturizerScale multiplies each number of a vector instance by Scale.
	FeaturizerScale = "scale"
)

// Featurizer describes how an instance becomes one row of the input tensor.
// Training and serving share this code, so they cannot drift apart.
type Featurizer struct {
	Kind string `json:"kind"`
	// Hashed words.
	Bigrams  bool `json:"bigrams,omitempty"`
	MaxBytes int  `json:"max_bytes,omitempty"` // only the first MaxBytes of a text are read; 0 reads all
	// Scale.
	Scale float64 `json:"scale,omitempty"`
}

func (f Featurizer) validate(in Input) error {
	switch f.Kind {
	case FeaturizerHashedWords:
		if in.Kind != KindText {
			return fmt.Errorf("featurizer.kind %q needs input.kind %q, got %q", f.Kind, KindText, in.Kind)
		}
		if f.MaxBytes < 0 {
			return fmt.Errorf("featurizer.max_bytes %d is negative", f.MaxBytes)
		}
	case FeaturizerScale:
		if in.Kind != KindVector {
			return fmt.Errorf("featurizer.kind %q needs input.kind %q, got %q", f.Kind, KindVector, in.Kind)
		}
		if f.Scale == 0 || math.IsNaN(f.Scale) || math.IsInf(f.Scale, 0) {
			return fmt.Errorf("featurizer.scale %v must be a finite non-zero number", f.Scale)
		}
	default:
		return fmt.Errorf("featurizer.kind %q is not one of %q, %q", f.Kind, FeaturizerHashedWords, FeaturizerScale)
	}
	return nil
}

const (
	fnvOffset32 = 2166136261
	fnvPrime32  = 16777619
)

// HashText writes the hashed-words features of text into row, which must be
// zeroed and len(row) buckets long. It allocates nothing.
func (f Featurizer) HashText(text string, row []float32) {
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

// ErrVectorLength is returned by ScaleVector for a vector of the wrong length.
var ErrVectorLength = errors.New("wrong vector length")

// ScaleVector writes v times the scale into row.
func (f Featurizer) ScaleVector(v []float64, row []float32) error {
	if len(v) != len(row) {
		return fmt.Errorf("%w: got %d numbers, want %d", ErrVectorLength, len(v), len(row))
	}
	for i, x := range v {
		row[i] = float32(x * f.Scale)
	}
	return nil
}
