package tokenizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Names of the files Load looks for in a model directory.
const (
	TokenizerJSON   = "tokenizer.json"
	VocabTxt        = "vocab.txt"
	TokenizerConfig = "tokenizer_config.json"
)

// maxSaneLength bounds a length read from a file: transformers writes
// int(1e30) as model_max_length when a model sets none.
const maxSaneLength = 1 << 20

// Load reads a tokenizer from path: a Hugging Face tokenizer.json (any file
// ending in .json), a vocab.txt (any other file, one token per line, id =
// line number), or a directory holding either (tokenizer.json preferred).
// A tokenizer_config.json next to the file supplies model_max_length, the
// special tokens and, for vocab.txt, do_lower_case, strip_accents and
// tokenize_chinese_chars. Non-zero opts override the files.
func Load(path string, opts Options) (*Tokenizer, error) {
	if opts.MaxLength < 0 {
		return nil, fmt.Errorf("options: max length %d is negative", opts.MaxLength)
	}
	if opts.MaxInputBytes < 0 {
		return nil, fmt.Errorf("options: max input bytes %d is negative", opts.MaxInputBytes)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		dir := path
		path = filepath.Join(dir, TokenizerJSON)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			path = filepath.Join(dir, VocabTxt)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg, err := readConfig(filepath.Join(filepath.Dir(path), TokenizerConfig))
	if err != nil {
		return nil, err
	}
	var t *Tokenizer
	if strings.EqualFold(filepath.Ext(path), ".json") {
		t, err = fromTokenizerJSON(data, cfg, opts)
	} else {
		t, err = fromVocabTxt(data, cfg, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// tokenSpec is a special token in tokenizer_config.json: a string or an
// AddedToken object {"content": ...}.
type tokenSpec struct{ content string }

func (s *tokenSpec) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(b, &s.content); err == nil {
		return nil
	}
	var obj struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("special token %s is neither a string nor an object with content", b)
	}
	s.content = obj.Content
	return nil
}

func (s tokenSpec) or(def string) string {
	if s.content == "" {
		return def
	}
	return s.content
}

type addedTokenJSON struct {
	ID         *int64 `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	Normalized *bool  `json:"normalized"`
	Special    bool   `json:"special"`
}

// tokenizerConfig is the part of transformers' tokenizer_config.json that
// the BERT pipeline reads.
type tokenizerConfig struct {
	DoLowerCase          *bool                     `json:"do_lower_case"`
	DoBasicTokenize      *bool                     `json:"do_basic_tokenize"`
	StripAccents         *bool                     `json:"strip_accents"`
	TokenizeChineseChars *bool                     `json:"tokenize_chinese_chars"`
	ModelMaxLength       *float64                  `json:"model_max_length"`
	UnkToken             tokenSpec                 `json:"unk_token"`
	SepToken             tokenSpec                 `json:"sep_token"`
	PadToken             tokenSpec                 `json:"pad_token"`
	ClsToken             tokenSpec                 `json:"cls_token"`
	MaskToken            tokenSpec                 `json:"mask_token"`
	AddedTokensDecoder   map[string]addedTokenJSON `json:"added_tokens_decoder"`
}

func readConfig(path string) (tokenizerConfig, error) {
	var cfg tokenizerConfig
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, err
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// modelMaxLength is model_max_length when it is a usable length.
func (c tokenizerConfig) modelMaxLength() int {
	if c.ModelMaxLength == nil {
		return 0
	}
	v := *c.ModelMaxLength
	if v <= 0 || v > maxSaneLength || v != math.Trunc(v) {
		return 0
	}
	return int(v)
}

func pick(opt, file *bool, def bool) bool {
	if opt != nil {
		return *opt
	}
	if file != nil {
		return *file
	}
	return def
}

// bertSteps are BertNormalizer's steps, in tokenizers' order.
func bertSteps(clean, chinese, stripAccents, lowercase bool) []step {
	var s []step
	if clean {
		s = append(s, stepClean)
	}
	if chinese {
		s = append(s, stepChinese)
	}
	if stripAccents {
		s = append(s, stepNFD, stepDropMarks)
	}
	if lowercase {
		s = append(s, stepLowercase)
	}
	return s
}

// fromVocabTxt builds BertTokenizer's pipeline around a vocab.txt.
func fromVocabTxt(data []byte, cfg tokenizerConfig, opts Options) (*Tokenizer, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("vocabulary is not valid UTF-8")
	}
	// Python reads the file with universal newlines and strips "\n" only.
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil, errors.New("vocabulary is empty")
	}
	lines := strings.Split(text, "\n")
	vocab := make(map[string]int64, len(lines))
	for i, tok := range lines {
		vocab[tok] = int64(i) // a repeated token keeps its last id, as load_vocab does
	}

	if cfg.DoBasicTokenize != nil && !*cfg.DoBasicTokenize {
		return nil, errors.New("do_basic_tokenize=false is not supported (BertTokenizer's basic tokenization is always applied)")
	}
	lower := pick(opts.Lowercase, cfg.DoLowerCase, true)
	strip := pick(opts.StripAccents, cfg.StripAccents, lower)
	chinese := pick(opts.TokenizeChineseChars, cfg.TokenizeChineseChars, true)

	b := builder{
		vocab:        vocab,
		unk:          cfg.UnkToken.or("[UNK]"),
		prefix:       "##",
		maxWordChars: 100,
		steps:        bertSteps(true, chinese, strip, lower),
		pad:          cfg.PadToken.or("[PAD]"),
		maxLength:    cfg.modelMaxLength(),
	}
	cls, sep := cfg.ClsToken.or("[CLS]"), cfg.SepToken.or("[SEP]")
	for _, tok := range []string{b.unk, sep, b.pad, cls, cfg.MaskToken.or("[MASK]")} {
		if id, ok := vocab[tok]; ok {
			b.added = append(b.added, addedToken{content: tok, id: id})
		}
	}
	if err := b.addDecoderTokens(cfg); err != nil {
		return nil, err
	}
	for _, tok := range []string{cls, sep} {
		if _, ok := vocab[tok]; !ok {
			return nil, fmt.Errorf("special token %q is not in the vocabulary", tok)
		}
	}
	b.before = []templateToken{{vocab[cls], 0}}
	b.after = []templateToken{{vocab[sep], 0}}
	return b.build(opts)
}

// addDecoderTokens adds tokenizer_config.json's added_tokens_decoder.
func (b *builder) addDecoderTokens(cfg tokenizerConfig) error {
	for key, tok := range cfg.AddedTokensDecoder {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil || id < 0 {
			return fmt.Errorf("added_tokens_decoder: id %q is not a non-negative integer", key)
		}
		if err := b.addToken(tok, id); err != nil {
			return fmt.Errorf("added_tokens_decoder: %w", err)
		}
	}
	return nil
}

func (b *builder) addToken(tok addedTokenJSON, id int64) error {
	normalized := !tok.Special
	if tok.Normalized != nil {
		normalized = *tok.Normalized
	}
	if normalized {
		return fmt.Errorf("added token %q has normalized=true, which is not supported (only tokens matched in the raw text are)", tok.Content)
	}
	b.added = append(b.added, addedToken{content: tok.Content, id: id, singleWord: tok.SingleWord})
	return nil
}

type templateToken struct{ id, typeID int64 }

// builder gathers what both file formats describe.
type builder struct {
	vocab         map[string]int64
	unk           string
	prefix        string
	maxWordChars  int
	steps         []step
	added         []addedToken
	before, after []templateToken
	seqType       int64
	pad           string
	padID         *int64
	maxLength     int
}

func (b builder) build(opts Options) (*Tokenizer, error) {
	unkID, ok := b.vocab[b.unk]
	if !ok {
		return nil, fmt.Errorf("unknown token %q is not in the vocabulary", b.unk)
	}
	t := &Tokenizer{
		vocab:         b.vocab,
		unkID:         unkID,
		prefix:        b.prefix,
		maxWordChars:  b.maxWordChars,
		norm:          newNormalizer(b.steps),
		added:         newAddedTokens(b.added),
		seqType:       b.seqType,
		maxLength:     DefaultMaxLength,
		maxInputBytes: DefaultMaxInputBytes,
	}
	var maxID int64 = -1
	for tok, id := range b.vocab {
		if id < 0 {
			return nil, fmt.Errorf("token %q has negative id %d", tok, id)
		}
		maxID = max(maxID, id)
		t.maxPieceBytes = max(t.maxPieceBytes, len(tok))
	}
	for _, a := range b.added {
		if a.id < 0 {
			return nil, fmt.Errorf("added token %q has negative id %d", a.content, a.id)
		}
		maxID = max(maxID, a.id)
	}
	for _, tt := range append(b.before[:len(b.before):len(b.before)], b.after...) {
		if tt.id < 0 {
			return nil, fmt.Errorf("special token id %d is negative", tt.id)
		}
	}
	for _, tt := range b.before {
		t.beforeIDs, t.beforeTypes = append(t.beforeIDs, tt.id), append(t.beforeTypes, tt.typeID)
		maxID = max(maxID, tt.id)
	}
	for _, tt := range b.after {
		t.afterIDs, t.afterTypes = append(t.afterIDs, tt.id), append(t.afterTypes, tt.typeID)
		maxID = max(maxID, tt.id)
	}
	if maxID >= math.MaxInt32 {
		return nil, fmt.Errorf("token id %d is too large", maxID)
	}
	t.vocabSize = int(maxID + 1)
	switch {
	case b.padID != nil:
		t.padID = *b.padID
	default:
		if id, ok := t.TokenID(b.pad); ok {
			t.padID = id
		}
	}
	if t.padID < 0 || t.padID >= int64(t.vocabSize) {
		return nil, fmt.Errorf("pad id %d is outside the vocabulary of %d tokens", t.padID, t.vocabSize)
	}
	if b.maxLength > 0 {
		t.maxLength = b.maxLength
	}
	if opts.MaxLength > 0 {
		t.maxLength = opts.MaxLength
	}
	if t.maxLength < t.specials() {
		return nil, fmt.Errorf("max length %d leaves no room for the %d special tokens", t.maxLength, t.specials())
	}
	if opts.MaxInputBytes > 0 {
		t.maxInputBytes = opts.MaxInputBytes
	}
	return t, nil
}
