package tokenizer

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// vocabJSON is tokenizer.json's model.vocab, {"token": id, ...}: most of
// the file (4,000 to 30,000 entries). encoding/json decodes it through
// reflection with one allocation per token, which a cold start pays for
// (most of the 1.6 ms a BERT model's tokenizer took to load on the build
// machine). UnmarshalJSON reads the object directly: tokens without an
// escape are substrings of one copy of the object and the map is sized
// once. A token with an escape or invalid UTF-8 is unquoted by
// encoding/json; anything else
// unusual (a value that is not a plain integer) sends the whole object to
// encoding/json, so the result and the errors are always what
// map[string]int64 gives. FuzzVocabJSON checks that.
type vocabJSON map[string]int64

// UnmarshalJSON is called by encoding/json with one complete, valid JSON
// value.
func (v *vocabJSON) UnmarshalJSON(b []byte) error {
	if m, ok := scanVocab(b); ok {
		*v = m
		return nil
	}
	var m map[string]int64
	err := json.Unmarshal(b, &m)
	*v = m
	return err
}

// scanVocab reads a valid JSON object of string keys and integer values;
// ok is false for anything else.
func scanVocab(b []byte) (m map[string]int64, ok bool) {
	all := string(bytes.TrimSpace(b)) // one copy: the tokens are its substrings
	if len(all) < 2 || all[0] != '{' {
		return nil, false
	}
	m = make(map[string]int64, bytes.Count(b, []byte{':'}))
	i := skipSpace(all, 1)
	if i < len(all) && all[i] == '}' {
		return m, i == len(all)-1
	}
	for i < len(all) && all[i] == '"' {
		// The key ends at the first unescaped quote.
		j, escaped, ascii := i+1, false, true
		for j < len(all) && all[j] != '"' {
			switch {
			case all[j] == '\\':
				escaped = true
				j++
			case all[j] >= utf8.RuneSelf:
				ascii = false
			}
			j++
		}
		if j >= len(all) {
			return nil, false
		}
		key := all[i+1 : j]
		// encoding/json unquotes escapes and turns invalid UTF-8 into
		// U+FFFD.
		if escaped || (!ascii && !utf8.ValidString(key)) {
			if key, ok = unquote(all[i : j+1]); !ok {
				return nil, false
			}
		}
		i = skipSpace(all, j+1)
		if i >= len(all) || all[i] != ':' {
			return nil, false
		}
		i = skipSpace(all, i+1)
		k := i
		for k < len(all) && (all[k] == '-' || all[k] >= '0' && all[k] <= '9') {
			k++
		}
		// JSON integers have no '+' and no leading zeros, so ParseInt
		// accepts exactly them (within int64).
		id, err := strconv.ParseInt(all[i:k], 10, 64)
		if err != nil || all[i] == '+' || (k-i > 1 && all[i] == '0') || (k-i > 2 && all[i:i+2] == "-0") {
			return nil, false
		}
		m[key] = id
		i = skipSpace(all, k)
		if i < len(all) && all[i] == '}' {
			return m, i == len(all)-1
		}
		if i >= len(all) || all[i] != ',' {
			return nil, false
		}
		i = skipSpace(all, i+1)
	}
	return nil, false
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// unquote is encoding/json's reading of one JSON string (kept apart so
// that the keys of scanVocab stay off the heap).
func unquote(quoted string) (string, bool) {
	var s string
	err := json.Unmarshal([]byte(quoted), &s)
	return s, err == nil
}
