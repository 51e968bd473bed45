package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/textfmt"
)

// capRow is one cap as the table and Markdown forms show it: its value
// from the budget, in the template, and whether the template's value was
// derived from the budget or set by the stage.
type capRow struct{ name, budget, applied, source string }

// capRows lists the caps of g that either side sets, in a fixed order.
func capRows(g Guard) []capRow {
	var b, a Caps
	if g.Caps != nil {
		b = *g.Caps
	}
	if g.Applied != nil {
		a = *g.Applied
	}
	or := func(set bool, s string) string {
		if !set {
			return "-"
		}
		return s
	}
	rate := func(r float64) string { return strconv.FormatFloat(r, 'f', -1, 64) + " requests/s" }
	source := func(name string, applied bool) string {
		switch {
		case slices.Contains(g.CapsDerived, name):
			return "derived"
		case applied:
			return "set"
		}
		return "-"
	}
	rows := []capRow{
		{"usage plan monthly quota", or(b.MonthlyQuota > 0, qty(float64(b.MonthlyQuota))+" requests"), or(a.MonthlyQuota > 0, qty(float64(a.MonthlyQuota))+" requests"), source(guardmeta.CapQuota, a.MonthlyQuota > 0)},
		{"stage throttle rate", or(b.RateLimit > 0, rate(b.RateLimit)), or(a.RateLimit > 0, rate(a.RateLimit)), source(guardmeta.CapRate, a.RateLimit > 0)},
		{"stage throttle burst", or(b.BurstLimit > 0, strconv.Itoa(b.BurstLimit)+" requests"), or(a.BurstLimit > 0, strconv.Itoa(a.BurstLimit)+" requests"), source(guardmeta.CapBurst, a.BurstLimit > 0)},
		{"reserved concurrency", or(b.ReservedConcurrency > 0, strconv.Itoa(b.ReservedConcurrency)), or(a.ReservedConcurrency > 0, strconv.Itoa(a.ReservedConcurrency)), source(guardmeta.CapReserved, a.ReservedConcurrency > 0)},
	}
	out := rows[:0]
	for _, r := range rows {
		if r.budget != "-" || r.applied != "-" {
			out = append(out, r)
		}
	}
	return out
}

// guardTitle says what the guard is: its kill switch and that its cost is
// already in the stack's total.
func guardTitle(g Guard) string {
	ks := "kill switch off"
	if g.KillSwitch {
		ks = "kill switch on"
	}
	return fmt.Sprintf("cost guard of stage %s (%s): %s a month, included in the total above", g.Stage, ks, money(g.OwnMonthlyUSD))
}

// capsNote explains what the budget-derived caps are, or why there are none.
func capsNote(g Guard) string {
	if g.Caps == nil {
		if g.NoCaps != "" {
			return "no budget-derived caps: " + g.NoCaps
		}
		return "no budget-derived caps in the guard's record (the guard derives them for a Lambda workload with an expected duration)"
	}
	s := fmt.Sprintf("budget caps: what the %s budget pays for at %s per million requests", money(g.MonthlyBudgetUSD), money(g.Caps.CostPerRequestUSD*1e6))
	if g.Caps.FixedMonthlyUSD > 0 {
		s += fmt.Sprintf(" after %s of fixed cost", money(g.Caps.FixedMonthlyUSD))
	}
	return s + "; the template holds the values deployed: derived from the budget where the stage left them at zero, else the stage's own (set)"
}

func ownCostCell(l GuardLine) string {
	if l.Unpriced {
		return "not priced"
	}
	return money(l.USD)
}

// writePlacementText writes each placement decision and its reasons.
func writePlacementText(w io.Writer, s Stack) {
	for _, p := range s.Placements {
		fmt.Fprintf(w, "\nplacement of %s: %s\n", p.LogicalID, p.Tier)
		for _, r := range p.Reasons {
			fmt.Fprintf(w, "  - %s\n", r)
		}
	}
}

// writeGuardText writes the guard's own cost and its caps as tables.
func writeGuardText(w io.Writer, g *Guard) {
	if g == nil {
		return
	}
	fmt.Fprintf(w, "\n%s\n", guardTitle(*g))
	var rows [][]string
	for _, l := range g.OwnCost {
		rows = append(rows, []string{"  " + l.Item, ownCostCell(l)})
	}
	rows = append(rows, textfmt.Rule, []string{"GUARD TOTAL", money(g.OwnMonthlyUSD)})
	textfmt.Table(w, []string{"GUARD ITEM", "MONTHLY"}, "lr", rows)
	if cr := capRows(*g); len(cr) > 0 {
		var rows [][]string
		for _, r := range cr {
			rows = append(rows, []string{r.name, r.budget, r.applied, r.source})
		}
		fmt.Fprintln(w)
		textfmt.Table(w, []string{"CAP", "FROM BUDGET", "IN TEMPLATE", "TEMPLATE'S VALUE"}, "lrrl", rows)
	}
	fmt.Fprintf(w, "note: %s\n", capsNote(*g))
	if g.Caps != nil {
		for _, x := range g.Caps.Warnings {
			fmt.Fprintf(w, "warning: %s\n", x)
		}
	}
}

// writePlacementMarkdown writes each placement decision as a list.
func writePlacementMarkdown(w io.Writer, s Stack) {
	for _, p := range s.Placements {
		fmt.Fprintf(w, "\n**Placement** of `%s`: **%s**\n\n", p.LogicalID, p.Tier)
		for _, r := range p.Reasons {
			fmt.Fprintf(w, "- %s\n", r)
		}
	}
}

// writeGuardMarkdown writes the guard's own cost and its caps as tables.
func writeGuardMarkdown(w io.Writer, g *Guard) {
	if g == nil {
		return
	}
	fmt.Fprintf(w, "\n**%s**\n\n", capitalFirst(guardTitle(*g)))
	var rows [][]string
	for _, l := range g.OwnCost {
		rows = append(rows, []string{l.Item, ownCostCell(l)})
	}
	rows = append(rows, []string{"**Guard total**", "**" + money(g.OwnMonthlyUSD) + "**"})
	textfmt.MarkdownTable(w, []string{"Guard item", "Monthly"}, "lr", rows)
	if cr := capRows(*g); len(cr) > 0 {
		fmt.Fprintln(w)
		var rows [][]string
		for _, r := range cr {
			rows = append(rows, []string{r.name, r.budget, r.applied, r.source})
		}
		textfmt.MarkdownTable(w, []string{"Cap", "From budget", "In template", "Template's value"}, "lrrl", rows)
	}
	fmt.Fprintf(w, "\n> %s\n", capsNote(*g))
	if g.Caps != nil {
		for _, x := range g.Caps.Warnings {
			fmt.Fprintf(w, "> warning: %s\n", x)
		}
	}
}

func capitalFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
