package tabular

import (
	"errors"
	"math"
	"strings"
	"testing"
)

var wine = Spec{Width: 3, Features: []string{"alcohol", "malic_acid", "ash"}}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		spec  Spec
		wants []string
	}{
		{"zero width", Spec{}, []string{"width 0: must be at least 1"}},
		{"names do not match width", Spec{Width: 3, Features: []string{"a", "b"}},
			[]string{"features lists 2 names, width is 3: give one name per input column, in the model's order"}},
		{"empty name", Spec{Width: 2, Features: []string{"a", ""}}, []string{"features[1] is empty: every feature needs a name"}},
		{"duplicate", Spec{Width: 3, Features: []string{"a", "b", "a"}}, []string{`features[2] "a" repeats features[0]: names must be unique`}},
		{"all at once", Spec{Width: -1, Features: []string{"x", "x"}}, []string{"width -1", "features lists 2 names, width is -1", `features[1] "x" repeats`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			if n := len(strings.Split(err.Error(), "\n")); n != len(tt.wants) {
				t.Errorf("got %d lines, want %d: %q", n, len(tt.wants), err)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	for _, ok := range []Spec{{Width: 1}, wine} {
		if err := ok.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", ok, err)
		}
	}
}

func TestDecodeRow(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		raw  string
		want []float32
	}{
		{"array", Spec{Width: 3}, `[1, -2.5, 3e2]`, []float32{1, -2.5, 300}},
		{"array no spaces", Spec{Width: 2}, `[0,-0]`, []float32{0, 0}},
		{"array with whitespace", Spec{Width: 2}, " \n\t[ 1 ,\r\n 2 ] \n", []float32{1, 2}},
		{"array when names are listed", wine, `[13.2, 1.78, 2.14]`, []float32{13.2, 1.78, 2.14}},
		{"object in order", wine, `{"alcohol": 13.2, "malic_acid": 1.78, "ash": 2.14}`, []float32{13.2, 1.78, 2.14}},
		{"object out of order", wine, `{"ash": 2.14, "alcohol": 13.2, "malic_acid": 1.78}`, []float32{13.2, 1.78, 2.14}},
		{"object key with escapes", wine, `{"alcohol": 1, "malic\u005facid": 2, "\u0061sh": 3}`, []float32{1, 2, 3}},
		{"float32 rounding", Spec{Width: 1}, `[0.1]`, []float32{0.1}},
		{"largest float32", Spec{Width: 2}, `[3.4028234e38, -3.4028234e38]`, []float32{math.MaxFloat32, -math.MaxFloat32}},
		{"underflow to zero", Spec{Width: 1}, `[1e-400]`, []float32{0}},
		{"long mantissa", Spec{Width: 1}, `[1.00000000000000000000000000000000000000000000000001]`, []float32{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float32, tt.spec.Width)
			if err := tt.spec.DecodeRow([]byte(tt.raw), dst); err != nil {
				t.Fatal(err)
			}
			for i := range dst {
				if dst[i] != tt.want[i] {
					t.Errorf("dst = %v, want %v", dst, tt.want)
					break
				}
			}
		})
	}
}

