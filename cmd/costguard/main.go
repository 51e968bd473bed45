// Command costguard estimates, right-sizes, places, reports and diffs the
// monthly cost of a costguard inference API. Run `costguard help` for the
// subcommands; docs/cost.md has the full reference.
package main

import (
	"os"

	"github.com/costguard-ml/costguard/cmd/costguard/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
