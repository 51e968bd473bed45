package tokenizer

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vocabSeeds are vocab objects: the test tokenizers' own and the cases
// the scanner leaves to encoding/json.
func vocabSeeds(tb testing.TB) []string {
	seeds := []string{
		`{}`, ` { } `, `null`, `[]`, `"x"`, `{"a":1}`, "{\n \"a\" : 1 ,\n\t\"b\":-2}",
		`{"a":1,"a":2}`, `{"\u00e9":3,"\"q\"":4,"\\":5}`, `{"a":1.0}`, `{"a":1e2}`, `{"a":-0}`,
		`{"a":9223372036854775807}`, `{"a":9223372036854775808}`, `{"a":"1"}`, `{"a":null}`, `{"a":true}`,
		`{"a":{"b":1}}`, `{"a":[1]}`,
	}
	for _, f := range []string{filepath.Join("testdata", "json", "tokenizer.json"), filepath.Join("..", "models", "bert", "tokenizer.json")} {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var tj struct {
			Model struct {
				Vocab json.RawMessage `json:"vocab"`
			} `json:"model"`
		}
		if err := json.Unmarshal(b, &tj); err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, string(tj.Model.Vocab))
	}
	return seeds
}

// checkVocab: decoding b as a vocabJSON gives what map[string]int64 gives:
// the same map, or an error where that has one.
func checkVocab(t *testing.T, b []byte) {
	t.Helper()
	var want map[string]int64
	errWant := json.Unmarshal(b, &want)
	var got vocabJSON
	errGot := json.Unmarshal(b, &got)
	if (errWant == nil) != (errGot == nil) {
		t.Fatalf("%q: map[string]int64 error %v, vocabJSON error %v", b, errWant, errGot)
	}
	if errWant == nil && (!maps.Equal(want, map[string]int64(got)) || (want == nil) != (got == nil)) {
		t.Fatalf("%q: map[string]int64 gives %v, vocabJSON %v", b, want, got)
	}
}

func TestVocabJSON(t *testing.T) {
	for _, s := range vocabSeeds(t) {
		checkVocab(t, []byte(s))
	}
	// The test models' vocabularies take the fast path.
	for _, s := range vocabSeeds(t)[19:] {
		if _, ok := scanVocab([]byte(s)); !ok {
			t.Errorf("a tokenizer's vocab of %d bytes went to encoding/json", len(s))
		}
	}
}

// FuzzVocabJSON: vocabJSON decodes any input as map[string]int64 does.
//
//	go test -run '^$' -fuzz FuzzVocabJSON -fuzztime 1000000x -parallel 1 ./lambda/tokenizer
func FuzzVocabJSON(f *testing.F) {
	// The literal seeds and the first 3 KB of the test tokenizer's vocab
	// (its entries up to a comma, closed): whole vocabularies (80 KB) would
	// slow each execution a hundredfold; TestVocabJSON checks those.
	seeds := vocabSeeds(f)
	for _, s := range seeds[:len(seeds)-2] {
		f.Add([]byte(s))
	}
	big := seeds[len(seeds)-2]
	cut := strings.LastIndexByte(big[:min(len(big), 3000)], ',')
	f.Add([]byte(big[:max(cut, 1)] + "}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkVocab(t, b)
	})
}