func TestDecodeRowErrors(t *testing.T) {
	many := Spec{Width: 13, Features: strings.Fields("a b c d e f g h i j k l m")}
	tests := []struct {
		name  string
		spec  Spec
		raw   string
		field string
		want  string
	}{
		{"too few", Spec{Width: 13}, `[1,2,3,4,5,6,7,8,9,10,11,12]`, "", "row has 12 numbers, want 13"},
		{"too many", Spec{Width: 2}, `[1, 2, 3]`, "", "row has 3 numbers, want 2"},
		{"empty array", Spec{Width: 2}, `[]`, "", "row has 0 numbers, want 2"},
		{"null element", Spec{Width: 3}, `[1, null, 3]`, "[1]", "element 1: got null, want a number"},
		{"string element", Spec{Width: 3}, `[1, 2, "3"]`, "[2]", `element 2: got the string "3", want a number`},
		{"boolean element", Spec{Width: 1}, `[true]`, "[0]", "element 0: got a boolean, want a number"},
		{"nested array", Spec{Width: 2}, `[[1], 2]`, "[0]", "element 0: got an array, want a number"},
		{"object element", Spec{Width: 2}, `[1, {}]`, "[1]", "element 1: got an object, want a number"},
		{"bad element past width", Spec{Width: 1}, `[1, null]`, "[1]", "element 1: got null, want a number"},
		{"beyond float32", Spec{Width: 2}, `[1, 1e39]`, "[1]", "element 1: 1e39 is beyond float32 range (±3.4e38)"},
		{"beyond float64", Spec{Width: 1}, `[-1e400]`, "[0]", "element 0: -1e400 is beyond float32 range"},
		{"NaN is not JSON", Spec{Width: 1}, `[NaN]`, "", "invalid JSON at byte 1: got 'N', want a number"},
		{"Infinity is not JSON", Spec{Width: 1}, `[Infinity]`, "", "invalid JSON at byte 1: got 'I', want a number"},
		{"leading zero", Spec{Width: 1}, `[01]`, "", `invalid JSON at byte 2: got '1', want "," or "]"`},
		{"plus sign", Spec{Width: 1}, `[+1]`, "", "invalid JSON at byte 1: got '+', want a number"},
		{"bare dot", Spec{Width: 1}, `[1.]`, "", "invalid JSON at byte 3: got ']', want a digit after the decimal point"},
		{"bare exponent", Spec{Width: 1}, `[1e]`, "", "want a digit in the exponent"},
		{"lone minus", Spec{Width: 1}, `[-]`, "", "want a digit"},
		{"trailing comma", Spec{Width: 2}, `[1, 2,]`, "", "invalid JSON at byte 6: got ']', want a number"},
		{"unclosed", Spec{Width: 2}, `[1, 2`, "", `invalid JSON: the row ends early, want "," or "]"`},
		{"trailing data", Spec{Width: 1}, `[1] [2]`, "", "invalid JSON at byte 4: got '[', want the end of the row"},
		{"empty input", Spec{Width: 1}, ``, "", "row is empty: send an array of 1 numbers"},
		{"string row", wine, `"13.2, 1.78"`, "", "row is a string: send an array of 3 numbers or an object keyed by feature name"},
		{"number row", Spec{Width: 1}, `5`, "", "row is a number: send an array of 1 numbers"},
		{"null row", Spec{Width: 1}, `null`, "", "row is null: send an array of 1 numbers"},
		{"garbage", Spec{Width: 1}, `\x01`, "", "invalid JSON at byte 0: got '\\\\', want a row"},
		{"object without names", Spec{Width: 2}, `{"a": 1, "b": 2}`, "", "row is an object, but the model lists no feature names: send an array of 2 numbers"},
		{"missing one", wine, `{"alcohol": 1, "ash": 3}`, "malic_acid", `feature "malic_acid": missing`},
		{"missing several", wine, `{"ash": 3}`, "", `features "alcohol", "malic_acid": missing`},
		{"missing many", many, `{"a": 1}`, "", `features "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", and 2 more: missing`},
		{"empty object", wine, `{}`, "", `features "alcohol", "malic_acid", "ash": missing`},
		{"unknown name", wine, `{"alcohal": 1, "malic_acid": 2, "ash": 3}`, "alcohal", `unknown feature "alcohal" (did you mean "alcohol"?)`},
		{"unknown name, case", wine, `{"Ash": 1}`, "Ash", `unknown feature "Ash" (did you mean "ash"?)`},
		{"unknown long name", wine, `{"` + strings.Repeat("x", 100) + `": 1}`, strings.Repeat("x", 100), `unknown feature "` + strings.Repeat("x", 64) + `"… (did you mean`},
		{"duplicate", wine, `{"ash": 1, "ash": 2}`, "ash", `feature "ash": given more than once`},
		{"null value", wine, `{"alcohol": null}`, "alcohol", `feature "alcohol": got null, want a number`},
		{"string value", wine, `{"alcohol": "13.2"}`, "alcohol", `feature "alcohol": got the string "13.2", want a number`},
		{"value beyond float32", wine, `{"ash": -4e38}`, "ash", `feature "ash": -4e38 is beyond float32 range`},
		{"unquoted key", wine, `{alcohol: 1}`, "", `invalid JSON at byte 1: got 'a', want a feature name in quotes`},
		{"missing colon", wine, `{"alcohol" 1}`, "", `want ":"`},
		{"bad escape", wine, `{"al\x": 1}`, "", "want a valid escape"},
		{"short unicode escape", wine, `{"\u00": 1}`, "", "want 4 hex digits after \\u"},
		{"control character in key", wine, "{\"a\x01\": 1}", "", "want no control characters in strings"},
		{"unterminated key", wine, `{"alcohol`, "", `invalid JSON: the row ends early, want a closing '"'`},
		{"object trailing comma", wine, `{"alcohol": 1,}`, "", "want a feature name in quotes"},
		{"non-ascii garbage", Spec{Width: 1}, "[\xff]", "", "invalid JSON at byte 1: got a non-ASCII byte, want a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.DecodeRow([]byte(tt.raw), make([]float32, tt.spec.Width))
			var re *Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T) is not a *tabular.Error", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if re.Field != tt.field {
				t.Errorf("Field = %q, want %q", re.Field, tt.field)
			}
		})
	}
	t.Run("dst of the wrong length", func(t *testing.T) {
		err := Spec{Width: 2}.DecodeRow([]byte(`[1, 2]`), make([]float32, 3))
		var re *Error
		if err == nil || errors.As(err, &re) || err.Error() != "dst has 3 values, want width 2" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("invalid spec", func(t *testing.T) {
		err := Spec{Width: 2, Features: []string{"a"}}.DecodeRow([]byte(`[1, 2]`), make([]float32, 2))
		if err == nil || !strings.Contains(err.Error(), "invalid tabular spec: features lists 1 names, width is 2") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestDecodeRowAllocs(t *testing.T) {
	dst := make([]float32, 3)
	for _, tt := range []struct {
		name string
		spec Spec
		raw  []byte
	}{
		{"array", Spec{Width: 3}, []byte(`[13.2, 1.78, -2.14e-3]`)},
		{"object", wine, []byte(`{"ash": 2.14, "alcohol": 13.2, "malic_acid": 1.78}`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, func() {
				if err := tt.spec.DecodeRow(tt.raw, dst); err != nil {
					t.Fatal(err)
				}
			}); n != 0 {
				t.Errorf("%v allocations per row, want 0", n)
			}
		})
	}
}

func TestNearest(t *testing.T) {
	feats := []string{"sepal_length", "sepal_width", "petal_length", "petal_width"}
	for in, want := range map[string]string{
		"sepal_lenght": "sepal_length",
		"petal width":  "petal_width",
		"PETAL_LENGTH": "petal_length",
		"zzz":          "sepal_width",
	} {
		if got := nearest(in, feats); got != want {
			t.Errorf("nearest(%q) = %q, want %q", in, got, want)
		}
	}
}
