package service_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's first Go snippet is taken from the runnable Example: every
// line of it is a line of example_test.go, so the front page cannot show
// code that does not compile or does not run.
func TestReadmeSnippetIsTheExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```go\n")
	if !ok {
		t.Fatal("README.md has no Go snippet")
	}
	snippet, _, _ := strings.Cut(rest, "```")
	lines := map[string]bool{}
	for _, l := range strings.Split(string(example), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	n := 0
	for _, l := range strings.Split(snippet, "\n") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		n++
		if !lines[l] {
			t.Errorf("README snippet line %q is not in example_test.go", l)
		}
	}
	if n < 15 {
		t.Errorf("README snippet has %d lines, want the Example's ~20", n)
	}
}
