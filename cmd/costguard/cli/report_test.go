package cli

import (
	"os"
	"strings"
	"testing"
)

const fixtures = "../../../cost/report/testdata/"

// The CLI prints exactly what the report package's golden files hold.
func TestReportAndDiffMatchGoldens(t *testing.T) {
	tests := []struct {
		cmdline, golden string
	}{
		{"costguard report " + fixtures + "old", "report.txt"},
		{"costguard report " + fixtures + "old/manifest.json --summary", "report-summary.txt"},
		{"costguard report " + fixtures + "old --format markdown", "report.md"},
		{"costguard report " + fixtures + "old --json", "report.json"},
		{"costguard report " + fixtures + "old --free-tier", "report-free-tier.txt"},
		{"costguard diff " + fixtures + "old " + fixtures + "new", "diff.txt"},
		{"costguard diff " + fixtures + "old " + fixtures + "new --format markdown", "diff.md"},
		{"costguard diff " + fixtures + "old " + fixtures + "new --json", "diff.json"},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.cmdline)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			want, err := os.ReadFile(fixtures + "golden/" + tc.golden)
			if err != nil {
				t.Fatal(err)
			}
			if stdout != string(want) {
				t.Errorf("%s:\n%s\nwant golden %s:\n%s", tc.cmdline, stdout, tc.golden, want)
			}
		})
	}
}

func TestDiffTemplates(t *testing.T) {
	stdout, stderr, code := run(t, "costguard diff "+fixtures+"old/app-dev.template.json "+fixtures+"new/app-dev.template.json")
	if code != 0 || !strings.Contains(stdout, "lambda.memoryMiB: 1024 → 2048") || !strings.Contains(stdout, "+$1.10") {
		t.Errorf("exit %d, stderr %q, stdout\n%s", code, stderr, stdout)
	}
}

func TestReportExitCodes(t *testing.T) {
	tests := []struct {
		name, cmdline, stderr string
		code                  int
	}{
		{name: "over budget", cmdline: "costguard report " + fixtures + "old --fail-over-budget", code: ExitOverBudget, stderr: "stack app-prod is estimated over its budget"},
		{name: "within budget after the change", cmdline: "costguard diff " + fixtures + "old " + fixtures + "new --fail-over-budget", code: 0},
		{name: "missing assembly", cmdline: "costguard report testdata/none", code: ExitUsage, stderr: "testdata/none: no such file or directory"},
		{name: "one argument to diff", cmdline: "costguard diff " + fixtures + "old", code: ExitUsage, stderr: "want two arguments, OLD and NEW, got 1"},
		{name: "two arguments to report", cmdline: "costguard report a b", code: ExitUsage, stderr: `unexpected argument "b"`},
		{name: "not an assembly", cmdline: "costguard report " + fixtures, code: ExitUsage, stderr: "not a cloud assembly"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.cmdline)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}
