package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/pricing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cost/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (review, then go test ./cost/report -update):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func build(t *testing.T, path string, o Options) Report {
	t.Helper()
	stacks, err := assembly.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(stacks, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportGolden(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		opts    Options
		format  string
		summary bool
	}{
		{name: "report.txt", path: "testdata/old", format: FormatTable},
		{name: "report-summary.txt", path: "testdata/old", format: FormatTable, summary: true},
		{name: "report.md", path: "testdata/old", format: FormatMarkdown},
		{name: "report.json", path: "testdata/old", format: FormatJSON},
		{name: "report-free-tier.txt", path: "testdata/old", format: FormatTable, opts: Options{FreeTier: true}},
		{name: "report-new.txt", path: "testdata/new", format: FormatTable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteReport(&b, build(t, tc.path, tc.opts), tc.format, tc.summary); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

func TestDiffGolden(t *testing.T) {
	old, new := build(t, "testdata/old", Options{}), build(t, "testdata/new", Options{})
	d := Compare(old, new)
	for _, format := range []string{FormatTable, FormatMarkdown, FormatJSON} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteDiff(&b, d, format); err != nil {
				t.Fatal(err)
			}
			golden(t, "diff."+map[string]string{FormatTable: "txt", FormatMarkdown: "md", FormatJSON: "json"}[format], b.Bytes())
		})
	}
}

func find(t *testing.T, r Report, stack, id string) Resource {
	t.Helper()
	for _, s := range r.Stacks {
		if s.Name != stack {
			continue
		}
		for _, res := range s.Resources {
			if res.LogicalID == id {
				return res
			}
		}
	}
	t.Fatalf("no resource %s in stack %s", id, stack)
	return Resource{}
}

func lineUSD(r Resource, item string) (float64, bool) {
	for _, l := range r.Lines {
		if l.Item == item {
			return l.USD, true
		}
	}
	return 0, false
}

func TestReportResources(t *testing.T) {
	r := build(t, "testdata/old", Options{})
	tests := []struct {
		name, stack, id, item string
		want                  float64
	}{
		{name: "plain alarm reads one metric", stack: "app-dev", id: "ErrorsAlarm", item: "CloudWatch alarm", want: 0.10},
		{name: "metric-math alarm pays per metric", stack: "app-dev", id: "SpendAlarm", item: "CloudWatch alarm", want: 0.30},
		{name: "10 s period is high resolution", stack: "app-prod", id: "FastAlarm", item: "CloudWatch high-resolution alarm", want: 0.30},
		{name: "composite alarm", stack: "app-prod", id: "AnyAlarm", item: "CloudWatch composite alarm", want: 0.50},
		{name: "dashboard", stack: "app-dev", id: "Dashboard", item: "CloudWatch dashboard", want: 3.00},
		{name: "load balancer hours", stack: "app-prod", id: "LB", item: "Application Load Balancer", want: 16.43},
		{name: "nat gateway hours", stack: "app-prod", id: "Nat", item: "NAT gateway", want: 32.85},
		{name: "interface endpoint in two subnets", stack: "app-prod", id: "EcrEndpoint", item: "Interface VPC endpoint", want: 14.60},
		{name: "always-on fargate tasks", stack: "app-prod", id: "Worker", item: "Fargate vCPU (x86_64)", want: pricing.RoundCents(2.5 * 730 * 0.04048)},
		{name: "gpu instance all month", stack: "app-prod", id: "Endpoint", item: "SageMaker realtime instance (ml.g4dn.xlarge)", want: 537.57},
		{name: "provisioned concurrency all month", stack: "app-prod", id: "Api", item: "Lambda provisioned concurrency (x86_64)", want: pricing.RoundCents(5 * 2 * 730 * 3600 * 0.0000041667)},
		{name: "http api meters 700 KB as two requests", stack: "app-prod", id: "Api", item: "API Gateway HTTP requests", want: 40.00},
		// 1M requests × 1 KiB, 30-day retention: 0.954 GB ingested and stored a month.
		{name: "log ingestion", stack: "app-dev", id: "InferenceFunction", item: "CloudWatch Logs ingestion", want: pricing.RoundCents(1e6 * DefaultLogBytesPerRequest / (1 << 30) * 0.50)},
		{name: "kms key", stack: "app-prod", id: "TopicKey", item: "KMS customer managed key", want: 1.00},
		{name: "waf web acl", stack: "app-prod", id: "Firewall", item: "WAF web ACL", want: 5.00},
		{name: "waf rules", stack: "app-prod", id: "Firewall", item: "WAF rules", want: 2.00},
		// The stack's only API is the HTTP one in front of Api: 20M requests.
		{name: "waf requests", stack: "app-prod", id: "Firewall", item: "WAF requests", want: 12.00},
		{name: "stage cache", stack: "app-prod", id: "ApiStage", item: "API Gateway cache (0.5 GB)", want: 14.60},
		{name: "budget listed", stack: "app-prod", id: "Budget", want: 0},
		{name: "zero-cost resources are listed", stack: "app-dev", id: "KillSwitch", want: 0},
		{name: "topic listed", stack: "app-dev", id: "AlarmTopic", want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := find(t, r, tc.stack, tc.id)
			if tc.item == "" {
				if res.TotalUSD != 0 || len(res.Notes) == 0 {
					t.Errorf("%s = %+v, want $0.00 with a reason", tc.id, res)
				}
				return
			}
			got, ok := lineUSD(res, tc.item)
			if !ok || got != tc.want {
				t.Errorf("%s %s = $%.2f (present %v), want $%.2f; lines %+v", tc.id, tc.item, got, ok, tc.want, res.Lines)
			}
		})
	}
	for _, id := range []string{"FunctionRole", "S3Endpoint", "PlainStage", "KillState"} {
		for _, s := range r.Stacks {
			for _, res := range s.Resources {
				if res.LogicalID == id {
					t.Errorf("%s (no cost of its own) is listed", id)
				}
			}
		}
	}
}

