package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/costguard-ml/costguard/cost/chart"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/pricing"
)

func init() {
	Register(Command{
		Name:    "plan",
		Summary: "choose a tier for a model: every limit it hits, each tier's monthly cost, the break-even traffic",
		Usage:   "costguard plan --peak-memory-mb M --p99-ms P --requests N [--artifact-mb A] [--avg-ms D] [--gpu] [--payload-bytes B] [--api none|rest|http] [--margin PCT] [--chart out.png|out.svg] [--json]",
		Run:     runPlan,
	})
}

type planResult struct {
	Model    placement.Model    `json:"model"`
	Decision placement.Decision `json:"decision"`
	Chart    string             `json:"chart,omitempty"`
}

func runPlan(env Env, args []string) error {
	f := NewFlags("plan", "costguard plan --peak-memory-mb M --p99-ms P --requests N [flags]\n\n"+
		"Sizes each tier for the model, lists every hard limit it hits there, prices\n"+
		"the feasible ones at the expected traffic and picks the cheapest synchronous\n"+
		"tier (asynchronous only when none fits or --api none); another tier wins over\n"+
		"Lambda only when cheaper by --margin. The reasons say how each tier was sized\n"+
		"(burstable instances on their baseline CPU, the NAT gateway, public IPv4 address\n"+
		"and load balancer Fargate deploys, asynchronous scale-in).")
	artifact := f.Float("artifact-mb", 0, 0, "model and code size, unzipped, in MB")
	peak := f.Float("peak-memory-mb", 0, 1, "peak memory of the serving process, in MB")
	p99 := f.Float("p99-ms", 0, 0.001, "p99 duration of one request, in ms")
	avg := f.Float("avg-ms", 0, 0, "average duration of one request, in ms (default half of --p99-ms)")
	gpu := f.Bool("gpu", false, "the model needs a GPU")
	payload := f.Float("payload-bytes", 0, 0, "largest request payload, in bytes")
	requests := f.Float("requests", 0, 0, "expected requests a month")
	api := f.Choice("api", "rest", []string{"none", "rest", "http"}, "front door (none for a queue or batch job)")
	arch := f.Choice("arch", "arm64", []string{"x86_64", "arm64"}, "architecture for Lambda and Fargate")
	margin := f.Range("margin", placement.DefaultMargin*100, 0, 99, "percent by which another tier must undercut Lambda to be chosen over it (0 compares prices alone)")
	chartPath := f.String("chart", "", "write monthly cost against traffic to this .png or .svg file")
	region := regionFlag(f)
	format := outputFlags(f)
	f.Require("peak-memory-mb", "p99-ms", "requests")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	if *chartPath != "" {
		if err := chart.CheckPath(*chartPath); err != nil {
			return Usagef("--chart: %q is not a .png or .svg file name", *chartPath)
		}
	}
	if f.Set("avg-ms") && *avg > *p99 {
		return Usagef("--avg-ms: %g exceeds --p99-ms %g", *avg, *p99)
	}
	p, err := region.prices()
	if err != nil {
		return err
	}
	m := placement.Model{
		ArtifactMB: *artifact, PeakMemoryMB: *peak, P99Ms: *p99, AvgMs: *avg, GPU: *gpu, PayloadBytes: *payload,
		RequestsPerMonth: *requests, FrontDoor: estimate.FrontDoor(*api), Arch: pricing.Arch(*arch),
		Margin: *margin / 100,
	}
	if *margin == 0 {
		m.Margin = placement.NoMargin
	}
	d, err := placement.Place(m, p)
	if err != nil {
		// The model itself cannot be served: the user's input, exit 2.
		return Usagef("%v", err)
	}
	res := planResult{Model: m, Decision: d}
	if *chartPath != "" {
		if err := chart.Plan(*chartPath, m, d, p); err != nil {
			return err
		}
		res.Chart = *chartPath
	}
	if format() == FormatJSON {
		return writeJSON(env.Stdout, res)
	}
	writePlan(env.Stdout, res, format() == FormatMarkdown)
	return nil
}

func writePlan(w io.Writer, res planResult, md bool) {
	d := res.Decision
	var rows [][]string
	for _, o := range d.Options {
		feasible, cost, config := "no", "-", o.Config
		if o.Feasible {
			feasible, cost = "yes", money(o.MonthlyUSD)
		}
		if o.Tier == d.Tier {
			feasible = "CHOSEN"
		}
		lim := strings.Join(o.Limits, "; ")
		if lim == "" {
			lim = strings.Join(o.Notes, "; ")
		}
		rows = append(rows, []string{string(o.Tier), feasible, config, cost, lim})
	}
	headers := []string{"TIER", "FITS", "CONFIGURATION", "MONTHLY", "LIMITS HIT"}
	if md {
		mdTable(w, []string{"Tier", "Fits", "Configuration", "Monthly", "Limits hit"}, "lllrl", rows)
	} else {
		table(w, headers, "lllrl", rows)
	}
	fmt.Fprintf(w, "\nplacement: %s\n", d.Tier)
	for _, r := range d.Reasons {
		fmt.Fprintf(w, "  - %s\n", r)
	}
	if len(d.BreakEvens) > 0 {
		fmt.Fprintln(w)
	}
	for _, be := range d.BreakEvens {
		fmt.Fprintf(w, "break-even: %s is cheaper below %s requests a month, %s above (both %s a month there)\n",
			be.PayPerUse, quantity(be.RequestsPerMonth), be.AlwaysOn, money(be.MonthlyUSD))
	}
	if res.Chart != "" {
		fmt.Fprintf(w, "chart: %s\n", res.Chart)
	}
}
