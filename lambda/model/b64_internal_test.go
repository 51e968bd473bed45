package model

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestB64Text: the fast path takes exactly {"b64": "…"} without escapes
// and leaves everything else to encoding/json.
func TestB64Text(t *testing.T) {
	for _, tt := range []struct {
		raw, want string
		ok        bool
	}{
		{`{"b64":"iVBORw0KGgo="}`, "iVBORw0KGgo=", true},
		{" {\n  \"b64\" :\t\"iVBO\" } ", "iVBO", true},
		{`{"b64":""}`, "", true},
		{`{"b64":"iVBO\/w=="}`, "", false},    // an escape: encoding/json unquotes it
		{`{"b64":"a","x":"b"}`, "", false},    // another key: encoding/json refuses it
		{`{"x":"a","b64":"b"}`, "", false},    // likewise
		{`{"B64":"a"}`, "", false},            // case: encoding/json decides
		{`{"b64":1}`, "", false},              // not a string
		{`["b64","a"]`, "", false},            // not an object
		{`"iVBORw0KGgo="`, "", false},         // a bare string
		{`{"b64":"a"}{"b64":"b"}`, "", false}, // never valid JSON here, but not ours either
		{`{"b64" "a"}`, "", false},            // no colon
	} {
		got, ok := b64Text([]byte(tt.raw))
		if ok != tt.ok || (ok && string(got) != tt.want) {
			t.Errorf("b64Text(%q) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzB64Text: whenever the fast path takes an instance that is valid
// JSON, encoding/json reads the same string from it.
func FuzzB64Text(f *testing.F) {
	for _, s := range []string{`{"b64":"iVBORw0KGgo="}`, ` { "b64" : "" } `, `{"b64":"a","b64":"b"}`, `{"b64":"\u0041"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := b64Text(raw)
		if !ok || !json.Valid(raw) {
			return
		}
		var inst imageInstance
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&inst); err != nil || inst.B64 == nil || *inst.B64 != string(got) {
			t.Fatalf("fast path read %q from %q; encoding/json: %v %v", got, raw, inst.B64, err)
		}
	})
}
