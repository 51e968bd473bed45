package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/costguard-ml/costguard/lambda/imageproc"
	"github.com/costguard-ml/costguard/lambda/tabular"
	"github.com/costguard-ml/costguard/lambda/tokenizer"
)

// A pipeline turns the instances of one task into the graph's inputs.
type pipeline interface {
	// inputNames are the graph inputs the pipeline fills, in order.
	inputNames() []string
	// rowWidth is the float row width of one instance (0 for tokenized text).
	rowWidth() int
	// add decodes one instance into b; the error is one line about it.
	add(b *Batch, raw []byte) error
	// addNeutral adds an instance for the warm-up run (the caller counts it).
	addNeutral(b *Batch) error
	// tensors returns the input tensors of the batch's instances.
	tensors(b *Batch) ([]Tensor, error)
}

// textAdder is a pipeline that takes Go strings directly.
type textAdder interface {
	addText(b *Batch, text string) error
}

func newPipeline(dir string, m *Manifest) (pipeline, error) {
	switch {
	case m.Image != nil:
		return newImagePipeline(m.Image)
	case m.Text != nil && m.Text.Hashed != nil:
		return &hashedPipeline{spec: *m.Text.Hashed}, nil
	case m.Text != nil:
		return newTokenPipeline(dir, m.Text)
	case m.Tabular != nil:
		return newTabularPipeline(m.Tabular)
	}
	return nil, fmt.Errorf("task %q has no pipeline", m.Task)
}

// decodeString reads one JSON string instance.
func decodeString(raw []byte) (string, error) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", errors.New("must be a string")
	}
	return s, nil
}

// ---------------------------------------------------------------- images

type imagePipeline struct {
	spec  imageproc.Spec
	input string
	shape func(n int) []int64
}

func newImagePipeline(s *ImageSpec) (*imagePipeline, error) {
	spec := imageproc.Spec{
		Height: s.Height, Width: s.Width, ResizeShorter: s.ResizeShorter,
		Scale: s.Scale, Mean: s.Mean, Std: s.Std,
		Layout: s.Layout, ChannelOrder: s.ChannelOrder, MaxPixels: s.MaxPixels,
	}.WithDefaults()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	h, w := int64(s.Height), int64(s.Width)
	p := &imagePipeline{spec: spec, input: s.Input}
	if spec.Layout == "NHWC" {
		p.shape = func(n int) []int64 { return []int64{int64(n), h, w, 3} }
	} else {
		p.shape = func(n int) []int64 { return []int64{int64(n), 3, h, w} }
	}
	return p, nil
}

func (p *imagePipeline) inputNames() []string { return []string{p.input} }
func (p *imagePipeline) rowWidth() int        { return p.spec.Len() }

// imageBufs holds decoded image files between requests.
var imageBufs = sync.Pool{New: func() any { return new([]byte) }}

// imageInstance is TF Serving's convention for binary data in JSON.
type imageInstance struct {
	B64 *string `json:"b64"`
}

func (p *imagePipeline) add(b *Batch, raw []byte) error {
	// The decoded bytes are only read during Preprocess: the buffer is
	// reused by the next request.
	buf := imageBufs.Get().(*[]byte)
	defer func() {
		if cap(*buf) > 1<<20 {
			*buf = nil // a large image's buffer is not kept
		}
		imageBufs.Put(buf)
	}()
	img, ok := b64Image(raw, buf)
	if !ok {
		var inst imageInstance
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if len(raw) == 0 || raw[0] != '{' || dec.Decode(&inst) != nil || inst.B64 == nil {
			return errors.New(`must be an object {"b64": "<base64 PNG or JPEG>"}`)
		}
		var err error
		if img, err = decodeBase64([]byte(*inst.B64), buf); err != nil {
			return fmt.Errorf("b64 is not valid base64: %v", err)
		}
	}
	if err := p.spec.Preprocess(img, b.row()); err != nil {
		b.f32 = b.f32[:len(b.f32)-b.width]
		return err
	}
	return nil
}

