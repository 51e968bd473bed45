package report_test

import (
	"fmt"
	"os"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/report"
)

// Price a cloud assembly, one line per stack.
func ExampleBuild() {
	stacks, err := assembly.Read("testdata/old")
	if err != nil {
		panic(err)
	}
	r, err := report.Build(stacks, report.Options{})
	if err != nil {
		panic(err)
	}
	for _, s := range r.Stacks {
		fmt.Printf("%s %s $%.2f of $%.2f, over budget: %v\n", s.Name, s.Stage, s.TotalUSD, s.BudgetUSD, s.OverBudget())
	}
	// Output:
	// app-dev dev $9.68 of $20.00, over budget: false
	// app-prod prod $1542.63 of $1535.00, over budget: true
}

// Diff two assemblies as a pull-request comment.
func ExampleCompare() {
	read := func(path string) report.Report {
		stacks, err := assembly.Read(path)
		if err != nil {
			panic(err)
		}
		r, err := report.Build(stacks, report.Options{})
		if err != nil {
			panic(err)
		}
		return r
	}
	d := report.Compare(read("testdata/old/app-dev.template.json"), read("testdata/new/app-dev.template.json"))
	if err := report.WriteDiff(os.Stdout, d, report.FormatMarkdown); err != nil {
		panic(err)
	}
	// Output:
	// ## costguard cost diff
	//
	// Monthly estimate **$9.68 → $10.78** (**+$1.10**, +11.4%).
	//
	// | Stack | Stage | Old | New | Delta |  |
	// |---|---|---:|---:|---:|---|
	// | app-dev | dev | $9.68 | $10.78 | **+$1.10** | 53% of the $20.00 budget |
	//
	// <details><summary>Resources that changed</summary>
	//
	// | Stack | Resource | Type | Old | New | Delta | Change |
	// |---|---|---|---:|---:|---:|---|
	// | app-dev | `InferenceFunction` | Lambda::Function | $6.28 | $7.28 | **+$1.00** | lambda.memoryMiB: 1024 → 2048 |
	// | app-dev | `ThrottlesAlarm` | CloudWatch::Alarm | - | $0.10 | **+$0.10** | added |
	//
	// </details>
}
