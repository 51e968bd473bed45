package cli

import (
	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/report"
)

func init() {
	Register(Command{
		Name:    "report",
		Summary: "monthly estimate per stack and resource of a synthesized cloud assembly",
		Usage:   "costguard report [CDK_OUT|TEMPLATE.json] [--summary] [--free-tier] [--prices FILE] [--format table|markdown|json] [--json]",
		Run:     runReport,
	})
	Register(Command{
		Name:    "diff",
		Summary: "monthly cost delta between two cloud assemblies or templates, as a table or Markdown",
		Usage:   "costguard diff OLD NEW [--format table|markdown|json] [--json] [--fail-over-budget]",
		Run:     runDiff,
	})
}

func reportFlags(f *Flags) (freeTier *bool, logBytes *float64, prices *[]string) {
	freeTier = f.Bool("free-tier", false, "treat the assembly as the whole account and apply its free tiers, first come first served")
	logBytes = f.Float("log-bytes-per-request", report.DefaultLogBytesPerRequest, 0, "CloudWatch Logs bytes ingested per request")
	prices = new([]string)
	pricesFlag(f, prices)
	return
}

// buildReport reads and prices an assembly; a missing or malformed one is
// a usage error (the user named it), a broken contract a failure.
func buildReport(path string, o report.Options) (report.Report, error) {
	stacks, err := assembly.Read(path)
	if err != nil {
		return report.Report{}, Usagef("%v", err)
	}
	return report.Build(stacks, o)
}

func runReport(env Env, args []string) error {
	f := NewFlags("report", "costguard report [CDK_OUT|TEMPLATE.json] [flags]\n\n"+
		"Prices every stack of a synthesized cloud assembly (default cdk.out) at the\n"+
		"traffic each stage records, resource by resource, fixed costs included.\n"+
		"Below each stack: the placement decision and its reasons, and the cost\n"+
		"guard's own monthly cost and its caps (from the budget, in the template).\n"+
		"A stack's region (its costguard:stack record, else its environment) picks\n"+
		"the price tables; an environment-agnostic stack is priced in us-east-1.\n"+
		"--prices FILE prices any region from AWS Price List files.")
	summary := f.Bool("summary", false, "one line per stack")
	freeTier, logBytes, prices := reportFlags(f)
	failOver := f.Bool("fail-over-budget", false, "exit 3 when a stack's estimate exceeds its budget")
	format := outputFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	path := "cdk.out"
	switch len(f.Args()) {
	case 0:
	case 1:
		path = f.Args()[0]
	default:
		return Usagef("unexpected argument %q (one assembly at most)", f.Args()[1])
	}
	pl, err := loadPrices(*prices)
	if err != nil {
		return err
	}
	r, err := buildReport(path, report.Options{FreeTier: *freeTier, LogBytesPerRequest: *logBytes, Prices: pl})
	if err != nil {
		return err
	}
	if err := report.WriteReport(env.Stdout, r, format(), *summary); err != nil {
		return err
	}
	if *failOver {
		for _, s := range r.Stacks {
			if s.OverBudget() {
				return &exitError{code: ExitOverBudget, msg: "stack " + s.Name + " is estimated over its budget"}
			}
		}
	}
	return nil
}

func runDiff(env Env, args []string) error {
	f := NewFlags("diff", "costguard diff OLD NEW [flags]\n\n"+
		"OLD and NEW are cloud assembly directories (or their manifest.json) or\n"+
		"CloudFormation templates. --format markdown writes a pull-request comment.")
	freeTier, logBytes, prices := reportFlags(f)
	failOver := f.Bool("fail-over-budget", false, "exit 3 when a stack of NEW is estimated over its budget")
	format := outputFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if len(f.Args()) != 2 {
		return Usagef("want two arguments, OLD and NEW, got %d", len(f.Args()))
	}
	pl, err := loadPrices(*prices)
	if err != nil {
		return err
	}
	o := report.Options{FreeTier: *freeTier, LogBytesPerRequest: *logBytes, Prices: pl}
	old, err := buildReport(f.Args()[0], o)
	if err != nil {
		return err
	}
	new, err := buildReport(f.Args()[1], o)
	if err != nil {
		return err
	}
	d := report.Compare(old, new)
	if err := report.WriteDiff(env.Stdout, d, format()); err != nil {
		return err
	}
	if *failOver {
		for _, s := range new.Stacks {
			if s.OverBudget() {
				return &exitError{code: ExitOverBudget, msg: "stack " + s.Name + " is estimated over its budget"}
			}
		}
	}
	return nil
}
