package tokenizer

import (
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"
)

// DefaultMaxLength is the maximum sequence length, [CLS] and [SEP]
// included, when neither the options nor the tokenizer files give one: BERT's
// position-embedding count.
const DefaultMaxLength = 512

// DefaultMaxInputBytes is how many bytes of a text Encode reads at most
// when Options.MaxInputBytes is 0. Tokenizing stops earlier, as soon as
// maxLength tokens are produced, so ordinary texts never come near it; it
// bounds the work on texts that produce few tokens per byte (runs of
// whitespace, control characters or accents). Lambda requests are at most
// 6 MB, so 1 MiB keeps the worst case to a few milliseconds.
const DefaultMaxInputBytes = 1 << 20

// ErrInvalidUTF8 is returned by Encode and EncodeBatch for a text that is not
// valid UTF-8.
var ErrInvalidUTF8 = errors.New("text is not valid UTF-8")

// Options adjusts a tokenizer when it is loaded. A nil pointer or a zero
// value means: as the tokenizer files say, else Hugging Face's default.
type Options struct {
	// Lowercase lowercases the text (do_lower_case / BertNormalizer
	// lowercase). Default: from the files, else true (BertTokenizer's
	// default, the uncased models).
	Lowercase *bool
	// StripAccents removes accents (NFD, then drop nonspacing marks).
	// Default: from the files, else the value of Lowercase, as in Hugging
	// Face where strip_accents=None follows lowercasing.
	StripAccents *bool
	// TokenizeChineseChars splits around every CJK ideograph. Default: from
	// the files, else true.
	TokenizeChineseChars *bool
	// MaxLength is the maximum number of tokens, [CLS] and [SEP] included,
	// that Encode keeps when it is given 0. Default: the files'
	// (tokenizer.json truncation, else tokenizer_config.json
	// model_max_length), else DefaultMaxLength.
	MaxLength int
	// MaxInputBytes caps the bytes of a text that Encode reads. Default:
	// DefaultMaxInputBytes.
	MaxInputBytes int
}

// Encoding is one tokenized text: [CLS] tokens [SEP], no padding.
type Encoding struct {
	IDs, TypeIDs, AttentionMask []int64
}

// Batch is several encodings padded to the longest: row i occupies
// [i*SeqLen, (i+1)*SeqLen) of each slice, padding has the pad id, type id 0
// and attention mask 0.
type Batch struct {
	N, SeqLen                   int
	IDs, TypeIDs, AttentionMask []int64
}

// Tokenizer is a loaded BERT WordPiece tokenizer. It is safe for
// concurrent use.
type Tokenizer struct {
	vocab     map[string]int64
	vocabSize int
	unkID     int64
	// prefix is the WordPiece continuing-subword prefix, "##".
	prefix string
	// maxWordChars is max_input_chars_per_word: a longer word is [UNK].
	maxWordChars int
	// maxPieceBytes is the longest vocabulary entry in bytes: no piece
	// longer than that can match, which bounds the longest-match search.
	maxPieceBytes int

	norm *normalizer
	// added are the special tokens matched in the raw text before
	// normalization (normalized=false), such as [SEP] written in a text.
	added addedTokens

	// The post-processing template: before ++ sequence ++ after.
	beforeIDs, beforeTypes []int64
	afterIDs, afterTypes   []int64
	seqType                int64

	padID         int64
	maxLength     int
	maxInputBytes int
}

// VocabSize is one more than the largest token id: the size of the model's
// token embedding that the ids index.
func (t *Tokenizer) VocabSize() int { return t.vocabSize }

// MaxLength is the sequence length Encode keeps when given 0.
func (t *Tokenizer) MaxLength() int { return t.maxLength }

// Settings describes a loaded tokenizer, for manifests and diagnostics.
type Settings struct {
	// Lowercase, StripAccents, TokenizeChineseChars and CleanText report the
	// normalization steps in use.
	Lowercase, StripAccents, TokenizeChineseChars, CleanText bool
	MaxLength, VocabSize                                     int
	PadID, UnkID                                             int64
	// Before and After are the ids the template puts around the tokens:
	// [CLS] and [SEP] for BERT.
	Before, After []int64
}

