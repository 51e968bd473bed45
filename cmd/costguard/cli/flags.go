package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Flags wraps a flag.FlagSet so that every bad value becomes a one-line
// [UsageError] naming the flag, the value and what is allowed.
type Flags struct {
	fs       *flag.FlagSet
	name     string
	synopsis string
	err      error
	required []string
	seen     map[string]bool
}

// NewFlags returns an empty flag set for the command called name, whose
// --help prints synopsis and the flags.
func NewFlags(name, synopsis string) *Flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	return &Flags{fs: fs, name: name, synopsis: synopsis, seen: map[string]bool{}}
}

// helpError carries a command's help text to Main, which prints it to
// stdout and exits 0.
type helpError struct{ text string }

func (h *helpError) Error() string { return "help requested" }

func (f *Flags) fail(format string, args ...any) error {
	if f.err == nil {
		f.err = Usagef(format, args...)
	}
	return f.err
}

// Float defines a number flag of at least min. Digits may be grouped with
// "_" or ",", and the suffixes k, M and B multiply by a thousand, a million
// and a billion (3M is 3,000,000).
func (f *Flags) Float(name string, def, min float64, usage string) *float64 {
	p := new(float64)
	*p = def
	f.fs.Func(name, usage, func(s string) error {
		v, ok := parseNumber(s)
		if !ok || v < min {
			return f.fail("--%s: %q is not a number of at least %g", name, s, min)
		}
		*p = v
		return nil
	})
	return p
}

// Range defines a number flag between lo and hi.
func (f *Flags) Range(name string, def, lo, hi float64, usage string) *float64 {
	p := new(float64)
	*p = def
	f.fs.Func(name, usage, func(s string) error {
		v, ok := parseNumber(s)
		if !ok || v < lo || v > hi {
			return f.fail("--%s: %q is not a number from %g to %g", name, s, lo, hi)
		}
		*p = v
		return nil
	})
	return p
}

// Int defines a whole-number flag between lo and hi.
func (f *Flags) Int(name string, def, lo, hi int, usage string) *int {
	p := new(int)
	*p = def
	f.fs.Func(name, usage, func(s string) error {
		v, ok := parseNumber(s)
		if !ok || v != math.Trunc(v) || v < float64(lo) || v > float64(hi) {
			return f.fail("--%s: %q is not a whole number from %d to %d", name, s, lo, hi)
		}
		*p = int(v)
		return nil
	})
	return p
}

// Choice defines a flag whose value is one of allowed.
func (f *Flags) Choice(name, def string, allowed []string, usage string) *string {
	p := new(string)
	*p = def
	f.fs.Func(name, usage+" ("+strings.Join(allowed, "|")+")", func(s string) error {
		for _, a := range allowed {
			if s == a {
				*p = s
				return nil
			}
		}
		return f.fail("--%s: %q is not one of %s", name, s, strings.Join(allowed, ", "))
	})
	return p
}

// String defines a free-form string flag.
func (f *Flags) String(name, def, usage string) *string { return f.fs.String(name, def, usage) }

// Bool defines a boolean flag.
func (f *Flags) Bool(name string, def bool, usage string) *bool { return f.fs.Bool(name, def, usage) }

// Require marks flags that must be given.
func (f *Flags) Require(names ...string) { f.required = append(f.required, names...) }

// Set reports whether the flag was given on the command line.
func (f *Flags) Set(name string) bool { return f.seen[name] }

// Args returns the arguments after the flags.
func (f *Flags) Args() []string { return f.fs.Args() }

// Parse parses args; flags may follow positional arguments.
// ParseNoArgs parses args like Parse and rejects any positional argument,
// for commands that take flags only.
func (f *Flags) ParseNoArgs(args []string) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	if len(f.Args()) > 0 {
		return Usagef("unexpected argument %q", f.Args()[0])
	}
	return nil
}

func (f *Flags) Parse(args []string) error {
	var positional []string
	rest := args
	for {
		if err := f.fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return &helpError{text: "usage: " + f.synopsis + "\n\nflags:\n" + f.Usage()}
			}
			if f.err != nil {
				return f.err
			}
			return Usagef("%s", flagMessage(err.Error()))
		}
		rest = f.fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			positional = append(positional, rest[1:]...)
			break
		}
		positional = append(positional, rest[0])
		rest = rest[1:]
	}
	f.fs.Visit(func(fl *flag.Flag) { f.seen[fl.Name] = true })
	for _, r := range f.required {
		if !f.seen[r] {
			return Usagef("--%s is required", r)
		}
	}
	// Leave the positional arguments (wherever they were) for Args.
	_ = f.fs.Parse(append([]string{"--"}, positional...))
	return nil
}

// flagMessage rewrites the flag package's messages in costguard's style.
func flagMessage(msg string) string {
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return "unknown flag --" + strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-") + " (see --help)"
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return "--" + strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-") + ": missing value"
	case strings.HasPrefix(msg, "invalid boolean value "):
		// invalid boolean value "x" for -json: parse error
		rest := strings.TrimPrefix(msg, "invalid boolean value ")
		val, fl, _ := strings.Cut(rest, " for ")
		fl, _, _ = strings.Cut(fl, ":")
		return fmt.Sprintf("--%s: %s is not one of true, false", strings.TrimLeft(fl, "-"), val)
	}
	return msg
}

// Usage writes the flag defaults of f.
func (f *Flags) Usage() string {
	var b bytes.Buffer
	f.fs.SetOutput(&b)
	f.fs.PrintDefaults()
	f.fs.SetOutput(&bytes.Buffer{})
	return b.String()
}

func parseNumber(s string) (float64, bool) {
	t := strings.NewReplacer("_", "", ",", "").Replace(strings.TrimSpace(s))
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "k") || strings.HasSuffix(t, "K"):
		mult, t = 1e3, t[:len(t)-1]
	case strings.HasSuffix(t, "M"):
		mult, t = 1e6, t[:len(t)-1]
	case strings.HasSuffix(t, "B"):
		mult, t = 1e9, t[:len(t)-1]
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v * mult, true
}
