package report

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// Status says how a stack or resource changed between two reports.
type Status string

// The statuses.
const (
	Added     Status = "added"
	Removed   Status = "removed"
	Changed   Status = "changed"
	Unchanged Status = "unchanged"
)

// ResourceDiff is the cost change of one resource.
type ResourceDiff struct {
	LogicalID string  `json:"logicalId"`
	Type      string  `json:"type"`
	Status    Status  `json:"status"`
	OldUSD    float64 `json:"old_usd"`
	NewUSD    float64 `json:"new_usd"`
	DeltaUSD  float64 `json:"delta_usd"`
	// Changes lists what changed, one "field: old → new" a line.
	Changes []string `json:"changes,omitempty"`
}

// StackDiff is the cost change of one stack.
type StackDiff struct {
	Name      string         `json:"name"`
	Stage     string         `json:"stage,omitempty"`
	Status    Status         `json:"status"`
	OldUSD    float64        `json:"old_usd"`
	NewUSD    float64        `json:"new_usd"`
	DeltaUSD  float64        `json:"delta_usd"`
	BudgetUSD float64        `json:"budget_usd,omitempty"`
	Resources []ResourceDiff `json:"resources,omitempty"`
}

// Diff is the cost change between two reports.
type Diff struct {
	Stacks   []StackDiff `json:"stacks"`
	OldUSD   float64     `json:"old_usd"`
	NewUSD   float64     `json:"new_usd"`
	DeltaUSD float64     `json:"delta_usd"`
}

// Changed reports whether anything's cost or configuration changed.
func (d Diff) Changed() bool {
	for _, s := range d.Stacks {
		if s.Status != Unchanged {
			return true
		}
	}
	return false
}

// Compare diffs two reports: stacks matched by name, resources by logical
// ID. Resources whose cost and pricing inputs are equal are left out.
func Compare(old, new Report) Diff {
	olds, news := map[string]Stack{}, map[string]Stack{}
	var names []string
	for _, s := range old.Stacks {
		olds[s.Name] = s
		names = append(names, s.Name)
	}
	for _, s := range new.Stacks {
		if _, ok := olds[s.Name]; !ok {
			names = append(names, s.Name)
		}
		news[s.Name] = s
	}
	sort.Strings(names)
	d := Diff{OldUSD: old.TotalUSD, NewUSD: new.TotalUSD, DeltaUSD: pricing.RoundCents(new.TotalUSD - old.TotalUSD)}
	for _, n := range names {
		o, hasOld := olds[n]
		nw, hasNew := news[n]
		sd := StackDiff{Name: n, OldUSD: o.TotalUSD, NewUSD: nw.TotalUSD, Stage: nw.Stage, BudgetUSD: nw.BudgetUSD}
		if !hasNew {
			sd.Stage, sd.BudgetUSD = o.Stage, o.BudgetUSD
		}
		sd.DeltaUSD = pricing.RoundCents(sd.NewUSD - sd.OldUSD)
		sd.Resources = compareResources(o.Resources, nw.Resources)
		switch {
		case !hasOld:
			sd.Status = Added
		case !hasNew:
			sd.Status = Removed
		case len(sd.Resources) > 0 || sd.DeltaUSD != 0:
			sd.Status = Changed
		default:
			sd.Status = Unchanged
		}
		d.Stacks = append(d.Stacks, sd)
	}
	return d
}

func compareResources(old, new []Resource) []ResourceDiff {
	olds, news := map[string]Resource{}, map[string]Resource{}
	for _, r := range old {
		olds[r.LogicalID] = r
	}
	for _, r := range new {
		news[r.LogicalID] = r
	}
	ids := map[string]bool{}
	for id := range olds {
		ids[id] = true
	}
	for id := range news {
		ids[id] = true
	}
	var out []ResourceDiff
	for _, id := range sortedKeys(ids) {
		o, hasOld := olds[id]
		n, hasNew := news[id]
		rd := ResourceDiff{LogicalID: id, Type: n.Type, OldUSD: o.TotalUSD, NewUSD: n.TotalUSD}
		if !hasNew {
			rd.Type = o.Type
		}
		rd.DeltaUSD = pricing.RoundCents(rd.NewUSD - rd.OldUSD)
		switch {
		case !hasOld:
			rd.Status = Added
		case !hasNew:
			rd.Status = Removed
		default:
			rd.Changes = changes(o, n)
			if len(rd.Changes) == 0 && rd.DeltaUSD == 0 {
				continue
			}
			rd.Status = Changed
		}
		out = append(out, rd)
	}
	// Biggest moves first, so a PR comment leads with what matters.
	sort.SliceStable(out, func(i, j int) bool { return math.Abs(out[i].DeltaUSD) > math.Abs(out[j].DeltaUSD) })
	return out
}

// changes lists the differences in the pricing inputs of two versions of a
// resource: the workload record's fields, else the quantities of its lines.
func changes(o, n Resource) []string {
	if o.Workload != nil || n.Workload != nil {
		a, b := flatten(o.Workload), flatten(n.Workload)
		keys := map[string]bool{}
		for k := range a {
			keys[k] = true
		}
		for k := range b {
			keys[k] = true
		}
		var out []string
		for _, k := range sortedKeys(keys) {
			switch {
			case a[k] == b[k]:
			case k == "placement":
				// The reasons quote prices and limits; both lists in a
				// table cell would drown the change, the report has them.
				out = append(out, "placement reasons changed")
			default:
				out = append(out, fmt.Sprintf("%s: %s → %s", k, orNone(a[k]), orNone(b[k])))
			}
		}
		return out
	}
	var out []string
	nl := map[string]float64{}
	for _, l := range n.Lines {
		nl[l.Item] = l.Quantity
	}
	for _, l := range o.Lines {
		if q, ok := nl[l.Item]; ok && q != l.Quantity {
			out = append(out, fmt.Sprintf("%s: %g → %g %s", l.Item, l.Quantity, q, l.Unit))
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// flatten turns a value's JSON into dotted keys and scalar strings.
func flatten(v any) map[string]string {
	out := map[string]string{}
	b, err := json.Marshal(v)
	if err != nil {
		return out
	}
	var m any
	if json.Unmarshal(b, &m) != nil {
		return out
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, x)
			}
		case nil:
		default:
			out[prefix] = fmt.Sprint(t)
		}
	}
	walk("", m)
	return out
}
