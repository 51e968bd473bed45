package sagemakertier

import (
	"errors"
	"strings"
)

// ValidationError is the panic value of the constructor for bad props: the
// construct path and every problem, each naming the field, the bad value
// and what is allowed. It has the shape of the inference construct's, so
// the app reports every construct's problems the same way.
type ValidationError struct {
	// Path is the construct path.
	Path string
	// Problems are the individual problems.
	Problems []error
}

// Error prints one problem per line, each prefixed with the construct path.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.Path + ": " + p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so errors.Is and errors.As see them.
func (e *ValidationError) Unwrap() []error { return e.Problems }

// newValidationError splits a joined error into its problems.
func newValidationError(path string, err error) *ValidationError {
	var problems []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		problems = j.Unwrap()
	} else {
		problems = []error{err}
	}
	return &ValidationError{Path: path, Problems: problems}
}

var _ error = (*ValidationError)(nil)

// problem is one validation problem: the field, then what is wrong.
func problem(field, msg string) error { return errors.New(field + ": " + msg) }