// Settings reports how t tokenizes.
func (t *Tokenizer) Settings() Settings {
	s := Settings{
		MaxLength: t.maxLength,
		VocabSize: t.vocabSize,
		PadID:     t.padID,
		UnkID:     t.unkID,
		Before:    append([]int64(nil), t.beforeIDs...),
		After:     append([]int64(nil), t.afterIDs...),
	}
	for _, st := range t.norm.steps {
		switch st {
		case stepLowercase:
			s.Lowercase = true
		case stepDropMarks:
			s.StripAccents = true
		case stepChinese:
			s.TokenizeChineseChars = true
		case stepClean:
			s.CleanText = true
		}
	}
	return s
}

// PadID is the id EncodeBatch pads with.
func (t *Tokenizer) PadID() int64 { return t.padID }

// TokenID returns the id of a vocabulary or added token.
func (t *Tokenizer) TokenID(token string) (int64, bool) {
	if id, ok := t.added.byContent[token]; ok {
		return id, true
	}
	id, ok := t.vocab[token]
	return id, ok
}

func (t *Tokenizer) specials() int { return len(t.beforeIDs) + len(t.afterIDs) }

func (t *Tokenizer) resolveMaxLength(maxLength int) (int, error) {
	if maxLength < 0 {
		return 0, fmt.Errorf("max length %d is negative", maxLength)
	}
	if maxLength == 0 {
		maxLength = t.maxLength
	}
	if maxLength < t.specials() {
		return 0, fmt.Errorf("max length %d leaves no room for the %d special tokens", maxLength, t.specials())
	}
	// Far above any model's length, and keeps the token budget arithmetic
	// from overflowing.
	return min(maxLength, 1<<30), nil
}

// Encode tokenizes text as Hugging Face's BERT pipeline does and returns
// [CLS] tokens [SEP] truncated to maxLength tokens (specials included),
// keeping the start. maxLength 0 means t.MaxLength(). Text that is not
// valid UTF-8 gives ErrInvalidUTF8.
func (t *Tokenizer) Encode(text string, maxLength int) (Encoding, error) {
	maxLength, err := t.resolveMaxLength(maxLength)
	if err != nil {
		return Encoding{}, err
	}
	if !utf8.ValidString(text) {
		return Encoding{}, ErrInvalidUTF8
	}
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	ids := t.encode(e, text, maxLength, make([]int64, 0, min(maxLength, len(text)+t.specials())))
	enc := Encoding{IDs: ids, TypeIDs: make([]int64, len(ids)), AttentionMask: make([]int64, len(ids))}
	t.fillTypes(enc.TypeIDs)
	for i := range enc.AttentionMask {
		enc.AttentionMask[i] = 1
	}
	return enc, nil
}

// EncodeBatch encodes every text as Encode does and pads them to the
// longest with the pad id, type id 0 and attention mask 0. An error names
// the index of the text that caused it.
func (t *Tokenizer) EncodeBatch(texts []string, maxLength int) (Batch, error) {
	maxLength, err := t.resolveMaxLength(maxLength)
	if err != nil {
		return Batch{}, err
	}
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	// All rows go into one slice first: ends[i] is where row i stops.
	flat := make([]int64, 0, 64*len(texts))
	ends := make([]int, len(texts))
	seqLen := 0
	for i, text := range texts {
		if !utf8.ValidString(text) {
			return Batch{}, fmt.Errorf("text %d: %w", i, ErrInvalidUTF8)
		}
		start := len(flat)
		flat = t.encode(e, text, maxLength, flat)
		ends[i] = len(flat)
		seqLen = max(seqLen, len(flat)-start)
	}
	b := Batch{
		N:             len(texts),
		SeqLen:        seqLen,
		IDs:           make([]int64, len(texts)*seqLen),
		TypeIDs:       make([]int64, len(texts)*seqLen),
		AttentionMask: make([]int64, len(texts)*seqLen),
	}
	start := 0
	for i, end := range ends {
		row := flat[start:end]
		start = end
		ids := b.IDs[i*seqLen : (i+1)*seqLen]
		n := copy(ids, row)
		for j := n; j < seqLen; j++ {
			ids[j] = t.padID
		}
		t.fillTypes(b.TypeIDs[i*seqLen : i*seqLen+n])
		mask := b.AttentionMask[i*seqLen : i*seqLen+n]
		for j := range mask {
			mask[j] = 1
		}
	}
	return b, nil
}

// fillTypes writes the template's type ids for an encoding of len(types)
// tokens.
func (t *Tokenizer) fillTypes(types []int64) {
	n := copy(types, t.beforeTypes)
	end := len(types) - len(t.afterTypes)
	for i := n; i < end; i++ {
		types[i] = t.seqType
	}
	copy(types[end:], t.afterTypes)
}

