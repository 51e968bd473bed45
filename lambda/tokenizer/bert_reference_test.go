package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// bertReference is the part of lambda/models/testdata/bert/reference.json
// (written by lambda/models/export/bert_spam.py with its Python reference
// tokenizer) that concerns tokenization.
type bertReference struct {
	Preprocess struct {
		MaxLength int `json:"max_length"`
		VocabSize int `json:"vocab_size"`
	} `json:"preprocess"`
	Cases []struct {
		referenceEncoding
		Batch []referenceEncoding `json:"batch"`
	} `json:"cases"`
}

type referenceEncoding struct {
	Text          *string `json:"text"`
	InputIDs      []int64 `json:"input_ids"`
	AttentionMask []int64 `json:"attention_mask"`
	TokenTypeIDs  []int64 `json:"token_type_ids"`
}

// TestBertReference checks every case of the BERT test model's reference,
// loading its tokenizer.json and its vocab.txt + tokenizer_config.json.
func TestBertReference(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bert", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref bertReference
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	var singles, batches int
	for _, file := range []string{TokenizerJSON, VocabTxt} {
		t.Run(file, func(t *testing.T) {
			tok := load(t, filepath.Join("bert", file), Options{})
			if tok.MaxLength() != ref.Preprocess.MaxLength || tok.VocabSize() != ref.Preprocess.VocabSize {
				t.Errorf("MaxLength, VocabSize = %d, %d, want %d, %d", tok.MaxLength(), tok.VocabSize(), ref.Preprocess.MaxLength, ref.Preprocess.VocabSize)
			}
			for i, c := range ref.Cases {
				switch {
				case c.Text != nil:
					singles++
					got, err := tok.Encode(*c.Text, 0)
					if err != nil {
						t.Fatalf("case %d: %v", i, err)
					}
					want := Encoding{IDs: c.InputIDs, TypeIDs: c.TokenTypeIDs, AttentionMask: c.AttentionMask}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("case %d %q\n got %v\nwant %v", i, *c.Text, got, want)
					}
				case len(c.Batch) > 0:
					batches++
					texts := make([]string, len(c.Batch))
					var want Batch
					for j, row := range c.Batch {
						texts[j] = *row.Text
						want.IDs = append(want.IDs, row.InputIDs...)
						want.TypeIDs = append(want.TypeIDs, row.TokenTypeIDs...)
						want.AttentionMask = append(want.AttentionMask, row.AttentionMask...)
					}
					want.N, want.SeqLen = len(texts), len(c.Batch[0].InputIDs)
					got, err := tok.EncodeBatch(texts, 0)
					if err != nil {
						t.Fatalf("case %d: %v", i, err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("case %d batch %q\n got %+v\nwant %+v", i, texts, got, want)
					}
				}
			}
		})
	}
	if singles < 10 || batches < 1 {
		t.Fatalf("%d single and %d batch cases, want at least 10 and 1", singles, batches)
	}
}
