package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
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

// TestReportInAnImportedRegion prices a stack in ap-northeast-2, which has
// no built-in table, from AWS Price List files end to end: the dev
// template with its region changed, the fixtures of cost/pricing.
func TestReportInAnImportedRegion(t *testing.T) {
	body, err := os.ReadFile(fixtures + "new/app-dev.template.json")
	if err != nil {
		t.Fatal(err)
	}
	seoul := strings.Replace(string(body), `"region": "us-east-1"`, `"region": "ap-northeast-2"`, 1)
	tmpl := t.TempDir() + "/app-seoul.template.json"
	if err := os.WriteFile(tmpl, []byte(seoul), 0o644); err != nil {
		t.Fatal(err)
	}
	const pl = "../../../cost/pricing/testdata/pricelist/"
	prices := "--prices " + pl + "lambda.get-products.json,../../../cost/pricing/testdata/pricelist/apigateway.offer.json" +
		" --prices " + pl + "cloudwatch.get-products.json --prices " + pl + "ecs.offer.json --prices " + pl + "sagemaker.offer.json" +
		" --prices " + pl + "ec2-nat.offer.json --prices " + pl + "vpc.get-products.json --prices " + pl + "elb.offer.json --prices " + pl + "kms.get-products.json --prices " + pl + "sns.get-products.json"
	all := prices + " --prices " + pl + "xray.get-products.json --prices " + pl + "datatransfer.offer.json"

	_, stderr, code := run(t, "costguard report "+tmpl)
	if code == 0 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
		!strings.Contains(stderr, `region "ap-northeast-2" is not priced (built in: us-east-1): import its prices from AWS Price List files with --prices FILE`) {
		t.Fatalf("without --prices: exit %d, stderr %q, want one line naming --prices", code, stderr)
	}

	seoulOut, stderr, code := run(t, "costguard report "+tmpl+" --json "+all)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	usOut, _, _ := run(t, "costguard report "+fixtures+"new/app-dev.template.json --json")
	var seoulR, usR struct {
		Stacks []struct {
			Region    string   `json:"region"`
			TotalUSD  float64  `json:"total_usd"`
			Notes     []string `json:"notes"`
			Resources []struct {
				Lines []struct {
					Item     string  `json:"item"`
					Quantity float64 `json:"quantity"`
					USD      float64 `json:"usd"`
				} `json:"lines"`
			} `json:"resources"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal([]byte(seoulOut), &seoulR); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(usOut), &usR); err != nil {
		t.Fatal(err)
	}
	s := seoulR.Stacks[0]
	if s.Region != "ap-northeast-2" || !strings.Contains(strings.Join(s.Notes, "|"), "ap-northeast-2 priced from AWS Price List files: apiGateway.cache, apiGateway.http, apiGateway.rest") {
		t.Errorf("region %q notes %q", s.Region, s.Notes)
	}
	// The fixtures price everything the stack bills: nothing is counted as $0.
	if notes := strings.Join(s.Notes, "|"); strings.Contains(notes, "counted as $0") {
		t.Errorf("notes %q, want every price imported", s.Notes)
	}
	// Without the X-Ray and data transfer files, their prices, and only
	// those, are listed as counted as $0.
	partOut, stderr, code := run(t, "costguard report "+tmpl+" --json "+prices)
	var part struct {
		Stacks []struct {
			Notes []string `json:"notes"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal([]byte(partOut), &part); code != 0 || err != nil {
		t.Fatalf("exit %d: %s %v", code, stderr, err)
	}
	if notes := strings.Join(part.Stacks[0].Notes, "|"); !strings.Contains(notes, "counted as $0: xray.recorded, xray.retrieved, dataTransfer.internetOut") ||
		strings.Count(notes, "counted as $0") != 1 {
		t.Errorf("notes %q, want only the prices of the files left out listed as $0", part.Stacks[0].Notes)
	}
	if s.TotalUSD <= usR.Stacks[0].TotalUSD {
		t.Errorf("Seoul total $%.2f, want above us-east-1's $%.2f (the fixtures' prices are higher)", s.TotalUSD, usR.Stacks[0].TotalUSD)
	}
	// Every request line is priced at the file's $0.25 per million.
	found := false
	for _, r := range s.Resources {
		for _, l := range r.Lines {
			if l.Item == "Lambda requests" && l.Quantity > 0 {
				found = true
				if want := pricing.RoundCents(l.Quantity * 0.25 / 1e6); l.USD != want {
					t.Errorf("Lambda requests %g = $%.2f, want $%.2f at the imported $0.25 per million", l.Quantity, l.USD, want)
				}
			}
		}
	}
	if !found {
		t.Error("no Lambda requests line")
	}
}
