package model

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestB64Image: the fast path decodes exactly {"b64": "…"} whose string is
// base64 without escapes, and leaves everything else to encoding/json.
func TestB64Image(t *testing.T) {
	for _, tt := range []struct {
		raw, want string
		ok        bool
	}{
		{`{"b64":"aGVsbG8="}`, "hello", true},
		{`{"b64":"aGVsbG8"}`, "hello", true}, // no padding
		{" {\n  \"b64\" :\t\"aGk=\" } ", "hi", true},
		{`{"b64":""}`, "", true},
		{`{"b64":"aGVs\/w=="}`, "", false},       // an escape: encoding/json unquotes it
		{`{"b64":"aGk=","x":"aGk="}`, "", false}, // another key: encoding/json refuses it
		{`{"x":"aGk=","b64":"aGk="}`, "", false}, // likewise
		{`{"b64":"aGk=","b64":"aGk="}`, "", false},
		{`{"B64":"aGk="}`, "", false},               // case: encoding/json decides
		{`{"b64":1}`, "", false},                    // not a string
		{`["b64","aGk="]`, "", false},               // not an object
		{`"aGVsbG8="`, "", false},                   // a bare string
		{`{"b64":"aGk="}{"b64":"aGk="}`, "", false}, // never valid JSON here, but not ours either
		{`{"b64" "aGk="}`, "", false},               // no colon
		{`{"b64":"a-k="}`, "", false},               // not the standard alphabet
		{`{"b64":"aGk=é"}`, "", false},              // not ASCII
	} {
		var buf []byte
		got, ok := b64Image([]byte(tt.raw), &buf)
		if ok != tt.ok || (ok && string(got) != tt.want) {
			t.Errorf("b64Image(%q) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzB64Image: whenever the fast path decodes an instance that is valid
// JSON, encoding/json reads a string from it that decodes to the same
// bytes.
func FuzzB64Image(f *testing.F) {
	for _, s := range []string{`{"b64":"iVBORw0KGgo="}`, ` { "b64" : "" } `, `{"b64":"a","b64":"b"}`, `{"b64":"\u0041AAA"}`, `{"b64":"QUFB\/w=="}`, "{\"b64\":\"QU\r\nFB\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var buf []byte
		got, ok := b64Image(raw, &buf)
		if !ok || !json.Valid(raw) {
			return
		}
		var inst imageInstance
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&inst); err != nil || inst.B64 == nil {
			t.Fatalf("fast path decoded %q from %q; encoding/json: %v", got, raw, err)
		}
		var buf2 []byte
		want, err := decodeBase64([]byte(*inst.B64), &buf2)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("fast path decoded %q from %q; encoding/json read %q: %q, %v", got, raw, *inst.B64, want, err)
		}
	})
}