// encoders recycles working state between calls.
var encoders = sync.Pool{New: func() any { return new(encoder) }}

// encoder holds the working state of one encoding, reused across a batch.
type encoder struct {
	ids    []int64
	budget int
	done   bool

	word      []byte
	wordRunes int

	a, b []rune
	key  []byte
}

// encode appends the ids of text, specials included, to dst and returns it.
// text must be valid UTF-8.
func (t *Tokenizer) encode(e *encoder, text string, maxLength int, dst []int64) []int64 {
	dst = append(dst, t.beforeIDs...)
	// The word buffer keeps at most maxWordChars runes; drop an oversized
	// one rather than keep it pooled.
	if cap(e.word) > 4*t.maxWordChars+utf8.UTFMax {
		e.word = nil
	}
	e.ids = dst
	e.budget = len(dst) + maxLength - t.specials()
	e.done = len(e.ids) >= e.budget
	e.word = e.word[:0]
	e.wordRunes = 0

	limit := min(len(text), t.maxInputBytes)
	prev := rune(-1)
	for i := 0; i < limit && !e.done; {
		if t.added.first[text[i]] {
			if id, n := t.added.match(text, i, prev); n > 0 {
				t.flushWord(e)
				e.emit(id)
				i += n
				prev, _ = utf8.DecodeLastRuneInString(text[:i])
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		prev = r
		if r < 0x80 {
			if m := t.norm.ascii[r]; m >= 0 {
				t.feed(e, m)
			}
			continue
		}
		e.a = append(e.a[:0], r)
		for _, s := range t.norm.steps {
			e.b = applyStep(s, e.a, e.b[:0])
			e.a, e.b = e.b, e.a
		}
		for _, c := range e.a {
			t.feed(e, c)
		}
	}
	t.flushWord(e)
	out := append(e.ids, t.afterIDs...)
	e.ids = nil // the caller owns the result
	return out
}

// feed takes one normalized rune through the BERT pre-tokenizer: whitespace
// ends a word, punctuation ends a word and is a word of its own.
func (t *Tokenizer) feed(e *encoder, r rune) {
	if e.done {
		return
	}
	switch {
	case isWhitespace(r):
		t.flushWord(e)
	case isPunctuation(r):
		t.flushWord(e)
		e.word = utf8.AppendRune(e.word, r)
		e.wordRunes = 1
		t.flushWord(e)
	default:
		e.wordRunes++
		// A word longer than maxWordChars is [UNK] whatever it holds, so
		// its runes need not be kept.
		if e.wordRunes <= t.maxWordChars {
			e.word = utf8.AppendRune(e.word, r)
		}
	}
}

func (e *encoder) emit(id int64) {
	if e.done {
		return
	}
	e.ids = append(e.ids, id)
	e.done = len(e.ids) >= e.budget
}

// flushWord emits the WordPiece tokens of the pending word.
func (t *Tokenizer) flushWord(e *encoder) {
	if e.wordRunes == 0 {
		return
	}
	word, runes := e.word, e.wordRunes
	e.word, e.wordRunes = e.word[:0], 0
	if e.done {
		return
	}
	if runes > t.maxWordChars {
		e.emit(t.unkID)
		return
	}
	t.wordPiece(e, word)
}

// wordPiece emits the greedy longest-match-first split of word, or a single
// [UNK] when some part of it matches no vocabulary entry.
func (t *Tokenizer) wordPiece(e *encoder, word []byte) {
	mark := len(e.ids)
	for start := 0; start < len(word); {
		end := len(word)
		if end-start > t.maxPieceBytes {
			// Longer pieces cannot match; start at a rune boundary.
			end = start + t.maxPieceBytes
			for end > start && !utf8.RuneStart(word[end]) {
				end--
			}
		}
		found := false
		for end > start {
			key := e.key[:0]
			if start > 0 {
				key = append(key, t.prefix...)
			}
			key = append(key, word[start:end]...)
			e.key = key
			if id, ok := t.vocab[string(key)]; ok {
				e.ids = append(e.ids, id)
				found = true
				break
			}
			_, size := utf8.DecodeLastRune(word[start:end])
			end -= size
		}
		if !found {
			e.ids = append(e.ids[:mark], t.unkID)
			e.done = len(e.ids) >= e.budget
			return
		}
		start = end
	}
	if len(e.ids) >= e.budget {
		e.ids = e.ids[:e.budget]
		e.done = true
	}
}
