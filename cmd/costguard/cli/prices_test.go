package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

const priceFixtures = "../../../cost/pricing/testdata/pricelist/"

func TestPricesImport(t *testing.T) {
	stdout, stderr, code := run(t, "costguard prices import "+priceFixtures+"lambda.get-products.json "+priceFixtures+"apigateway.offer.json --json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out []importedRegion
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Region != "ap-northeast-2" || out[0].Prices.Lambda.RequestsPerMillion != 0.25 ||
		!strings.Contains(strings.Join(out[0].Missing, ","), "cloudwatch.alarm") || strings.Contains(strings.Join(out[0].Missing, ","), "apiGateway.rest") {
		t.Errorf("import = %+v", out)
	}
	table, _, _ := run(t, "costguard prices import "+priceFixtures+"lambda.get-products.json")
	if !strings.HasPrefix(table, "ap-northeast-2: 8 prices imported\n  lambda.duration.arm64\n") || !strings.Contains(table, "missing (counted as $0 until imported): apiGateway.rest") ||
		!strings.Contains(table, "not read from Price List files (counted as $0 where a template has them): other.waf, other.secret") {
		t.Errorf("table =\n%s", table)
	}
}

func TestPricesFlag(t *testing.T) {
	// 1M requests of 100 ms at 1 GB in Seoul from the fixture: 100,000 GB-s
	// at $0.00002 = $2.00, requests $0.25; the rest of the tables missing.
	stdout, stderr, code := run(t, "costguard estimate lambda --requests 1M --duration-ms 100 --memory-mb 1024 --region ap-northeast-2 --prices "+priceFixtures+"lambda.get-products.json --json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var e jsonEstimate
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatal(err)
	}
	if e.Total != 2.25 {
		t.Errorf("total = %.2f, want 2.25: %s", e.Total, stdout)
	}
	if !strings.Contains(stdout, "not in the imported Price List files for ap-northeast-2, so counted as $0: apiGateway.rest") {
		t.Errorf("no note of the missing prices: %s", stdout)
	}
}

func TestPricesErrors(t *testing.T) {
	tests := []struct{ name, cmdline, want string }{
		{"no subcommand", "costguard prices", "costguard prices: want a subcommand: import"},
		{"unknown subcommand", "costguard prices fetch", `want a subcommand: import (got "fetch")`},
		{"no file", "costguard prices import", "want one or more AWS Price List files"},
		{"not a price list", "costguard prices import " + fixtures + "new/app-dev.template.json", "app-dev.template.json: not AWS Price List API output (aws pricing get-products JSON or an offer file)"},
		{"missing file", "costguard estimate api --api rest --requests 1 --prices nope.json", "--prices: nope.json: no such file or directory"},
		{"unknown region", "costguard estimate api --api rest --requests 1 --region ap-northeast-2", `--region: region "ap-northeast-2" is not priced (built in: us-east-1): import its prices from AWS Price List files with --prices FILE`},
		{"region the files do not price", "costguard estimate api --api rest --requests 1 --region eu-west-1 --prices " + priceFixtures + "lambda.get-products.json", `region "eu-west-1" is not priced`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.cmdline)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q, want one line containing %q", code, stderr, tc.want)
			}
		})
	}
}