// decodeBase64 decodes text (standard alphabet, padded or not: some
// clients drop the padding) into *buf, grown as needed.
func decodeBase64(text []byte, buf *[]byte) ([]byte, error) {
	// Unpadded text decodes to more bytes than the padded reading of the
	// same length allows for: room for both.
	need := max(base64.StdEncoding.DecodedLen(len(text)), base64.RawStdEncoding.DecodedLen(len(text)))
	if cap(*buf) < need {
		*buf = make([]byte, need)
	}
	img := (*buf)[:need]
	n, err := base64.StdEncoding.Decode(img, text)
	if err != nil {
		var err2 error
		if n, err2 = base64.RawStdEncoding.Decode(img, text); err2 != nil {
			return nil, err
		}
	}
	return img[:n], nil
}

// b64Image decodes the image of an instance that is exactly {"b64": "…"}
// whose string holds base64 and nothing else, without encoding/json's
// generic decoder: the string is nearly all of an image request, and the
// decoder would scan and copy it twice. raw is already valid JSON (the
// request was parsed as a whole), so the text between the quotes b64Text
// finds is the instance's whole string unless it holds a quote, and is its
// value unless it holds an escape; the base64 decoder refuses both (and
// any byte that is not ASCII), so text it decodes is exactly the value.
// Anything else (another key, an escape such as "\/", text that is not
// base64) is left to encoding/json: ok is false.
func b64Image(raw []byte, buf *[]byte) (img []byte, ok bool) {
	v, ok := b64Text(raw)
	if !ok {
		return nil, false
	}
	img, err := decodeBase64(v, buf)
	return img, err == nil
}

// b64Text returns the text between the quotes of an instance shaped
// {"b64": "…"}: the first quote after the colon and the last before the
// closing brace. b64Image says when that text is the string's value.
func b64Text(raw []byte) ([]byte, bool) {
	s := bytes.TrimSpace(raw)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	s, ok := bytes.CutPrefix(bytes.TrimSpace(s[1:len(s)-1]), []byte(`"b64"`))
	if !ok {
		return nil, false
	}
	s, ok = bytes.CutPrefix(bytes.TrimSpace(s), []byte(":"))
	if !ok {
		return nil, false
	}
	s = bytes.TrimSpace(s)
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return nil, false
	}
	return s[1 : len(s)-1], true
}

func (p *imagePipeline) addNeutral(b *Batch) error {
	b.row()
	return nil
}

func (p *imagePipeline) tensors(b *Batch) ([]Tensor, error) {
	return []Tensor{{Name: p.input, DType: Float32, Shape: p.shape(b.N), Float32: b.f32}}, nil
}

// ---------------------------------------------------------------- tabular

type tabularPipeline struct {
	spec  tabular.Spec
	input string
	scale float64
}

func newTabularPipeline(s *TabularSpec) (*tabularPipeline, error) {
	spec := tabular.Spec{Width: s.Width, Features: s.Features}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	scale := s.Scale
	if scale == 0 {
		scale = 1
	}
	return &tabularPipeline{spec: spec, input: s.Input, scale: scale}, nil
}

func (p *tabularPipeline) inputNames() []string { return []string{p.input} }
func (p *tabularPipeline) rowWidth() int        { return p.spec.Width }

func (p *tabularPipeline) add(b *Batch, raw []byte) error {
	row := b.row()
	if err := p.spec.DecodeRow(raw, row); err != nil {
		b.f32 = b.f32[:len(b.f32)-b.width]
		return err
	}
	if p.scale != 1 {
		for i := range row {
			row[i] = float32(float64(row[i]) * p.scale)
		}
	}
	return nil
}

// addRow adds numbers given in Go (the trainer's path).
func (p *tabularPipeline) addRow(b *Batch, v []float64) error {
	if len(v) != p.spec.Width {
		return fmt.Errorf("row has %d numbers, want %d", len(v), p.spec.Width)
	}
	row := b.row()
	for i, x := range v {
		row[i] = float32(x * p.scale)
	}
	return nil
}

func (p *tabularPipeline) addNeutral(b *Batch) error {
	b.row()
	return nil
}

func (p *tabularPipeline) tensors(b *Batch) ([]Tensor, error) {
	return []Tensor{{Name: p.input, DType: Float32, Shape: []int64{int64(b.N), int64(p.spec.Width)}, Float32: b.f32}}, nil
}

// ---------------------------------------------------------------- hashed words

type hashedPipeline struct{ spec HashedWords }

