package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Env is what a command reads and writes.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Command is one subcommand.
type Command struct {
	// Name is the word that selects the command.
	Name string
	// Summary is one line for `costguard help`.
	Summary string
	// Usage is the synopsis printed by `costguard help NAME` and --help.
	Usage string
	// Run runs the command with the arguments after its name.
	Run func(env Env, args []string) error
}

var commands = map[string]Command{}

// Register adds a subcommand; registering a name twice is a programming
// error and panics at start-up.
func Register(c Command) {
	if _, dup := commands[c.Name]; dup || c.Name == "" || c.Run == nil {
		panic(fmt.Sprintf("cli: bad or duplicate command %q", c.Name))
	}
	commands[c.Name] = c
}

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
	// ExitOverBudget is returned by report and diff with --fail-over-budget.
	ExitOverBudget = 3
)

// exitError ends a command with a specific exit code and message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// UsageError is a bad flag, value or argument: exit code 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a [UsageError].
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Main runs costguard with args (without the program name) and returns the
// exit code.
func Main(args []string, env Env) (code int) {
	defer func() {
		// Nothing should panic on user input; if something does, say so on
		// one line rather than dump a trace at a user.
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "costguard: internal error: %v\n", r)
			code = ExitFailure
		}
	}()
	if len(args) == 0 {
		printHelp(env.Stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				// The same text as COMMAND --help: the command prints its own.
				return Main(append(append([]string{c.Name}, args[2:]...), "--help"), env)
			}
			fmt.Fprintf(env.Stderr, "costguard help: %q is not a command (commands: %s)\n", args[1], strings.Join(Names(), ", "))
			return ExitUsage
		}
		printHelp(env.Stdout)
		return ExitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "costguard: %q is not a command (commands: %s)\n", name, strings.Join(Names(), ", "))
		return ExitUsage
	}
	err := c.Run(env, args[1:])
	var ue *UsageError
	var he *helpError
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		fmt.Fprintf(env.Stderr, "costguard %s: %s\n", name, oneLine(ee.msg))
		return ee.code
	case err == nil:
		return ExitOK
	case errors.As(err, &he):
		fmt.Fprint(env.Stdout, he.text)
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "costguard %s: %s\n", name, oneLine(ue.Msg))
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "costguard %s: %s\n", name, oneLine(err.Error()))
		return ExitFailure
	}
}

// oneLine joins the lines of a joined error with "; ".
func oneLine(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", "; ") }

// Names lists the registered commands, sorted.
func Names() []string {
	var n []string
	for k := range commands {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "usage: costguard COMMAND [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, n := range Names() {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `costguard help COMMAND` or `costguard COMMAND --help` for a command's flags.")
}
