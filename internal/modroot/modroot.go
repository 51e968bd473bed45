// Package modroot finds the module's root directory, for the CDK app and
// the tests that read files relative to it.
package modroot

import (
	"errors"
	"os"
	"path/filepath"
)

// ErrNotFound is returned by [Find] when no directory above the working
// directory holds go.mod.
var ErrNotFound = errors.New("go.mod not found above the working directory")

// Find returns the nearest directory at or above the working directory
// that holds go.mod.
func Find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNotFound
		}
		dir = parent
	}
}
