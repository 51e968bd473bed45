package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/sizing"
)

func init() {
	Register(Command{
		Name:    "tune",
		Summary: "right-size memory from a duration profile (Power Tuning, map or local CPU time) and the timeout from p99",
		Usage:   "costguard tune [PROFILE.json|-] [--strategy cost|speed|balanced (default cost, as Power Tuning)] [--cpu-ms MS] [--p99-ms MS --init-ms MS --api none|rest|http] [--json]",
		Run:     runTune,
	})
}

// tuneResult is tune's JSON output.
type tuneResult struct {
	Memory  *sizing.Recommendation `json:"memory,omitempty"`
	Profile string                 `json:"profileFormat,omitempty"`
	Timeout *timeoutResult         `json:"timeout,omitempty"`
}

type timeoutResult struct {
	Seconds  float64 `json:"seconds"`
	P99Ms    float64 `json:"p99Ms"`
	InitMs   float64 `json:"initMs"`
	Headroom float64 `json:"headroom"`
	LimitS   float64 `json:"limitSeconds"`
	Limit    string  `json:"limit"`
}

func runTune(env Env, args []string) error {
	f := NewFlags("tune", "costguard tune [PROFILE.json|-] [flags]\n\n"+
		"PROFILE is AWS Lambda Power Tuning's output (or its visualization URL) or a\n"+
		"{\"memory_mb\": avg_ms} map; without one, --cpu-ms estimates the profile from\n"+
		"CPU time measured locally. --p99-ms alone prints the right-sized timeout.")
	// The default is AWS Lambda Power Tuning's own ("strategy": "cost"), so
	// the same profile gives the same answer here as in its output.
	strategy := f.Choice("strategy", string(sizing.StrategyCost), []string{"cost", "speed", "balanced"}, "what to optimise; cost is AWS Lambda Power Tuning's default")
	weight := f.Range("weight", sizing.DefaultBalancedWeight, 0, 1, "balanced strategy's weight of cost (1) against speed (0); alone, it selects --strategy balanced")
	arch := f.Choice("arch", string(pricing.X86_64), []string{"x86_64", "arm64"}, "architecture to price")
	maxMs := f.Float("max-ms", 0, 0, "drop memory sizes slower than this average, in ms")
	minMem := f.Int("min-memory-mb", 0, 0, limits.LambdaMaxMemoryMiB, "drop memory sizes below this (peak memory plus headroom)")
	cpuMs := f.Float("cpu-ms", 0, 0, "CPU time of one request measured locally on one core, in ms (analytic profile)")
	waitMs := f.Float("wait-ms", 0, 0, "time of one request that does not scale with CPU (I/O), in ms")
	threads := f.Int("threads", 1, 1, 64, "cores the work can use at once")
	speed := f.Float("local-speed", 1, 0.01, "local core speed relative to a Lambda vCPU")
	p99 := f.Float("p99-ms", 0, 0, "p99 duration, for the right-sized timeout")
	initMs := f.Float("init-ms", 0, 0, "init (cold start) duration, added to p99 for the timeout")
	headroom := f.Float("headroom", sizing.DefaultHeadroom, 1, "timeout headroom multiplier")
	api := f.Choice("api", "rest", []string{"none", "rest", "http"}, "front door whose timeout caps the function's")
	region := regionFlag(f)
	format := outputFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if len(f.Args()) > 1 {
		return Usagef("unexpected argument %q (one profile at most)", f.Args()[1])
	}
	if f.Set("weight") && !f.Set("strategy") {
		*strategy = string(sizing.StrategyBalanced)
	}
	if f.Set("weight") && *strategy != string(sizing.StrategyBalanced) {
		return Usagef("--weight: %g weighs the balanced strategy only, not --strategy %s", *weight, *strategy)
	}
	if *weight == 0 {
		return Usagef("--weight: 0 weighs speed only; use --strategy speed")
	}

	var res tuneResult
	var prof *sizing.Profile
	switch {
	case len(f.Args()) == 1 && f.Set("cpu-ms"):
		return Usagef("--cpu-ms: give either a profile file or --cpu-ms, not both")
	case len(f.Args()) == 1:
		data, err := readInput(env, f.Args()[0])
		if err != nil {
			return err
		}
		p, err := sizing.ParseProfile(data)
		if err != nil {
			return Usagef("profile %s: %v", f.Args()[0], err)
		}
		prof = &p
	case f.Set("cpu-ms"):
		p, err := sizing.AnalyticProfile(sizing.CPUWork{CPUMs: *cpuMs, WaitMs: *waitMs, Threads: *threads, LocalSpeed: *speed}, nil)
		if err != nil {
			return Usagef("--cpu-ms: %v", err)
		}
		prof = &p
	case !f.Set("p99-ms"):
		return Usagef("nothing to tune: give a profile file, --cpu-ms or --p99-ms")
	}
	if prof != nil {
		p, err := region.prices()
		if err != nil {
			return err
		}
		r, err := sizing.Recommend(*prof, sizing.Strategy(*strategy), sizing.Options{
			Prices: &p.Lambda,
			Arch:   pricing.Arch(*arch), BalancedWeight: *weight, MaxAvgDurationMs: *maxMs, MinMemoryMiB: *minMem,
		})
		if err != nil {
			return Usagef("%v", err)
		}
		res.Memory = &r
		res.Profile = prof.Format
	}
	if f.Set("p99-ms") {
		limit, name := time.Duration(0), "Lambda's 900 s maximum"
		switch *api {
		case "rest":
			limit, name = limits.RESTIntegrationTimeout, "the REST API's 29 s integration timeout"
		case "http":
			limit, name = limits.HTTPIntegrationTimeout, "the HTTP API's 30 s integration timeout"
		}
		ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
		t, err := sizing.RightSizeTimeout(sizing.LatencyProfile{P99: ms(*p99), Init: ms(*initMs), Headroom: *headroom}, limit)
		if err != nil {
			return Usagef("--p99-ms: %v", err)
		}
		if limit == 0 {
			limit = limits.LambdaMaxTimeout
		}
		res.Timeout = &timeoutResult{Seconds: t.Seconds(), P99Ms: *p99, InitMs: *initMs, Headroom: *headroom, LimitS: limit.Seconds(), Limit: name}
	}
	return writeTune(env.Stdout, res, format())
}

