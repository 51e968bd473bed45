// Package validation holds the one error type of every costguard
// construct's bad props and the way a constructor reports it (Report), so
// every construct reports its problems the same way and none panics on
// them.
package validation

import (
	"errors"
	"fmt"
	"strings"
)

// Error is what a constructor's Err method returns for bad props: the
// construct path and every problem, each naming the field, the bad value
// and what is allowed.
type Error struct {
	// Path is the construct path.
	Path string
	// Problems are the individual problems, in field order.
	Problems []error
}

// Error prints one problem per line, each prefixed with the construct path.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.Path + ": " + p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so errors.Is and errors.As see them.
func (e *Error) Unwrap() []error { return e.Problems }

var _ error = (*Error)(nil)

// New returns the Error for the construct at path, with the problems of a
// joined error (errors.Join) listed one by one.
func New(path string, err error) *Error {
	return &Error{Path: path, Problems: Split(err)}
}

// Split returns the errors inside an errors.Join, or err itself.
func Split(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Problem is one validation problem: the field, then what is wrong.
func Problem(field, msg string) error { return errors.New(field + ": " + msg) }

// Problems gathers a constructor's problems, check by check.
type Problems []error

// Add appends one problem, formatted as fmt.Errorf formats it: the field,
// the bad value and what is allowed.
func (ps *Problems) Add(format string, args ...any) { *ps = append(*ps, fmt.Errorf(format, args...)) }
