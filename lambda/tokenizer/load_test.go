package tokenizer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// minimalJSON is a valid tokenizer.json that each error row breaks once.
const minimalJSON = `{
  "added_tokens": [{"id": 0, "content": "[PAD]", "normalized": false, "special": true}],
  "normalizer": {"type": "BertNormalizer", "lowercase": true},
  "pre_tokenizer": {"type": "BertPreTokenizer"},
  "post_processor": {"type": "BertProcessing", "cls": ["[CLS]", 2], "sep": ["[SEP]", 3]},
  "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100, "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hi": 4}}
}`

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		opts   Options
		target string
		want   string
	}{
		{"missing file", nil, Options{}, "vocab.txt", "no such file"},
		{"empty vocab", map[string]string{"vocab.txt": "\n"}, Options{}, "vocab.txt", "vocabulary is empty"},
		{"vocab not utf-8", map[string]string{"vocab.txt": "[UNK]\n\xff\n"}, Options{}, "vocab.txt", "vocabulary is not valid UTF-8"},
		{"vocab without unk", map[string]string{"vocab.txt": "[CLS]\n[SEP]\nhi\n"}, Options{}, "vocab.txt", `unknown token "[UNK]" is not in the vocabulary`},
		{"vocab without cls", map[string]string{"vocab.txt": "[UNK]\n[SEP]\n"}, Options{}, "vocab.txt", `special token "[CLS]" is not in the vocabulary`},
		{"bad tokenizer_config.json", map[string]string{"vocab.txt": "[UNK]\n", "tokenizer_config.json": "{"}, Options{}, "vocab.txt", "tokenizer_config.json: unexpected end of JSON input"},
		{"bad special token in config", map[string]string{"vocab.txt": "[UNK]\n", "tokenizer_config.json": `{"unk_token": 5}`}, Options{}, "vocab.txt", "special token 5 is neither a string nor an object with content"},
		{"no basic tokenization", map[string]string{"vocab.txt": "[UNK]\n", "tokenizer_config.json": `{"do_basic_tokenize": false}`}, Options{}, "vocab.txt", "do_basic_tokenize=false is not supported"},
		{"negative max length option", map[string]string{"vocab.txt": "[UNK]\n"}, Options{MaxLength: -1}, "vocab.txt", "options: max length -1 is negative"},
		{"max length below specials", map[string]string{"vocab.txt": "[UNK]\n[CLS]\n[SEP]\n"}, Options{MaxLength: 1}, "vocab.txt", "max length 1 leaves no room for the 2 special tokens"},
		{"not json", map[string]string{"tokenizer.json": "vocab"}, Options{}, "tokenizer.json", "invalid character"},
		{"bpe model", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `"type": "WordPiece"`, `"type": "BPE"`, 1)}, Options{}, "tokenizer.json", `model type "BPE" is not supported (WordPiece is)`},
		{"unsupported normalizer", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `"BertNormalizer"`, `"NFKC"`, 1)}, Options{}, "tokenizer.json", `normalizer: type "NFKC" is not supported`},
		{"options need a BertNormalizer", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `{"type": "BertNormalizer", "lowercase": true}`, `{"type": "Lowercase"}`, 1)}, Options{Lowercase: ptr(false)}, "tokenizer.json", "normalizer: options lowercase, strip accents and chinese chars need a BertNormalizer, not Lowercase"},
		{"whitespace pre-tokenizer", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `"BertPreTokenizer"`, `"Whitespace"`, 1)}, Options{}, "tokenizer.json", `pre_tokenizer: type "Whitespace" is not supported (BertPreTokenizer is)`},
		{"no pre-tokenizer", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `{"type": "BertPreTokenizer"}`, `null`, 1)}, Options{}, "tokenizer.json", "pre_tokenizer: none given; BertPreTokenizer is required"},
		{"unsupported post-processor", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `"BertProcessing"`, `"ByteLevel"`, 1)}, Options{}, "tokenizer.json", `post_processor: type "ByteLevel" is not supported`},
		{"normalized added token", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `"normalized": false`, `"normalized": true`, 1)}, Options{}, "tokenizer.json", `added token "[PAD]" has normalized=true, which is not supported`},
		{"pad id outside the vocabulary", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `"added_tokens"`, `"padding": {"pad_id": 5}, "added_tokens"`, 1)}, Options{}, "tokenizer.json", "pad id 5 is outside the vocabulary of 5 tokens"},
		{"negative id", map[string]string{"tokenizer.json": strings.Replace(minimalJSON, `"hi": 4`, `"hi": -4`, 1)}, Options{}, "tokenizer.json", `token "hi" has negative id -4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(filepath.Join(dir, tt.target), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	t.Run("minimal tokenizer.json loads", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte(minimalJSON), 0o644); err != nil {
			t.Fatal(err)
		}
		tok, err := Load(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		enc, err := tok.Encode("HI!", 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{2, 4, 1, 3}; !slices.Equal(enc.IDs, want) {
			t.Errorf("Encode(HI!) = %v, want %v", enc.IDs, want)
		}
	})
}
