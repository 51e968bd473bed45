package tokenizer

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// Ids of testdata/uncased/vocab.txt, named for readable expectations.
const (
	pad, unk, cls, sep, mask   = 0, 1, 2, 3, 4
	hello, world, comma, bang  = 5, 6, 7, 8
	un, aff, able              = 9, 10, 11
	cafe, resume, naive        = 12, 13, 14
	wo, ai, bei, jing, tokyo   = 15, 16, 17, 18, 19
	dot, the, a, contA         = 20, 21, 22, 23
	helloCased, cafeAcute      = 24, 25
	cafeCased, i, dollar, dash = 26, 27, 28, 29
	run, ning                  = 30, 31
)

func ptr[T any](v T) *T { return &v }

func load(t testing.TB, path string, opts Options) *Tokenizer {
	t.Helper()
	tok, err := Load(filepath.Join("testdata", path), opts)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return tok
}

func TestEncode(t *testing.T) {
	uncased := load(t, "uncased/vocab.txt", Options{})
	cased := load(t, "uncased/vocab.txt", Options{Lowercase: ptr(false)})
	casedStrip := load(t, "uncased/vocab.txt", Options{Lowercase: ptr(false), StripAccents: ptr(true)})
	lowerKeepAccents := load(t, "uncased/vocab.txt", Options{StripAccents: ptr(false)})
	noChinese := load(t, "uncased/vocab.txt", Options{TokenizeChineseChars: ptr(false)})
	limited := load(t, "uncased/vocab.txt", Options{MaxInputBytes: 11})

	tests := []struct {
		name      string
		tok       *Tokenizer
		text      string
		maxLength int
		want      []int64
	}{
		{"empty", uncased, "", 0, []int64{cls, sep}},
		{"only whitespace", uncased, " \t\r\n\u00a0\u3000", 0, []int64{cls, sep}},
		{"punctuation is its own token", uncased, "hello,world!!", 0, []int64{cls, hello, comma, world, bang, bang, sep}},
		{"ascii symbols are punctuation", uncased, "hello$world", 0, []int64{cls, hello, dollar, world, sep}},
		{"unicode punctuation splits", uncased, "hello—world", 0, []int64{cls, hello, dash, world, sep}},
		// Uncased: lowercase, NFD, drop the combining marks.
		{"accents stripped when uncased", uncased, "Café Résumé naïve", 0, []int64{cls, cafe, resume, naive, sep}},
		{"decomposed accents stripped", uncased, "Cafe\u0301", 0, []int64{cls, cafe, sep}},
		// Cased: "Café" is in the vocabulary as is; "Résumé" and "naïve" have no piece.
		{"cased keeps case and accents", cased, "Café Résumé naïve", 0, []int64{cls, cafeAcute, unk, unk, sep}},
		{"cased hello", cased, "Hello hello", 0, []int64{cls, helloCased, hello, sep}},
		{"cased with accents stripped", casedStrip, "Café", 0, []int64{cls, cafeCased, sep}},
		// İ lowercases to i + U+0307 (full mapping); stripping drops U+0307.
		{"dotted capital i stripped", uncased, "İ", 0, []int64{cls, i, sep}},
		{"dotted capital i kept", lowerKeepAccents, "İ", 0, []int64{cls, unk, sep}},
		{"lowercase keeping accents", lowerKeepAccents, "CAFÉ café", 0, []int64{cls, unk, unk, sep}},
		{"cjk characters split", uncased, "我爱北京 tokyo", 0, []int64{cls, wo, ai, bei, jing, tokyo, sep}},
		{"cjk glued to latin", uncased, "tokyo北京tokyo", 0, []int64{cls, tokyo, bei, jing, tokyo, sep}},
		// Unsplit, 我爱北京 is one word: 我 matches, ##爱… does not, so [UNK].
		{"cjk not split", noChinese, "我爱北京 tokyo", 0, []int64{cls, unk, tokyo, sep}},
		{"control characters dropped", uncased, "hel\x00lo\x07 wor\u200bld\ufffd\x7f", 0, []int64{cls, hello, world, sep}},
		{"private use and format characters dropped", uncased, "\ue000hello \u00adwor\u2060ld", 0, []int64{cls, hello, world, sep}},
		// The fast tokenizer keeps unassigned code points (the Python one drops them).
		{"unassigned kept", uncased, "hello \u0378world", 0, []int64{cls, hello, unk, sep}},
		// Extension E from U+2B920 is split (U+2B820–U+2B91F are not, as in the fast tokenizer).
		{"cjk extension e", uncased, "a\U0002B920a a\U0002B820a", 0, []int64{cls, a, unk, a, unk, sep}},
		{"tabs and newlines are whitespace", uncased, "hello\tworld\r\nhello\u00a0world\u2028hello", 0, []int64{cls, hello, world, hello, world, hello, sep}},
		{"wordpiece continuation", uncased, "unaffable", 0, []int64{cls, un, aff, able, sep}},
		{"wordpiece longest match first", uncased, "running runs", 0, []int64{cls, run, ning, run, 32, sep}},
		{"unsplittable word is one unk", uncased, "hello unaffablex world", 0, []int64{cls, hello, unk, world, sep}},
		{"100 characters split", uncased, strings.Repeat("a", 100), 200, append(append([]int64{cls, a}, repeat(contA, 99)...), sep)},
		{"101 characters are unk", uncased, strings.Repeat("a", 101) + " hello", 0, []int64{cls, unk, hello, sep}},
		{"101 characters counted in runes", uncased, strings.Repeat("é", 101), 0, []int64{cls, unk, sep}},
		{"special token in text", uncased, "hello [SEP] world[MASK]", 0, []int64{cls, hello, sep, world, mask, sep}},
		{"special token is case sensitive", uncased, "[sep]", 0, []int64{cls, unk, unk, unk, sep}},
		{"truncation keeps the start", uncased, "hello world hello world", 4, []int64{cls, hello, world, sep}},
		{"truncation inside a word", uncased, "unaffable", 4, []int64{cls, un, aff, sep}},
		{"truncation before punctuation", uncased, "unaffable!", 4, []int64{cls, un, aff, sep}},
		{"truncation before a special token", uncased, "unaffable[SEP]", 4, []int64{cls, un, aff, sep}},
		{"truncation to specials only", uncased, "hello", 2, []int64{cls, sep}},
		{"truncation of a long text", uncased, strings.Repeat("hello ", 1<<20), 5, []int64{cls, hello, hello, hello, sep}},
		{"huge max length", uncased, "hello", int(^uint(0) >> 1), []int64{cls, hello, sep}},
		{"input bytes limit", limited, "hello world hello", 0, []int64{cls, hello, world, sep}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.tok.Encode(tt.text, tt.maxLength)
			if err != nil {
				t.Fatalf("Encode(%q): %v", tt.text, err)
			}
			if !reflect.DeepEqual(got.IDs, tt.want) {
				t.Errorf("Encode(%q).IDs\n got %v\nwant %v", tt.text, got.IDs, tt.want)
			}
			if want := make([]int64, len(tt.want)); !reflect.DeepEqual(got.TypeIDs, want) {
				t.Errorf("TypeIDs = %v, want zeros", got.TypeIDs)
			}
			if want := repeat(1, len(tt.want)); !reflect.DeepEqual(got.AttentionMask, want) {
				t.Errorf("AttentionMask = %v, want ones", got.AttentionMask)
			}
		})
	}
}

