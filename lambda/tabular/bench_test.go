package tabular

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkDecodeRow compares the scanner with encoding/json on a 13-column
// wine row, as an array and as an object out of model order.
func BenchmarkDecodeRow(b *testing.B) {
	names := strings.Fields("alcohol malic_acid ash alcalinity magnesium phenols flavanoids nonflavanoid proanthocyanins color hue od280 proline")
	vals := []string{"13.2", "1.78", "2.14", "11.2", "100", "2.65", "2.76", "0.26", "1.28", "4.38", "1.05", "3.4", "1050"}
	arr := []byte("[" + strings.Join(vals, ", ") + "]")
	var obj strings.Builder
	obj.WriteString("{")
	for i := len(names) - 1; i >= 0; i-- {
		obj.WriteString(strconv.Quote(names[i]) + ": " + vals[i])
		if i > 0 {
			obj.WriteString(", ")
		}
	}
	obj.WriteString("}")
	s := Spec{Width: 13, Features: names}
	dst := make([]float32, 13)
	for _, c := range []struct {
		name string
		raw  []byte
	}{{"array", arr}, {"object", []byte(obj.String())}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := s.DecodeRow(c.raw, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("array-encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v []float32
			if err := json.Unmarshal(arr, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
