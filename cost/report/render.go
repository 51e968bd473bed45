package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/costguard-ml/costguard/cost/textfmt"
)

// Output formats.
const (
	FormatTable    = "table"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

var (
	money  = textfmt.Money
	signed = textfmt.SignedMoney
	qty    = textfmt.Quantity
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func resourceLabel(r Resource) string {
	label := r.LogicalID + " (" + shortType(r.Type)
	if r.Tier != "" {
		label += ", " + r.Tier
	}
	return label + ")"
}

func budgetText(s Stack) string {
	if s.BudgetUSD == 0 {
		return "no budget"
	}
	use := pct(s.TotalUSD, s.BudgetUSD)
	if s.OverBudget() {
		return fmt.Sprintf("budget %s, OVER BUDGET (%s)", money(s.BudgetUSD), use)
	}
	return fmt.Sprintf("budget %s (%s used)", money(s.BudgetUSD), use)
}

// WriteReport writes r in format; summary limits the table and Markdown
// forms to one line per stack.
func WriteReport(w io.Writer, r Report, format string, summary bool) error {
	switch format {
	case FormatJSON:
		return writeJSON(w, r)
	case FormatMarkdown:
		writeReportMarkdown(w, r, summary)
		return nil
	}
	if !summary {
		for _, s := range r.Stacks {
			stage := s.Stage
			if stage == "" {
				stage = "(no stage)"
			}
			fmt.Fprintf(w, "%s: stage %s, %s, %s\n", s.Name, stage, s.Region, budgetText(s))
			var rows [][]string
			for _, res := range s.Resources {
				rows = append(rows, []string{resourceLabel(res), "", "", money(res.TotalUSD)})
				if len(res.Lines) == 0 && len(res.Notes) > 0 {
					rows = append(rows, []string{"  " + res.Notes[0], "", "", ""})
				}
				for _, l := range res.Lines {
					rows = append(rows, []string{"  " + l.Item, qty(l.Quantity), l.Unit, money(l.USD)})
				}
			}
			rows = append(rows, textfmt.Rule, []string{"TOTAL " + s.Name, "", "", money(s.TotalUSD)})
			textfmt.Table(w, []string{"RESOURCE / ITEM", "QUANTITY", "UNIT", "MONTHLY"}, "lrlr", rows)
			writePlacementText(w, s)
			writeGuardText(w, s.Guard)
			for _, n := range s.Notes {
				fmt.Fprintf(w, "note: %s\n", n)
			}
			fmt.Fprintln(w)
		}
	}
	writeSummary(w, r)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

func writeSummary(w io.Writer, r Report) {
	var rows [][]string
	for _, s := range r.Stacks {
		budget, flag := "-", ""
		if s.BudgetUSD > 0 {
			budget = money(s.BudgetUSD)
			if s.OverBudget() {
				flag = "over budget"
			}
		}
		rows = append(rows, []string{s.Name, s.Stage, s.Region, budget, money(s.TotalUSD), flag})
	}
	rows = append(rows, textfmt.Rule, []string{"TOTAL", "", "", "", money(r.TotalUSD), ""})
	textfmt.Table(w, []string{"STACK", "STAGE", "REGION", "BUDGET", "MONTHLY", ""}, "lllrrl", rows)
}

func writeReportMarkdown(w io.Writer, r Report, summary bool) {
	fmt.Fprintf(w, "## costguard monthly estimate: %s\n\n", money(r.TotalUSD))
	var rows [][]string
	for _, s := range r.Stacks {
		budget := "-"
		if s.BudgetUSD > 0 {
			budget = money(s.BudgetUSD)
			if s.OverBudget() {
				budget += " ⚠️ over"
			}
		}
		rows = append(rows, []string{s.Name, s.Stage, s.Region, budget, money(s.TotalUSD)})
	}
	textfmt.MarkdownTable(w, []string{"Stack", "Stage", "Region", "Budget", "Monthly"}, "lllrr", rows)
	if !summary {
		for _, s := range r.Stacks {
			fmt.Fprintf(w, "\n### %s (%s)\n\n", s.Name, money(s.TotalUSD))
			var rows [][]string
			for _, res := range s.Resources {
				if len(res.Lines) == 0 {
					note := ""
					if len(res.Notes) > 0 {
						note = res.Notes[0]
					}
					rows = append(rows, []string{"`" + res.LogicalID + "`", shortType(res.Type) + ": " + note, "", "", money(0)})
				}
				for i, l := range res.Lines {
					name := ""
					if i == 0 {
						name = "`" + res.LogicalID + "`"
					}
					rows = append(rows, []string{name, l.Item, qty(l.Quantity), l.Unit, money(l.USD)})
				}
			}
			textfmt.MarkdownTable(w, []string{"Resource", "Item", "Quantity", "Unit", "Monthly"}, "llrlr", rows)
			writePlacementMarkdown(w, s)
			writeGuardMarkdown(w, s.Guard)
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range r.Notes {
			fmt.Fprintf(w, "> %s\n", n)
		}
	}
}

// WriteDiff writes d in format.
func WriteDiff(w io.Writer, d Diff, format string) error {
	switch format {
	case FormatJSON:
		return writeJSON(w, d)
	case FormatMarkdown:
		writeDiffMarkdown(w, d)
		return nil
	}
	var rows [][]string
	for _, s := range d.Stacks {
		if s.Status == Unchanged {
			rows = append(rows, []string{s.Name, money(s.OldUSD), money(s.NewUSD), signed(s.DeltaUSD), "unchanged"})
			continue
		}
		rows = append(rows, []string{s.Name, oldMoney(s.Status, s.OldUSD), newMoney(s.Status, s.NewUSD), signed(s.DeltaUSD), stackNote(s)})
		for _, r := range s.Resources {
			rows = append(rows, []string{"  " + r.LogicalID + " (" + shortType(r.Type) + ")", oldMoney(r.Status, r.OldUSD),
				newMoney(r.Status, r.NewUSD), signed(r.DeltaUSD), resourceNote(r)})
		}
	}
	rows = append(rows, textfmt.Rule, []string{"TOTAL", money(d.OldUSD), money(d.NewUSD), signed(d.DeltaUSD), textfmt.Percent(d.DeltaUSD, d.OldUSD)})
	textfmt.Table(w, []string{"STACK / RESOURCE", "OLD", "NEW", "DELTA", "CHANGE"}, "lrrrl", rows)
	return nil
}

func oldMoney(s Status, v float64) string {
	if s == Added {
		return "-"
	}
	return money(v)
}

func newMoney(s Status, v float64) string {
	if s == Removed {
		return "-"
	}
	return money(v)
}

func stackNote(s StackDiff) string {
	parts := []string{}
	if s.Status != Changed {
		parts = append(parts, string(s.Status))
	}
	if s.BudgetUSD > 0 && s.Status != Removed {
		if s.NewUSD > s.BudgetUSD {
			parts = append(parts, fmt.Sprintf("OVER the %s budget", money(s.BudgetUSD)))
		} else {
			parts = append(parts, fmt.Sprintf("%s of the %s budget", pct(s.NewUSD, s.BudgetUSD), money(s.BudgetUSD)))
		}
	}
	return strings.Join(parts, ", ")
}

func resourceNote(r ResourceDiff) string {
	if r.Status != Changed {
		return string(r.Status)
	}
	return strings.Join(r.Changes, "; ")
}

func writeDiffMarkdown(w io.Writer, d Diff) {
	fmt.Fprintln(w, "## costguard cost diff")
	fmt.Fprintln(w)
	pct := textfmt.Percent(d.DeltaUSD, d.OldUSD)
	if pct != "" {
		pct = ", " + pct
	}
	switch {
	case !d.Changed():
		fmt.Fprintf(w, "No change to the monthly estimate (%s).\n", money(d.NewUSD))
		return
	case d.DeltaUSD == 0:
		fmt.Fprintf(w, "Monthly estimate unchanged at **%s**; resources changed below.\n\n", money(d.NewUSD))
	default:
		fmt.Fprintf(w, "Monthly estimate **%s → %s** (**%s**%s).\n\n", money(d.OldUSD), money(d.NewUSD), signed(d.DeltaUSD), pct)
	}
	var rows [][]string
	for _, s := range d.Stacks {
		rows = append(rows, []string{s.Name, s.Stage, oldMoney(s.Status, s.OldUSD), newMoney(s.Status, s.NewUSD), deltaCell(s.DeltaUSD), stackNote(s)})
	}
	textfmt.MarkdownTable(w, []string{"Stack", "Stage", "Old", "New", "Delta", ""}, "llrrrl", rows)
	var res [][]string
	for _, s := range d.Stacks {
		for _, r := range s.Resources {
			res = append(res, []string{s.Name, "`" + r.LogicalID + "`", shortType(r.Type), oldMoney(r.Status, r.OldUSD),
				newMoney(r.Status, r.NewUSD), deltaCell(r.DeltaUSD), resourceNote(r)})
		}
	}
	if len(res) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "<details><summary>Resources that changed</summary>")
		fmt.Fprintln(w)
		textfmt.MarkdownTable(w, []string{"Stack", "Resource", "Type", "Old", "New", "Delta", "Change"}, "lllrrrl", res)
		fmt.Fprintln(w)
		fmt.Fprintln(w, "</details>")
	}
}

// pct is part/whole in whole percent, rounded down so that a stack just
// under its budget never reads 100%.
func pct(part, whole float64) string {
	return fmt.Sprintf("%.0f%%", math.Floor(100*part/whole+1e-9))
}

func deltaCell(v float64) string {
	s := signed(v)
	if math.Abs(v) >= 0.005 {
		return "**" + s + "**"
	}
	return s
}
