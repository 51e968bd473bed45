package textfmt

import (
	"bytes"
	"testing"
)

func TestMoney(t *testing.T) {
	for in, want := range map[float64]string{0: "$0.00", 2.73: "$2.73", 1234.5: "$1,234.50", -0.3: "-$0.30", 1e6: "$1,000,000.00", -0.001: "$0.00"} {
		if got := Money(in); got != want {
			t.Errorf("Money(%v) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{0: "$0.00", 7: "+$7.00", -7: "-$7.00", 0.001: "$0.00"} {
		if got := SignedMoney(in); got != want {
			t.Errorf("SignedMoney(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestQuantity(t *testing.T) {
	for in, want := range map[float64]string{140000: "140,000", 0: "0", 2.5: "2.5", 1.25: "1.25", 0.0123456: "0.01235", 1234.56: "1,235", -2000: "-2,000"} {
		if got := Quantity(in); got != want {
			t.Errorf("Quantity(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestTable(t *testing.T) {
	var b bytes.Buffer
	Table(&b, []string{"A", "B"}, "lr", [][]string{{"x", "1"}, Rule, {"total", "10"}})
	want := "A       B\nx       1\n---------\ntotal  10\n"
	if b.String() != want {
		t.Errorf("Table =\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	MarkdownTable(&b, []string{"A", "B"}, "lr", [][]string{{"x|y", "1"}, Rule})
	if want := "| A | B |\n|---|---:|\n| x\\|y | 1 |\n"; b.String() != want {
		t.Errorf("MarkdownTable =\n%q\nwant\n%q", b.String(), want)
	}
}
