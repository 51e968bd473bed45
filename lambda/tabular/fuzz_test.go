package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"
)

// FuzzDecodeRow checks DecodeRow against encoding/json: it never panics,
// input problems are *Error, and it accepts a row exactly when
// encoding/json reads it as Width float32-range numbers (or, for objects,
// as each feature once), with the same values.
//
// Run: go test -run '^$' -fuzz FuzzDecodeRow -fuzztime 1000000x -parallel 1 ./lambda/tabular
func FuzzDecodeRow(f *testing.F) {
	for _, s := range []string{
		`[1, 2, 3]`, `[1.5e3,-0,0.25]`, `[]`, `[null]`, `["1", 2, 3]`, `[1, 2, 3, 4]`, `[[1], 2, 3]`,
		`{"alcohol": 1, "malic_acid": 2, "ash": 3}`, `{"ash": 3, "alcohol": 1, "malic_acid": 2}`,
		`{"alcohal": 1}`, `{"ash": 1, "ash": 2}`, `{"\u0061sh": 1, "alcohol": 2, "malic_acid": 3}`,
		`[1e39, 2, 3]`, `[01, 2, 3]`, `[1., 2, 3]`, ` [ 1 , 2 , 3 ] `, `[1, 2, 3] x`, `"x"`, `{}`, `{"a`,
	} {
		f.Add([]byte(s), uint8(3), true)
		f.Add([]byte(s), uint8(3), false)
	}
	f.Fuzz(func(t *testing.T, raw []byte, width uint8, named bool) {
		s := Spec{Width: 1 + int(width%4)}
		if named {
			s.Features = []string{"alcohol", "malic_acid", "ash", "magnesium"}[:s.Width]
		}
		dst := make([]float32, s.Width)
		err := s.DecodeRow(raw, dst)
		var re *Error
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("not an input error: %v", err)
		}
		// The oracle: encoding/json's reading of the same bytes.
		want, ok := oracle(s, raw)
		if ok != (err == nil) {
			t.Fatalf("DecodeRow(%q) error %v, encoding/json accepts: %v", raw, err, ok)
		}
		if ok {
			for i := range dst {
				if dst[i] != want[i] {
					t.Fatalf("DecodeRow(%q) = %v, encoding/json gives %v", raw, dst, want)
				}
			}
		}
	})
}

func oracle(s Spec, raw []byte) ([]float32, bool) {
	if !json.Valid(raw) {
		return nil, false
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil && arr != nil {
		if len(arr) != s.Width {
			return nil, false
		}
		out := make([]float32, s.Width)
		for i, v := range arr {
			f, ok := num(v)
			if !ok {
				return nil, false
			}
			out[i] = f
		}
		return out, true
	}
	if len(s.Features) == 0 {
		return nil, false
	}
	// Duplicate keys vanish in a map, so count them by decoding tokens.
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || obj == nil || len(obj) != s.Width || keyCount(raw) != s.Width {
		return nil, false
	}
	out := make([]float32, s.Width)
	for i, name := range s.Features {
		v, present := obj[name]
		if !present {
			return nil, false
		}
		f, ok := num(v)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

func num(v json.RawMessage) (float32, bool) {
	var n json.Number
	if len(v) == 0 || v[0] == '"' || json.Unmarshal(v, &n) != nil {
		return 0, false
	}
	f, err := n.Float64()
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	if math.IsInf(float64(float32(f)), 0) {
		return 0, false
	}
	return float32(f), true
}

// keyCount counts the top-level keys of a valid JSON object.
func keyCount(raw []byte) int {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return -1
	}
	n := 0
	for dec.More() {
		if _, err := dec.Token(); err != nil { // key
			return -1
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return -1
		}
		n++
	}
	return n
}