func (p *hashedPipeline) inputNames() []string { return []string{p.spec.Input} }
func (p *hashedPipeline) rowWidth() int        { return p.spec.Dims }

func (p *hashedPipeline) add(b *Batch, raw []byte) error {
	s, err := decodeString(raw)
	if err != nil {
		return err
	}
	return p.addText(b, s)
}

func (p *hashedPipeline) addText(b *Batch, text string) error {
	p.spec.HashText(text, b.row())
	return nil
}

func (p *hashedPipeline) addNeutral(b *Batch) error {
	b.row()
	return nil
}

func (p *hashedPipeline) tensors(b *Batch) ([]Tensor, error) {
	return []Tensor{{Name: p.spec.Input, DType: Float32, Shape: []int64{int64(b.N), int64(p.spec.Dims)}, Float32: b.f32}}, nil
}

// ---------------------------------------------------------------- tokenized text

type tokenPipeline struct {
	tok       *tokenizer.Tokenizer
	spec      TextSpec
	maxLength int
}

func newTokenPipeline(dir string, s *TextSpec) (*tokenPipeline, error) {
	tok, err := tokenizer.Load(filepath.Join(dir, s.Tokenizer), tokenizer.Options{Lowercase: s.Lowercase, MaxLength: s.MaxLength})
	if err != nil {
		return nil, fmt.Errorf("text.tokenizer: %w", err)
	}
	return &tokenPipeline{tok: tok, spec: *s, maxLength: s.MaxLength}, nil
}

func (p *tokenPipeline) inputNames() []string {
	names := []string{p.spec.InputIDs}
	if p.spec.AttentionMask != "" {
		names = append(names, p.spec.AttentionMask)
	}
	if p.spec.TokenTypeIDs != "" {
		names = append(names, p.spec.TokenTypeIDs)
	}
	return names
}

func (p *tokenPipeline) rowWidth() int { return 0 }

func (p *tokenPipeline) add(b *Batch, raw []byte) error {
	s, err := decodeString(raw)
	if err != nil {
		return err
	}
	return p.addText(b, s)
}

func (p *tokenPipeline) addText(b *Batch, text string) error {
	enc, err := p.tok.Encode(text, p.maxLength)
	if err != nil {
		return err
	}
	b.ids = append(b.ids, enc.IDs)
	b.mask = append(b.mask, enc.AttentionMask)
	b.types = append(b.types, enc.TypeIDs)
	return nil
}

func (p *tokenPipeline) addNeutral(b *Batch) error {
	return p.addText(b, "")
}

// tensors pads every text to the longest in the batch: pad id, mask 0,
// token type 0, as Hugging Face's padding="longest" does.
func (p *tokenPipeline) tensors(b *Batch) ([]Tensor, error) {
	n, seq := len(b.ids), 0
	for _, ids := range b.ids {
		seq = max(seq, len(ids))
	}
	pad := func(rows [][]int64, fill int64) []int64 {
		out := make([]int64, n*seq)
		for i, r := range rows {
			copy(out[i*seq:], r)
			for j := i*seq + len(r); j < (i+1)*seq; j++ {
				out[j] = fill
			}
		}
		return out
	}
	shape := []int64{int64(n), int64(seq)}
	in := []Tensor{{Name: p.spec.InputIDs, DType: Int64, Shape: shape, Int64: pad(b.ids, int64(p.tok.PadID()))}}
	if p.spec.AttentionMask != "" {
		in = append(in, Tensor{Name: p.spec.AttentionMask, DType: Int64, Shape: shape, Int64: pad(b.mask, 0)})
	}
	if p.spec.TokenTypeIDs != "" {
		in = append(in, Tensor{Name: p.spec.TokenTypeIDs, DType: Int64, Shape: shape, Int64: pad(b.types, 0)})
	}
	return in, nil
}

// ErrorField is the part of the JSON path below the instance that an Add
// error is about: "[3]" for a row's fourth number, ".alcohol" for a named
// feature, "" for the instance as a whole.
func ErrorField(err error) string {
	var te *tabular.Error
	if !errors.As(err, &te) || te.Field == "" {
		return ""
	}
	if strings.HasPrefix(te.Field, "[") {
		return te.Field
	}
	return "." + te.Field
}
