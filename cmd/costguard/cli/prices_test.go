package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
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
		{"no subcommand", "costguard prices", "costguard prices: want a subcommand: fetch or import"},
		{"unknown subcommand", "costguard prices export", `want a subcommand: fetch or import (got "export")`},
		{"fetch without a region", "costguard prices fetch", "--region is required"},
		{"fetch with arguments", "costguard prices fetch --region ap-northeast-2 extra", "extra"},
		{"fetch from a non-URL", "costguard prices fetch --region ap-northeast-2 --endpoint ftp://x", `endpoint "ftp://x" is not an http(s) URL`},
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

// TestPricesFetch fetches two services from a Price List Bulk API on
// loopback (the fixtures' offer files, in AWS's layout), then prices with
// the directory it wrote.
func TestPricesFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files := map[string]string{"AmazonECS": "ecs.offer.json", "AmazonApiGateway": "apigateway.offer.json"}
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/offers/v1.0/aws/"), "/")
		file, ok := files[parts[0]]
		switch {
		case !ok:
			http.NotFound(w, r)
		case strings.HasSuffix(r.URL.Path, "/current/region_index.json"):
			fmt.Fprintf(w, `{"regions":{"ap-northeast-2":{"regionCode":"ap-northeast-2","currentVersionUrl":"/offers/v1.0/aws/%s/1/ap-northeast-2/index.json"}}}`, parts[0])
		case strings.HasSuffix(r.URL.Path, "/1/ap-northeast-2/index.json"):
			http.ServeFile(w, r, priceFixtures+file)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	stdout, stderr, code := run(t, "costguard prices fetch --region ap-northeast-2 --service AmazonECS,AmazonApiGateway --dir "+dir+" --endpoint "+srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, dir+"/AmazonECS.ap-northeast-2.offer.json: 4 of 5 products kept from "+srv.URL) ||
		!strings.Contains(stdout, "missing (counted as $0): lambda.requests") || !strings.Contains(stdout, "price with --prices "+dir) {
		t.Errorf("stdout =\n%s", stdout)
	}
	// 1 vCPU and 2 GB for 730 hours at the fixture's $0.05 and $0.0055.
	stdout, stderr, code = run(t, "costguard estimate fargate --cpu 1024 --memory-mb 2048 --region ap-northeast-2 --prices "+dir+" --json")
	var e jsonEstimate
	if err := json.Unmarshal([]byte(stdout), &e); code != 0 || err != nil || e.Total != 44.53 {
		t.Errorf("estimate with --prices DIR: exit %d (%s), total %.2f, want 44.53", code, stderr, e.Total)
	}
	_, stderr, code = run(t, "costguard prices fetch --region ap-northeast-2 --service AWSLambda --dir "+dir+" --endpoint "+srv.URL)
	if code != 1 || !strings.Contains(stderr, "AWSLambda: GET "+srv.URL+"/offers/v1.0/aws/AWSLambda/current/region_index.json: 404 Not Found") {
		t.Errorf("a service the endpoint lacks: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = run(t, "costguard prices fetch --region ap-northeast-2 --service AmazonS3")
	if code != 2 || !strings.Contains(stderr, `service "AmazonS3" is not one costguard prices`) {
		t.Errorf("an unknown service: exit %d, stderr %q", code, stderr)
	}
}