func TestReportTotals(t *testing.T) {
	r := build(t, "testdata/old", Options{})
	var sum float64
	for _, s := range r.Stacks {
		var st float64
		for _, res := range s.Resources {
			var rt float64
			for _, l := range res.Lines {
				rt += l.USD
			}
			if pricing.RoundCents(rt) != res.TotalUSD {
				t.Errorf("%s/%s total %.2f is not the sum of its lines %.2f", s.Name, res.LogicalID, res.TotalUSD, rt)
			}
			st += res.TotalUSD
		}
		if pricing.RoundCents(st) != s.TotalUSD {
			t.Errorf("%s total %.2f is not the sum of its resources %.2f", s.Name, s.TotalUSD, st)
		}
		sum += s.TotalUSD
	}
	if pricing.RoundCents(sum) != r.TotalUSD {
		t.Errorf("report total %.2f is not the sum of its stacks %.2f", r.TotalUSD, sum)
	}
}

func TestReportFreeTier(t *testing.T) {
	with, without := build(t, "testdata/old", Options{FreeTier: true}), build(t, "testdata/old", Options{})
	// app-dev comes first: its 4 alarm metrics and dashboard are free, and
	// app-prod's single standard alarm takes the 5th free metric.
	for _, tc := range []struct {
		stack, id string
		want      float64
	}{
		{"app-dev", "ErrorsAlarm", 0}, {"app-dev", "SpendAlarm", 0}, {"app-dev", "Dashboard", 0},
		{"app-prod", "LatencyAlarm", 0}, {"app-prod", "FastAlarm", 0.30},
	} {
		if got := find(t, with, tc.stack, tc.id).TotalUSD; got != tc.want {
			t.Errorf("free tier: %s/%s = $%.2f, want $%.2f", tc.stack, tc.id, got, tc.want)
		}
	}
	devWith, devWithout := find(t, with, "app-dev", "InferenceFunction"), find(t, without, "app-dev", "InferenceFunction")
	if l, _ := lineUSD(devWith, "Lambda requests"); l != 0 {
		t.Errorf("the first Lambda workload's 1M requests cost $%.2f with the free tier, want $0.00", l)
	}
	if devWith.TotalUSD >= devWithout.TotalUSD {
		t.Errorf("free tier did not lower the first function: $%.2f vs $%.2f", devWith.TotalUSD, devWithout.TotalUSD)
	}
	if with.TotalUSD >= without.TotalUSD {
		t.Errorf("free tier total $%.2f not below $%.2f", with.TotalUSD, without.TotalUSD)
	}
}

func TestReportErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, body, want string
	}{
		{name: "unpriced region", body: `{"Metadata":{"costguard:stack":{"version":1,"stage":"eu","region":"eu-west-1"}},"Resources":{}}`,
			want: `stack t: region "eu-west-1" is not priced (built in: us-east-1): import its prices from AWS Price List files with --prices FILE`},
		{name: "newer stack record", body: `{"Metadata":{"costguard:stack":{"version":9}},"Resources":{}}`,
			want: "stack t: stack metadata version: 9 is not supported"},
		{name: "broken workload", body: `{"Resources":{"F":{"Type":"AWS::Lambda::Function","Metadata":{"costguard:workload":{"version":1,"tier":"lambda"}}}}}`,
			want: `stack t: resource F: workload lambda: missing for tier "lambda"`},
		{name: "unknown cache size", body: `{"Resources":{"S":{"Type":"AWS::ApiGateway::Stage","Properties":{"CacheClusterEnabled":true,"CacheClusterSize":"3"}}}}`,
			want: `stack t: resource S: CacheClusterSize "3" is not one of 0.5, 1.6,`},
		{name: "workload out of limits", body: `{"Resources":{"F":{"Type":"AWS::Lambda::Function","Metadata":{"costguard:workload":{"version":1,"tier":"lambda","traffic":{},"lambda":{"memoryMiB":99999,"architecture":"arm64"}}}}}}`,
			want: "stack t: resource F: memory-mb: 99999 is outside 128 to 10240"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stacks, err := assembly.Read(write("t.json", tc.body))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(stacks, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Build() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	d := Compare(build(t, "testdata/old", Options{}), build(t, "testdata/new", Options{}))
	byName := map[string]StackDiff{}
	for _, s := range d.Stacks {
		byName[s.Name] = s
	}
	if byName["app-sandbox"].Status != Added || byName["app-dev"].Status != Changed || byName["app-prod"].Status != Changed {
		t.Fatalf("stack statuses = %+v", d.Stacks)
	}
	res := map[string]ResourceDiff{}
	for _, r := range byName["app-dev"].Resources {
		res[r.LogicalID] = r
	}
	for _, r := range byName["app-prod"].Resources {
		res[r.LogicalID] = r
	}
	if r := res["InferenceFunction"]; r.Status != Changed || r.DeltaUSD <= 0 || len(r.Changes) != 1 || r.Changes[0] != "lambda.memoryMiB: 1024 → 2048" {
		t.Errorf("memory change = %+v", r)
	}
	if r := res["ThrottlesAlarm"]; r.Status != Added || r.DeltaUSD != 0.10 {
		t.Errorf("added alarm = %+v", r)
	}
	// 730 hours at $0.045 and the Fargate worker's logs through it.
	if r := res["Nat"]; r.Status != Removed || r.DeltaUSD != -pricing.RoundCents(730*0.045+pricing.RoundCents(2e6*1024/(1<<30)*0.045)) {
		t.Errorf("removed NAT = %+v", r)
	}
	if _, listed := res["ErrorsAlarm"]; listed {
		t.Error("an unchanged resource is listed")
	}
	if d.DeltaUSD != pricing.RoundCents(d.NewUSD-d.OldUSD) {
		t.Errorf("delta %.2f != %.2f - %.2f", d.DeltaUSD, d.NewUSD, d.OldUSD)
	}
	same := Compare(build(t, "testdata/old", Options{}), build(t, "testdata/old", Options{}))
	if same.Changed() || same.DeltaUSD != 0 {
		t.Errorf("an assembly differs from itself: %+v", same)
	}
	var b bytes.Buffer
	_ = WriteDiff(&b, same, FormatMarkdown)
	if !strings.Contains(b.String(), "No change to the monthly estimate") {
		t.Errorf("unchanged markdown = %q", b.String())
	}
}

func TestCompareTemplates(t *testing.T) {
	old, err := assembly.Read("testdata/old/app-dev.template.json")
	if err != nil {
		t.Fatal(err)
	}
	new, err := assembly.Read("testdata/new/app-dev.template.json")
	if err != nil {
		t.Fatal(err)
	}
	ro, _ := Build(old, Options{})
	rn, _ := Build(new, Options{})
	d := Compare(ro, rn)
	if len(d.Stacks) != 1 || d.Stacks[0].Name != "app-dev" || d.Stacks[0].Status != Changed {
		t.Errorf("template diff = %+v", d.Stacks)
	}
}