// readInput reads a file, or stdin for "-".
func readInput(env Env, path string) ([]byte, error) {
	if path == "-" {
		if env.Stdin == nil {
			return nil, errors.New("no standard input")
		}
		return io.ReadAll(env.Stdin)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, Usagef("%s: cannot read: %v", path, errors.Unwrap(err))
	}
	return b, nil
}

func writeTune(w io.Writer, res tuneResult, format string) error {
	if format == FormatJSON {
		return writeJSON(w, res)
	}
	md := format == FormatMarkdown
	if r := res.Memory; r != nil {
		rows := [][]string{}
		for _, c := range r.Candidates {
			mark := ""
			switch {
			case c.MemoryMiB == r.MemoryMiB:
				mark = "← " + string(r.Strategy)
			case c.Excluded != "":
				mark = c.Excluded
			}
			row := []string{
				strconv.Itoa(c.MemoryMiB), strconv.FormatFloat(c.AvgDurationMs, 'f', 1, 64),
				fmt.Sprintf("%.0f", c.BilledMs), fmt.Sprintf("$%.10f", c.InvocationUSD),
				fmt.Sprintf("$%.2f", c.InvocationUSD*1e6),
			}
			if r.Strategy == sizing.StrategyBalanced {
				score := strconv.FormatFloat(c.Score, 'f', 4, 64)
				if c.Excluded != "" {
					score = "-"
				}
				row = append(row, score)
			}
			rows = append(rows, append(row, mark))
		}
		headers := []string{"MEMORY MB", "AVG MS", "BILLED MS", "PER REQUEST", "PER MILLION"}
		align := "rrrrr"
		if r.Strategy == sizing.StrategyBalanced {
			headers, align = append(headers, "SCORE"), align+"r"
		}
		headers, align = append(headers, ""), align+"l"
		if md {
			mdTable(w, headers, align, rows)
		} else {
			table(w, headers, align, rows)
		}
		fmt.Fprintf(w, "\nmemory: %d MB (%s strategy, %s, %s profile): %.1f ms, $%.2f per million requests\n",
			r.MemoryMiB, r.Strategy, r.Arch, res.Profile, r.AvgDurationMs, r.InvocationUSD*1e6)
	}
	if t := res.Timeout; t != nil {
		if res.Memory != nil {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "timeout: %gs (p99 %g ms + init %g ms, × %g headroom, rounded up to a second, at most %s)\n",
			t.Seconds, t.P99Ms, t.InitMs, t.Headroom, t.Limit)
	}
	return nil
}
