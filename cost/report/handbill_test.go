package report

import (
	"bufio"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// dollars reads "$1,234.56" (possibly in bold).
func dollars(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.NewReplacer("$", "", ",", "", "*", "", " ", "").Replace(s), 64)
	if err != nil {
		t.Fatalf("not a dollar amount: %q", s)
	}
	return v
}

// tableAfter returns the cells of the Markdown table that follows marker in
// the file, header and separator rows left out.
func tableAfter(t *testing.T, lines []string, marker string) [][]string {
	t.Helper()
	for i, l := range lines {
		if !strings.Contains(l, marker) {
			continue
		}
		var rows [][]string
		for _, row := range lines[i+1:] {
			if !strings.HasPrefix(row, "|") {
				if len(rows) > 0 {
					break
				}
				continue
			}
			cells := strings.Split(strings.Trim(row, "|"), "|")
			for j := range cells {
				cells[j] = strings.TrimSpace(cells[j])
			}
			rows = append(rows, cells)
		}
		if len(rows) < 3 {
			t.Fatalf("the table after %q has no rows", marker)
		}
		return rows[2:]
	}
	t.Fatalf("docs/cost.md has no %q", marker)
	return nil
}

// TestHandItemisedBillsAgree keeps docs/cost.md's hand-itemised bills and
// costguard report in step: each stack's report on the golden templates is
// within 2 % of its bill by hand, the report total the page shows is the
// report's today, and the dev bill's lines add up to its total.
func TestHandItemisedBillsAgree(t *testing.T) {
	f, err := os.Open("../../docs/cost.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	stacks, err := assembly.Read("../../stacks/testdata")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(stacks, Options{})
	if err != nil {
		t.Fatal(err)
	}
	reported := map[string]float64{}
	for _, s := range r.Stacks {
		reported[s.Name] = s.TotalUSD
	}

	rows := tableAfter(t, lines, "<!-- hand-itemised summary:")
	if len(rows) != len(stacks) {
		t.Errorf("%d stacks in the summary, %d golden templates", len(rows), len(stacks))
	}
	pct := regexp.MustCompile(`^[+-]?[0-9.]+ %$`)
	hand := map[string]float64{}
	for _, row := range rows {
		if len(row) != 4 || !pct.MatchString(row[3]) {
			t.Fatalf("summary row %q: want stack, by hand, report, difference", row)
		}
		name, byHand, shown := row[0], dollars(t, row[1]), dollars(t, row[2])
		got, ok := reported[name]
		if !ok {
			t.Errorf("%s: not a golden stack", name)
			continue
		}
		hand[name] = byHand
		if d := math.Abs(got-byHand) / byHand; d > 0.02 {
			t.Errorf("%s: costguard report $%.2f is %.1f %% from the bill by hand ($%.2f)", name, got, 100*d, byHand)
		}
		if shown != got {
			t.Errorf("%s: docs/cost.md shows the report at $%.2f; it is $%.2f today (update the table)", name, shown, got)
		}
	}

	devRows := tableAfter(t, lines, "<!-- dev bill:")
	var sum float64
	for _, row := range devRows[:len(devRows)-1] {
		sum += dollars(t, row[len(row)-1])
	}
	total := dollars(t, devRows[len(devRows)-1][len(devRows[len(devRows)-1])-1])
	if pricing.RoundCents(sum) != total || total != hand["costguard-dev"] {
		t.Errorf("dev bill: lines add up to $%.2f, its total says $%.2f, the summary $%.2f", sum, total, hand["costguard-dev"])
	}
}
