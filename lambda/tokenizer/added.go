package tokenizer

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// addedToken is a token matched in the raw text before normalization, as
// tokenizers' AddedVocabulary does for tokens with normalized=false (the
// special tokens [CLS], [SEP], [PAD], [UNK], [MASK]).
type addedToken struct {
	content    string
	id         int64
	singleWord bool
}

// addedTokens finds added tokens leftmost-longest-first.
type addedTokens struct {
	// list is sorted longest first, so the first match is the longest.
	list      []addedToken
	byContent map[string]int64
	// first[b] reports whether some token starts with byte b.
	first [256]bool
}

func newAddedTokens(tokens []addedToken) addedTokens {
	a := addedTokens{byContent: map[string]int64{}}
	for _, tok := range tokens {
		if tok.content == "" {
			continue
		}
		if _, dup := a.byContent[tok.content]; dup {
			continue
		}
		a.byContent[tok.content] = tok.id
		a.list = append(a.list, tok)
		a.first[tok.content[0]] = true
	}
	sort.SliceStable(a.list, func(i, j int) bool { return len(a.list[i].content) > len(a.list[j].content) })
	return a
}

// match returns the id and byte length of the longest added token that
// starts at text[i:], or n = 0. prev is the rune before i (-1 at the start),
// for single_word tokens, which must not touch a word character.
func (a *addedTokens) match(text string, i int, prev rune) (id int64, n int) {
	for _, tok := range a.list {
		if !strings.HasPrefix(text[i:], tok.content) {
			continue
		}
		if tok.singleWord {
			next, _ := utf8.DecodeRuneInString(text[i+len(tok.content):])
			if i+len(tok.content) == len(text) {
				next = -1
			}
			if isWordChar(prev) || isWordChar(next) {
				continue
			}
		}
		return tok.id, len(tok.content)
	}
	return 0, 0
}

func isWordChar(r rune) bool {
	return r >= 0 && (r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r))
}