func repeat(v int64, n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestEncodeErrors(t *testing.T) {
	tok := load(t, "uncased/vocab.txt", Options{})
	tests := []struct {
		name      string
		text      string
		maxLength int
		want      string
	}{
		{"invalid utf-8", "hello \xff world", 0, "text is not valid UTF-8"},
		{"truncated utf-8", "caf\xc3", 0, "text is not valid UTF-8"},
		{"surrogate", "\xed\xa0\x80", 0, "text is not valid UTF-8"},
		{"max length below specials", "hello", 1, "max length 1 leaves no room for the 2 special tokens"},
		{"negative max length", "hello", -1, "max length -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tok.Encode(tt.text, tt.maxLength)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Encode(%q, %d) error = %v, want %q", tt.text, tt.maxLength, err, tt.want)
			}
		})
	}
	t.Run("batch names the text", func(t *testing.T) {
		_, err := tok.EncodeBatch([]string{"ok", "bad \xff"}, 0)
		if !errors.Is(err, ErrInvalidUTF8) || err.Error() != "text 1: text is not valid UTF-8" {
			t.Fatalf("EncodeBatch error = %v", err)
		}
	})
}

func TestEncodeBatch(t *testing.T) {
	tok := load(t, "uncased/vocab.txt", Options{})
	tests := []struct {
		name      string
		texts     []string
		maxLength int
		want      Batch
	}{
		{"pads to the longest", []string{"hello", "hello world!", ""}, 0, Batch{
			N: 3, SeqLen: 5,
			IDs:           []int64{cls, hello, sep, pad, pad, cls, hello, world, bang, sep, cls, sep, pad, pad, pad},
			TypeIDs:       make([]int64, 15),
			AttentionMask: []int64{1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
		}},
		{"truncates each row", []string{"hello world hello", "hello"}, 3, Batch{
			N: 2, SeqLen: 3,
			IDs:           []int64{cls, hello, sep, cls, hello, sep},
			TypeIDs:       make([]int64, 6),
			AttentionMask: []int64{1, 1, 1, 1, 1, 1},
		}},
		{"huge max length", []string{"hello", "hello world"}, int(^uint(0) >> 1), Batch{
			N: 2, SeqLen: 4,
			IDs:           []int64{cls, hello, sep, pad, cls, hello, world, sep},
			TypeIDs:       make([]int64, 8),
			AttentionMask: []int64{1, 1, 1, 0, 1, 1, 1, 1},
		}},
		{"no texts", nil, 0, Batch{IDs: []int64{}, TypeIDs: []int64{}, AttentionMask: []int64{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tok.EncodeBatch(tt.texts, tt.maxLength)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("EncodeBatch(%q)\n got %+v\nwant %+v", tt.texts, got, tt.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	texts := []string{
		"", "Hello, World!!", "Café Résumé naïve", "我爱北京 tokyo", "unaffable running",
		"hello [SEP] [MASK]", "hel\x00lo\twor\u200bld", strings.Repeat("a", 101), "İ CAFÉ",
	}
	tests := []struct {
		name       string
		path, base string
		opts, bopt Options
		maxLength  int
		vocabSize  int
	}{
		{"tokenizer.json equals vocab.txt", "json/tokenizer.json", "uncased/vocab.txt", Options{}, Options{}, 512, 35},
		{"directory prefers tokenizer.json", "json", "uncased/vocab.txt", Options{}, Options{}, 512, 35},
		{"directory with vocab.txt", "uncased", "uncased/vocab.txt", Options{}, Options{}, 512, 35},
		{"tokenizer_config.json makes it cased", "cased/vocab.txt", "uncased/vocab.txt", Options{}, Options{Lowercase: ptr(false), MaxLength: 16}, 16, 35},
		{"options override tokenizer_config.json", "cased/vocab.txt", "uncased/vocab.txt", Options{Lowercase: ptr(true), MaxLength: 8}, Options{MaxLength: 8}, 8, 35},
		{"options override tokenizer.json", "json/tokenizer.json", "uncased/vocab.txt", Options{Lowercase: ptr(false), StripAccents: ptr(true)}, Options{Lowercase: ptr(false), StripAccents: ptr(true)}, 512, 35},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := load(t, tt.path, tt.opts)
			want := load(t, tt.base, tt.bopt)
			if got.MaxLength() != tt.maxLength || got.VocabSize() != tt.vocabSize {
				t.Errorf("MaxLength, VocabSize = %d, %d, want %d, %d", got.MaxLength(), got.VocabSize(), tt.maxLength, tt.vocabSize)
			}
			for _, text := range texts {
				g, err := got.Encode(text, 0)
				if err != nil {
					t.Fatal(err)
				}
				w, err := want.Encode(text, 0)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("Encode(%q)\n got %v\nwant %v", text, g.IDs, w.IDs)
				}
			}
		})
	}
}

func TestSettings(t *testing.T) {
	tests := []struct {
		name string
		path string
		opts Options
		want Settings
	}{
		{"uncased vocab.txt", "uncased/vocab.txt", Options{}, Settings{
			Lowercase: true, StripAccents: true, TokenizeChineseChars: true, CleanText: true,
			MaxLength: 512, VocabSize: 35, PadID: pad, UnkID: unk, Before: []int64{cls}, After: []int64{sep},
		}},
		{"cased by tokenizer_config.json", "cased/vocab.txt", Options{}, Settings{
			TokenizeChineseChars: true, CleanText: true,
			MaxLength: 16, VocabSize: 35, PadID: pad, UnkID: unk, Before: []int64{cls}, After: []int64{sep},
		}},
		{"tokenizer.json with options", "json/tokenizer.json", Options{StripAccents: ptr(false), TokenizeChineseChars: ptr(false), MaxLength: 64}, Settings{
			Lowercase: true, CleanText: true,
			MaxLength: 64, VocabSize: 35, PadID: pad, UnkID: unk, Before: []int64{cls}, After: []int64{sep},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := load(t, tt.path, tt.opts).Settings(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Settings()\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestConcurrentEncode shares one Tokenizer between goroutines (run with
// -race): results must equal the sequential ones.
func TestConcurrentEncode(t *testing.T) {
	tok := load(t, "uncased/vocab.txt", Options{})
	texts := []string{"hello, world!", "Café Résumé naïve", "我爱北京 tokyo", "unaffable running", strings.Repeat("hello ", 600), ""}
	want := make([][]int64, len(texts))
	for i, text := range texts {
		enc, err := tok.Encode(text, 0)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = enc.IDs
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 50 {
				i := (g + k) % len(texts)
				enc, err := tok.Encode(texts[i], 0)
				if err != nil || !reflect.DeepEqual(enc.IDs, want[i]) {
					errs <- fmt.Sprintf("goroutine %d: Encode(%.20q) = %v, %v", g, texts[i], enc.IDs, err)
					return
				}
				if _, err := tok.EncodeBatch(texts, 0); err != nil {
					errs <- err.Error()
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
