package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/costguard-ml/costguard/cost/estimate"
)

// Output formats.
const (
	FormatTable    = "table"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

var formats = []string{FormatTable, FormatMarkdown, FormatJSON}

// outputFlags adds --format and its --json shorthand; call the returned
// function after parsing for the chosen format.
func outputFlags(f *Flags) func() string {
	format := f.Choice("format", FormatTable, formats, "output format")
	js := f.Bool("json", false, "shorthand for --format json")
	return func() string {
		if *js {
			return FormatJSON
		}
		return *format
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// money formats dollars with thousands separators: $1,234.50.
func money(usd float64) string {
	s := "$" + group(strconv.FormatFloat(math.Abs(usd), 'f', 2, 64))
	if usd < 0 {
		return "-" + s
	}
	return s
}

// signedMoney formats a delta: +$1.20, -$0.30, $0.00.
func signedMoney(usd float64) string {
	switch {
	case usd > 0:
		return "+" + money(usd)
	case usd < 0:
		return money(usd)
	}
	return money(0)
}

// quantity formats a quantity with thousands separators and at most
// enough decimals to be exact to 4 significant places below 1.
func quantity(q float64) string {
	switch {
	case q == math.Trunc(q) && math.Abs(q) < 1e15:
		return group(strconv.FormatFloat(q, 'f', 0, 64))
	case math.Abs(q) >= 100:
		return group(strconv.FormatFloat(q, 'f', 0, 64))
	case math.Abs(q) >= 1:
		return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(q, 'f', 2, 64), "0"), ".")
	}
	return strconv.FormatFloat(q, 'g', 4, 64)
}

// group inserts thousands separators into a decimal number string.
func group(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// writeEstimate prints an estimate in format.
func writeEstimate(w io.Writer, e estimate.Estimate, format, title string) error {
	switch format {
	case FormatJSON:
		return writeJSON(w, e)
	case FormatMarkdown:
		if title != "" {
			fmt.Fprintf(w, "### %s\n\n", title)
		}
		fmt.Fprintln(w, "| Item | Quantity | Unit | Monthly |")
		fmt.Fprintln(w, "|---|---:|---|---:|")
		for _, l := range e.Lines {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", l.Item, quantity(l.Quantity), l.Unit, money(l.USD))
		}
		fmt.Fprintf(w, "| **Total** | | | **%s** |\n", money(e.TotalUSD))
		for _, n := range e.Notes {
			fmt.Fprintf(w, "\n> %s\n", n)
		}
		return nil
	}
	if title != "" {
		fmt.Fprintln(w, title)
	}
	rows := [][]string{}
	for _, l := range e.Lines {
		rows = append(rows, []string{l.Item, quantity(l.Quantity), l.Unit, money(l.USD)})
	}
	rows = append(rows, []string{"TOTAL", "", "", money(e.TotalUSD)})
	table(w, []string{"ITEM", "QUANTITY", "UNIT", "MONTHLY"}, "lrlr", rows)
	for _, n := range e.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// table writes rows under headers in columns two spaces apart; align has
// one letter per column, l or r. A row whose first cell is TOTAL gets a
// rule above it.
func table(w io.Writer, headers []string, align string, rows [][]string) {
	width := make([]int, len(headers))
	for i, h := range headers {
		width[i] = len(h)
	}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if align[i] == 'r' {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(headers)
	for _, r := range rows {
		if len(r) > 0 && r[0] == "TOTAL" {
			total := 0
			for _, wd := range width {
				total += wd
			}
			fmt.Fprintln(w, strings.Repeat("-", total+2*(len(width)-1)))
		}
		line(r)
	}
}
