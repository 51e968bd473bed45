package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestDifferential compares with the Python reference tokenizer on random
// texts over hard characters (testdata/differential/gen.py).
func TestDifferential(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "differential", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Lowercase bool    `json:"lowercase"`
		Text      string  `json:"text"`
		InputIDs  []int64 `json:"input_ids"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 300 {
		t.Fatalf("%d cases, want at least 300", len(cases))
	}
	toks := map[bool]*Tokenizer{
		true:  load(t, "differential/vocab.txt", Options{MaxLength: 128}),
		false: load(t, "differential/vocab.txt", Options{MaxLength: 128, Lowercase: ptr(false)}),
	}
	for i, c := range cases {
		got, err := toks[c.Lowercase].Encode(c.Text, 0)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !slices.Equal(got.IDs, c.InputIDs) {
			t.Errorf("case %d (lowercase %v) %+q\n got %v\nwant %v", i, c.Lowercase, c.Text, got.IDs, c.InputIDs)
		}
	}
}

// TestHuggingFaceTokenizers compares with Hugging Face's Rust tokenizers
// (the fast tokenizer) on random texts of hard characters, loading the same
// tokenizer.json files (testdata/differential/hf/gen.js).
func TestHuggingFaceTokenizers(t *testing.T) {
	dir := filepath.Join("testdata", "differential", "hf")
	data, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Tokenizer string  `json:"tokenizer"`
		Text      string  `json:"text"`
		InputIDs  []int64 `json:"input_ids"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 1000 {
		t.Fatalf("%d cases, want at least 1000", len(cases))
	}
	toks := map[string]*Tokenizer{}
	for _, name := range []string{"uncased", "cased"} {
		toks[name] = load(t, filepath.Join("differential", "hf", name+".json"), Options{})
	}
	for i, c := range cases {
		tok, ok := toks[c.Tokenizer]
		if !ok {
			t.Fatalf("case %d: unknown tokenizer %q", i, c.Tokenizer)
		}
		got, err := tok.Encode(c.Text, 0)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !slices.Equal(got.IDs, c.InputIDs) {
			t.Errorf("case %d (%s) %+q\n got %v\nwant %v", i, c.Tokenizer, c.Text, got.IDs, c.InputIDs)
		}
	}
}
