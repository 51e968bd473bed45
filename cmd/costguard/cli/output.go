package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/textfmt"
)

// Output formats.
const (
	FormatTable    = "table"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

var formats = []string{FormatTable, FormatMarkdown, FormatJSON}

// outputFlags adds --format and its --json and --markdown shorthands; call
// the returned function after parsing for the chosen format.
func outputFlags(f *Flags) func() string {
	format := f.Choice("format", FormatTable, formats, "output format")
	js := f.Bool("json", false, "shorthand for --format json")
	md := f.Bool("markdown", false, "shorthand for --format markdown")
	return func() string {
		switch {
		case *js:
			return FormatJSON
		case *md:
			return FormatMarkdown
		}
		return *format
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

var (
	money    = textfmt.Money
	quantity = textfmt.Quantity
)

// table writes a plain-text table; a row whose first cell is TOTAL gets a
// rule above it.
func table(w io.Writer, headers []string, align string, rows [][]string) {
	var out [][]string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "TOTAL" {
			out = append(out, textfmt.Rule)
		}
		out = append(out, r)
	}
	textfmt.Table(w, headers, align, out)
}

func mdTable(w io.Writer, headers []string, align string, rows [][]string) {
	textfmt.MarkdownTable(w, headers, align, rows)
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
		rows := [][]string{}
		for _, l := range e.Lines {
			rows = append(rows, []string{l.Item, quantity(l.Quantity), l.Unit, money(l.USD)})
		}
		rows = append(rows, []string{"**Total**", "", "", "**" + money(e.TotalUSD) + "**"})
		mdTable(w, []string{"Item", "Quantity", "Unit", "Monthly"}, "lrlr", rows)
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
