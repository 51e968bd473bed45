// Package textfmt formats money, quantities and plain-text and Markdown
// tables the same way in every costguard output.
package textfmt

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Money formats dollars with thousands separators: $1,234.50.
func Money(usd float64) string {
	s := "$" + Group(strconv.FormatFloat(math.Abs(usd), 'f', 2, 64))
	if usd < 0 && s != "$0.00" {
		return "-" + s
	}
	return s
}

// SignedMoney formats a delta: +$1.20, -$0.30, $0.00.
func SignedMoney(usd float64) string {
	m := Money(usd)
	if usd > 0 && m != "$0.00" {
		return "+" + m
	}
	return m
}

// Percent formats part/whole as a signed percentage, or "" when either is 0.
func Percent(part, whole float64) string {
	if whole == 0 || part == 0 {
		return ""
	}
	return fmt.Sprintf("%+.1f%%", 100*part/whole)
}

// Quantity formats a quantity with thousands separators, whole above 100,
// two decimals above 1 and four significant digits below.
func Quantity(q float64) string {
	switch {
	case q == math.Trunc(q) && math.Abs(q) < 1e15, math.Abs(q) >= 100:
		return Group(strconv.FormatFloat(q, 'f', 0, 64))
	case math.Abs(q) >= 1:
		return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(q, 'f', 2, 64), "0"), ".")
	}
	return strconv.FormatFloat(q, 'g', 4, 64)
}

// Group inserts thousands separators into a decimal number string.
func Group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
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

// Rule is a row that Table draws as a horizontal line.
var Rule = []string{"\x00rule"}

// Table writes rows under headers in columns two spaces apart; align has
// one letter per column, l or r. A [Rule] row draws a line.
func Table(w io.Writer, headers []string, align string, rows [][]string) {
	width := make([]int, len(headers))
	for i, h := range headers {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range rows {
		if isRule(r) {
			continue
		}
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	total := 2 * (len(width) - 1)
	for _, wd := range width {
		total += wd
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			pad := strings.Repeat(" ", max(width[i]-utf8.RuneCountInString(c), 0))
			if i > 0 {
				b.WriteString("  ")
			}
			if i < len(align) && align[i] == 'r' {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(headers)
	for _, r := range rows {
		if isRule(r) {
			fmt.Fprintln(w, strings.Repeat("-", total))
			continue
		}
		line(r)
	}
}

func isRule(r []string) bool { return len(r) == 1 && r[0] == Rule[0] }

// MarkdownTable writes a GitHub-flavoured Markdown table; [Rule] rows are
// skipped and pipes in cells escaped.
func MarkdownTable(w io.Writer, headers []string, align string, rows [][]string) {
	cell := strings.NewReplacer("|", `\|`, "\n", " ")
	line := func(cells []string) {
		fmt.Fprint(w, "|")
		for _, c := range cells {
			fmt.Fprintf(w, " %s |", cell.Replace(c))
		}
		fmt.Fprintln(w)
	}
	line(headers)
	seps := make([]string, len(headers))
	for i := range headers {
		seps[i] = "---"
		if i < len(align) && align[i] == 'r' {
			seps[i] = "---:"
		}
	}
	fmt.Fprintln(w, "|"+strings.Join(seps, "|")+"|")
	for _, r := range rows {
		if !isRule(r) {
			line(r)
		}
	}
}
