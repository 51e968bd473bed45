package tokenizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// tokenizerJSON is the part of a tokenizers library file that a WordPiece
// BERT pipeline uses.
type tokenizerJSON struct {
	AddedTokens   []addedTokenJSON `json:"added_tokens"`
	Normalizer    json.RawMessage  `json:"normalizer"`
	PreTokenizer  json.RawMessage  `json:"pre_tokenizer"`
	PostProcessor json.RawMessage  `json:"post_processor"`
	Truncation    *struct {
		MaxLength int `json:"max_length"`
	} `json:"truncation"`
	Padding *struct {
		PadID *int64 `json:"pad_id"`
	} `json:"padding"`
	Model struct {
		Type                    string    `json:"type"`
		UnkToken                *string   `json:"unk_token"`
		ContinuingSubwordPrefix *string   `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    *int      `json:"max_input_chars_per_word"`
		Vocab                   vocabJSON `json:"vocab"`
	} `json:"model"`
}

type component struct {
	Type string `json:"type"`
	// BertNormalizer
	CleanText          *bool `json:"clean_text"`
	HandleChineseChars *bool `json:"handle_chinese_chars"`
	StripAccents       *bool `json:"strip_accents"`
	Lowercase          *bool `json:"lowercase"`
	// Sequence
	Normalizers   []json.RawMessage `json:"normalizers"`
	PreTokenizers []json.RawMessage `json:"pretokenizers"`
	// Punctuation
	Behavior string `json:"behavior"`
	// TemplateProcessing
	Single        []templatePiece `json:"single"`
	SpecialTokens map[string]struct {
		IDs []int64 `json:"ids"`
	} `json:"special_tokens"`
	// BertProcessing, RobertaProcessing: [token, id]
	Cls []json.RawMessage `json:"cls"`
	Sep []json.RawMessage `json:"sep"`
}

type templatePiece struct {
	SpecialToken *struct {
		ID     string `json:"id"`
		TypeID int64  `json:"type_id"`
	} `json:"SpecialToken"`
	Sequence *struct {
		ID     string `json:"id"`
		TypeID int64  `json:"type_id"`
	} `json:"Sequence"`
}

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func fromTokenizerJSON(data []byte, cfg tokenizerConfig, opts Options) (*Tokenizer, error) {
	var tj tokenizerJSON
	if err := json.Unmarshal(data, &tj); err != nil {
		return nil, err
	}
	m := tj.Model
	if m.Type != "WordPiece" && !(m.Type == "" && m.ContinuingSubwordPrefix != nil) {
		return nil, fmt.Errorf("model type %q is not supported (WordPiece is)", m.Type)
	}
	if len(m.Vocab) == 0 {
		return nil, errors.New("model vocab is empty")
	}
	b := builder{
		vocab:        m.Vocab,
		unk:          "[UNK]",
		prefix:       "##",
		maxWordChars: 100,
		pad:          cfg.PadToken.or("[PAD]"),
		maxLength:    cfg.modelMaxLength(),
	}
	if m.UnkToken != nil {
		b.unk = *m.UnkToken
	}
	if m.ContinuingSubwordPrefix != nil {
		b.prefix = *m.ContinuingSubwordPrefix
	}
	if m.MaxInputCharsPerWord != nil {
		if *m.MaxInputCharsPerWord < 1 {
			return nil, fmt.Errorf("max_input_chars_per_word %d is not positive", *m.MaxInputCharsPerWord)
		}
		b.maxWordChars = *m.MaxInputCharsPerWord
	}
	if tj.Truncation != nil && tj.Truncation.MaxLength > 0 && tj.Truncation.MaxLength <= maxSaneLength {
		b.maxLength = tj.Truncation.MaxLength
	}
	if tj.Padding != nil && tj.Padding.PadID != nil {
		b.padID = tj.Padding.PadID
	}
	for _, tok := range tj.AddedTokens {
		if tok.ID == nil {
			return nil, fmt.Errorf("added token %q has no id", tok.Content)
		}
		if err := b.addToken(tok, *tok.ID); err != nil {
			return nil, err
		}
	}

	steps, err := normalizerSteps(tj.Normalizer, opts, true)
	if err != nil {
		return nil, fmt.Errorf("normalizer: %w", err)
	}
	b.steps = steps
	if err := checkPreTokenizer(tj.PreTokenizer); err != nil {
		return nil, fmt.Errorf("pre_tokenizer: %w", err)
	}
	if err := b.postProcessor(tj.PostProcessor); err != nil {
		return nil, fmt.Errorf("post_processor: %w", err)
	}
	return b.build(opts)
}

// normalizerSteps turns a normalizer into steps. Options apply to a
// top-level BertNormalizer only (top is false inside a Sequence).
func normalizerSteps(raw json.RawMessage, opts Options, top bool) ([]step, error) {
	overridden := opts.Lowercase != nil || opts.StripAccents != nil || opts.TokenizeChineseChars != nil
	if isNull(raw) {
		if overridden {
			return nil, errors.New("options lowercase, strip accents and chinese chars need a BertNormalizer, the file has none")
		}
		return nil, nil
	}
	var c component
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	if c.Type != "BertNormalizer" && overridden {
		return nil, fmt.Errorf("options lowercase, strip accents and chinese chars need a BertNormalizer, not %s", c.Type)
	}
	switch c.Type {
	case "BertNormalizer":
		lower := pick(opts.Lowercase, c.Lowercase, true)
		return bertSteps(
			pick(nil, c.CleanText, true),
			pick(opts.TokenizeChineseChars, c.HandleChineseChars, true),
			pick(opts.StripAccents, c.StripAccents, lower),
			lower,
		), nil
	case "Sequence":
		var steps []step
		for _, n := range c.Normalizers {
			s, err := normalizerSteps(n, Options{}, false)
			if err != nil {
				return nil, err
			}
			steps = append(steps, s...)
		}
		return steps, nil
	case "NFD":
		return []step{stepNFD}, nil
	case "Lowercase":
		return []step{stepLowercase}, nil
	case "StripAccents":
		return []step{stepDropMarks}, nil
	default:
		return nil, fmt.Errorf("type %q is not supported (BertNormalizer, or a Sequence of NFD, Lowercase, StripAccents and BertNormalizer are)", c.Type)
	}
}

// checkPreTokenizer accepts BertPreTokenizer, or a Sequence of
// WhitespaceSplit and Punctuation (isolated), which split alike.
func checkPreTokenizer(raw json.RawMessage) error {
	if isNull(raw) {
		return errors.New("none given; BertPreTokenizer is required")
	}
	var c component
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	switch c.Type {
	case "BertPreTokenizer":
		return nil
	case "Sequence":
		var ws, punct bool
		for _, p := range c.PreTokenizers {
			var e component
			if err := json.Unmarshal(p, &e); err != nil {
				return err
			}
			switch {
			case e.Type == "BertPreTokenizer":
				ws, punct = true, true
			case e.Type == "WhitespaceSplit":
				ws = true
			case e.Type == "Punctuation" && (e.Behavior == "" || e.Behavior == "Isolated"):
				punct = true
			default:
				return fmt.Errorf("type %q in a Sequence is not supported (BertPreTokenizer, WhitespaceSplit and isolated Punctuation are)", e.Type)
			}
		}
		if !ws || !punct {
			return errors.New("a Sequence must split on whitespace and isolate punctuation, as BertPreTokenizer does")
		}
		return nil
	default:
		return fmt.Errorf("type %q is not supported (BertPreTokenizer is)", c.Type)
	}
}

// postProcessor reads the single-sequence template.
func (b *builder) postProcessor(raw json.RawMessage) error {
	if isNull(raw) {
		return nil
	}
	var c component
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	switch c.Type {
	case "TemplateProcessing":
		seen := false
		for _, p := range c.Single {
			switch {
			case p.Sequence != nil:
				if seen {
					return errors.New("the single template holds the sequence twice")
				}
				seen = true
				b.seqType = p.Sequence.TypeID
			case p.SpecialToken != nil:
				st, ok := c.SpecialTokens[p.SpecialToken.ID]
				if !ok {
					return fmt.Errorf("special token %q is not in special_tokens", p.SpecialToken.ID)
				}
				for _, id := range st.IDs {
					tt := templateToken{id, p.SpecialToken.TypeID}
					if seen {
						b.after = append(b.after, tt)
					} else {
						b.before = append(b.before, tt)
					}
				}
			default:
				return errors.New("a template piece is neither SpecialToken nor Sequence")
			}
		}
		if !seen {
			return errors.New("the single template has no sequence")
		}
		return nil
	case "BertProcessing", "RobertaProcessing":
		cls, err := pairID(c.Cls)
		if err != nil {
			return fmt.Errorf("cls: %w", err)
		}
		sep, err := pairID(c.Sep)
		if err != nil {
			return fmt.Errorf("sep: %w", err)
		}
		b.before = []templateToken{{cls, 0}}
		b.after = []templateToken{{sep, 0}}
		return nil
	default:
		return fmt.Errorf("type %q is not supported (TemplateProcessing and BertProcessing are)", c.Type)
	}
}

// pairID reads the id of a ["[CLS]", 101] pair.
func pairID(pair []json.RawMessage) (int64, error) {
	var id int64
	if len(pair) != 2 {
		return 0, errors.New("want [token, id]")
	}
	if err := json.Unmarshal(pair[1], &id); err != nil {
		return 0, fmt.Errorf("want [token, id]: %w", err)
	}
	return id, nil
}
