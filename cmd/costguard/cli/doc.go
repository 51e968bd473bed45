// Package cli is the costguard command line: a table of subcommands, each
// in its own file, sharing flag parsing, output formats and exit codes.
//
// Exit codes: 0 success, 1 a failure while running (an unreadable file, an
// assembly that breaks the contract), 2 a usage error (a bad flag or value),
// reported on one line that names the flag, the bad value and what is allowed.
//
// To add a subcommand, add one file with an init function that calls
// [Register]:
//
//	func init() {
//		Register(Command{
//			Name:    "restore",
//			Summary: "re-enable a function the kill switch stopped",
//			Usage:   "costguard restore [flags] FUNCTION",
//			Run:     runRestore,
//		})
//	}
//
//	func runRestore(env Env, args []string) error {
//		fs := NewFlags("restore")
//		yes := fs.Bool("yes", false, "do not ask for confirmation")
//		if err := fs.Parse(args); err != nil {
//			return err
//		}
//		…
//	}
//
// Return [Usagef] errors for bad input (exit 2) and plain errors for
// failures (exit 1).
package cli
