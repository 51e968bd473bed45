package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// run runs a command line exactly as a user types it (no quoting needed).
func run(t *testing.T, cmdline string) (stdout, stderr string, code int) {
	t.Helper()
	return runStdin(t, cmdline, "")
}

// runStdin is run with stdin.
func runStdin(t *testing.T, cmdline, stdin string) (stdout, stderr string, code int) {
	t.Helper()
	args := strings.Fields(cmdline)
	if len(args) == 0 || args[0] != "costguard" {
		t.Fatalf("command line %q does not start with costguard", cmdline)
	}
	var out, errb bytes.Buffer
	code = Main(args[1:], Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

type jsonEstimate struct {
	Total float64 `json:"total_usd"`
	Lines []struct {
		Item     string  `json:"item"`
		Quantity float64 `json:"quantity"`
		Unit     string  `json:"unit"`
		USD      float64 `json:"usd"`
	} `json:"lines"`
}

func (e jsonEstimate) usd(item string) (float64, bool) {
	for _, l := range e.Lines {
		if l.Item == item {
			return l.USD, true
		}
	}
	return 0, false
}

// TestAWSExamplesThroughTheCLI types AWS's published examples (us-east-1)
// into costguard and checks every published figure to the cent. Sources
// are in docs/cost.md.
func TestAWSExamplesThroughTheCLI(t *testing.T) {
	tests := []struct {
		name    string
		cmdline string
		total   float64
		lines   map[string]float64
	}{
		{
			name:    "lambda page: 3M requests, 120 ms, 1536 MB, x86_64, free tier",
			cmdline: "costguard estimate lambda --requests 3000000 --duration-ms 120 --memory-mb 1536 --arch x86_64 --free-tier",
			total:   2.73,
			lines:   map[string]float64{"Lambda compute (x86_64)": 2.33, "Lambda requests": 0.40},
		},
		{
			name:    "lambda page: 6M requests, 280 ms, 4096 MB, 2048 MB ephemeral, free tier",
			cmdline: "costguard estimate lambda --requests 6000000 --duration-ms 280 --memory-mb 4096 --arch x86_64 --ephemeral-mb 2048 --free-tier",
			total:   106.41,
			lines:   map[string]float64{"Lambda compute (x86_64)": 105.33, "Lambda requests": 1.00, "Lambda ephemeral storage": 0.08},
		},
		{
			name:    "api gateway page: 5M REST requests",
			cmdline: "costguard estimate api --api rest --requests 5000000",
			total:   17.50,
			lines:   map[string]float64{"API Gateway REST requests": 17.50},
		},
		{
			name:    "lambda page (2020): 30M requests, 200 ms, 128 MB, free tier",
			cmdline: "costguard estimate lambda --requests 30000000 --duration-ms 200 --memory-mb 128 --free-tier",
			total:   11.63,
			lines:   map[string]float64{"Lambda compute (x86_64)": 5.83, "Lambda requests": 5.80},
		},
		{
			name:    "lambda page (2020): provisioned concurrency 1000 for 2 hours, 1.2M requests of 1 s, 1024 MB",
			cmdline: "costguard estimate lambda --requests 1200000 --duration-ms 1000 --memory-mb 1024 --provisioned 1000 --provisioned-hours 2 --provisioned-requests 1200000 --provisioned-duration-ms 1000",
			total:   41.91,
			lines: map[string]float64{
				"Lambda provisioned concurrency (x86_64)":    30.00,
				"Lambda duration while provisioned (x86_64)": 11.67,
				"Lambda requests":                            0.24,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{" --json", " --format json"} {
				stdout, stderr, code := run(t, tc.cmdline+format)
				if code != 0 {
					t.Fatalf("exit %d, stderr %q", code, stderr)
				}
				var e jsonEstimate
				if err := json.Unmarshal([]byte(stdout), &e); err != nil {
					t.Fatalf("output is not JSON: %v\n%s", err, stdout)
				}
				if e.Total != tc.total {
					t.Errorf("total_usd = %.2f, want %.2f", e.Total, tc.total)
				}
				for item, want := range tc.lines {
					if got, ok := e.usd(item); !ok || got != want {
						t.Errorf("%s = %.2f (present %v), want %.2f", item, got, ok, want)
					}
				}
			}
			stdout, _, code := run(t, tc.cmdline)
			if code != 0 || !strings.Contains(stdout, money(tc.total)) {
				t.Errorf("table output (exit %d) lacks %s:\n%s", code, money(tc.total), stdout)
			}
		})
	}
}

func TestEstimateTable(t *testing.T) {
	stdout, _, _ := run(t, "costguard estimate lambda --requests 3000000 --duration-ms 120 --memory-mb 1536 --free-tier")
	want := `ITEM                      QUANTITY  UNIT      MONTHLY
Lambda compute (x86_64)    140,000  GB-s        $2.33
Lambda requests          2,000,000  requests    $0.40
-----------------------------------------------------
TOTAL                                           $2.73
`
	if stdout != want {
		t.Errorf("table =\n%s\nwant\n%s", stdout, want)
	}
	md, _, _ := run(t, "costguard estimate lambda --requests 3M --duration-ms 120 --memory-mb 1536 --free-tier --format markdown")
	if !strings.Contains(md, "| Lambda compute (x86_64) | 140,000 | GB-s | $2.33 |") || !strings.Contains(md, "| **Total** |  |  | **$2.73** |") {
		t.Errorf("markdown =\n%s", md)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name    string
		cmdline string
		want    string
	}{
		{name: "no command", cmdline: "costguard", want: "usage: costguard COMMAND"},
		{name: "unknown command", cmdline: "costguard bill", want: `costguard: "bill" is not a command (commands: `},
		{name: "missing tier", cmdline: "costguard estimate", want: "costguard estimate: missing tier: want one of api, fargate, lambda, sagemaker, workload"},
		{name: "unknown tier", cmdline: "costguard estimate ec2", want: `costguard estimate: tier: "ec2" is not one of api, fargate, lambda, sagemaker, workload`},
		{name: "not a number", cmdline: "costguard estimate lambda --requests lots --duration-ms 1 --memory-mb 128", want: `costguard estimate: lambda: --requests: "lots" is not a number of at least 0`},
		{name: "negative", cmdline: "costguard estimate lambda --requests -5 --duration-ms 1 --memory-mb 128", want: `--requests: "-5" is not a number of at least 0`},
		{name: "memory out of range", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 20000", want: `--memory-mb: "20000" is not a whole number from 128 to 10240`},
		{name: "fractional memory", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 1536.5", want: `--memory-mb: "1536.5" is not a whole number from 128 to 10240`},
		{name: "bad arch", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --arch sparc", want: `--arch: "sparc" is not one of x86_64, arm64`},
		{name: "bad api", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --api grpc", want: `--api: "grpc" is not one of none, rest, http`},
		{name: "bad format", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --format xml", want: `--format: "xml" is not one of table, markdown, json`},
		{name: "missing required", cmdline: "costguard estimate lambda --requests 1", want: "--duration-ms is required"},
		{name: "missing value", cmdline: "costguard estimate lambda --requests", want: "--requests: missing value"},
		{name: "unknown flag", cmdline: "costguard estimate lambda --memroy-mb 128", want: "unknown flag --memroy-mb (see --help)"},
		{name: "provisioned without hours", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --provisioned 5", want: "--provisioned-hours: required with provisioned concurrency"},
		{name: "provisioned requests above requests", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --provisioned 5 --provisioned-hours 1 --provisioned-requests 9", want: "--provisioned-requests: 9 exceeds requests 1"},
		{name: "hours beyond a month", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --provisioned 5 --provisioned-hours 800", want: `--provisioned-hours: "800" is not a number from 0 to 730`},
		{name: "fargate combination", cmdline: "costguard estimate fargate --cpu 1024 --memory-mb 512", want: "--memory-mb: 512 is not valid with --cpu 1024 (cpu 1024 allows memory 2048 to 8192 in steps of 1024)"},
		{name: "fargate cpu", cmdline: "costguard estimate fargate --cpu 300 --memory-mb 512", want: "--memory-mb: 512 is not valid with --cpu 300 (cpu is one of [256 512 1024 2048 4096 8192 16384])"},
		{name: "sagemaker instance", cmdline: "costguard estimate sagemaker --mode realtime --instance-type ml.p5.48xlarge", want: `--instance-type: "ml.p5.48xlarge" is not one of ml.c5.large,`},
		{name: "sagemaker serverless memory", cmdline: "costguard estimate sagemaker --mode serverless --memory-mb 1500", want: "--memory-mb: 1500 is not one of 1024 to 6144 in steps of 1024"},
		{name: "sagemaker serverless without memory", cmdline: "costguard estimate sagemaker --mode serverless", want: "--memory-mb is required with --mode serverless"},
		{name: "stray argument", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 extra", want: `unexpected argument "extra"`},
		{name: "bad bool", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --free-tier=maybe", want: `--free-tier: "maybe" is not one of true, false`},
		{name: "help for an unknown command", cmdline: "costguard help bill", want: `costguard help: "bill" is not a command`},
		// Lambda's hard limits (cost/limits): each one line, exit 2.
		{name: "duration over 15 minutes", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1000000 --memory-mb 128", want: "costguard estimate: lambda: --duration-ms: 1000000 is over Lambda's 900000 ms (15 minute) maximum duration"},
		{name: "provisioned duration over 15 minutes", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --provisioned 1 --provisioned-hours 1 --provisioned-requests 1 --provisioned-duration-ms 900001", want: "--provisioned-duration-ms: 900001 is over Lambda's 900000 ms"},
		{name: "memory under 128 MB", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 64", want: `--memory-mb: "64" is not a whole number from 128 to 10240`},
		{name: "ephemeral under 512 MB", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --ephemeral-mb 256", want: `--ephemeral-mb: "256" is not a whole number from 512 to 10240`},
		{name: "ephemeral over 10240 MB", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --ephemeral-mb 10241", want: `--ephemeral-mb: "10241" is not a whole number from 512 to 10240`},
		{name: "payload over 6 MB", cmdline: "costguard estimate lambda --requests 1 --duration-ms 1 --memory-mb 128 --payload-bytes 7M", want: "--payload-bytes: 7000000 is over Lambda's 6291456-byte (6 MB) synchronous payload"},
		{name: "weight with the cost strategy", cmdline: "costguard tune --cpu-ms 100 --strategy cost --weight 0.5", want: "--weight: 0.5 weighs the balanced strategy only, not --strategy cost"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.cmdline)
			if code != ExitUsage {
				t.Errorf("exit code = %d, want %d (stdout %q)", code, ExitUsage, stdout)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.want)
			}
			if tc.cmdline != "costguard" && strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, cmdline := range []string{"costguard help", "costguard --help", "costguard estimate --help", "costguard estimate lambda --help", "costguard help estimate"} {
		t.Run(cmdline, func(t *testing.T) {
			stdout, stderr, code := run(t, cmdline)
			if code != 0 || !strings.HasPrefix(stdout, "usage: costguard") || stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// TestHelpCommandIsCommandHelp: `costguard help COMMAND` prints exactly
// what `costguard COMMAND --help` prints.
func TestHelpCommandIsCommandHelp(t *testing.T) {
	for _, name := range append(Names(), "estimate lambda") {
		t.Run(name, func(t *testing.T) {
			help, _, code1 := run(t, "costguard help "+name)
			flag, _, code2 := run(t, "costguard "+name+" --help")
			if code1 != 0 || code2 != 0 || help != flag || !strings.HasPrefix(help, "usage: ") {
				t.Errorf("help %s (exit %d):\n%s\n%s --help (exit %d):\n%s", name, code1, help, name, code2, flag)
			}
		})
	}
}

func TestMarkdownShorthand(t *testing.T) {
	a, _, _ := run(t, "costguard estimate lambda --requests 3M --duration-ms 120 --memory-mb 1536 --free-tier --markdown")
	b, _, _ := run(t, "costguard estimate lambda --requests 3M --duration-ms 120 --memory-mb 1536 --free-tier --format markdown")
	if a != b || !strings.Contains(a, "| **Total** |") {
		t.Errorf("--markdown =\n%s\n--format markdown =\n%s", a, b)
	}
}

// TestFreeTierWithProvisionedConcurrency: the free tier's requests and
// on-demand GB-seconds apply to a function with provisioned concurrency;
// the concurrency and the duration run on it are billed in full.
func TestFreeTierWithProvisionedConcurrency(t *testing.T) {
	stdout, stderr, code := run(t, "costguard estimate lambda --requests 2M --duration-ms 1000 --memory-mb 1024 --provisioned 1 --provisioned-hours 1 --provisioned-requests 1M --free-tier --json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var e jsonEstimate
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatal(err)
	}
	// on-demand 600,000 GB-s × $0.0000166667 = $10.00; provisioned duration
	// 1M GB-s × $0.0000097222 = $9.72; concurrency 3,600 GB-s = $0.02;
	// requests 1M billed = $0.20.
	if e.Total != 19.94 {
		t.Errorf("total = %.2f, want 19.94: %s", e.Total, stdout)
	}
}

func TestNumberSyntax(t *testing.T) {
	for in, want := range map[string]float64{"3000000": 3e6, "3_000_000": 3e6, "3,000,000": 3e6, "3M": 3e6, "3e6": 3e6, "1.5k": 1500, "2B": 2e9} {
		if got, ok := parseNumber(in); !ok || got != want {
			t.Errorf("parseNumber(%q) = %g, %v, want %g", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "NaN", "Inf", "3MM", "x"} {
		if _, ok := parseNumber(in); ok {
			t.Errorf("parseNumber(%q) accepted", in)
		}
	}
}

// FuzzMain checks that no input makes costguard panic (Main turns a panic
// into exit 1 and "internal error", which this test rejects).
func FuzzMain(f *testing.F) {
	for _, s := range []string{
		"estimate lambda --requests 1e308 --duration-ms 1e308 --memory-mb 10240",
		"estimate lambda --requests 0 --duration-ms 0 --memory-mb 128 --provisioned 1 --provisioned-hours 0.0001",
		"estimate sagemaker --mode async --instance-type ml.g5.xlarge --requests 1e300 --duration-ms 1e300",
		"estimate fargate --cpu 16384 --memory-mb 122880 --tasks 1e300",
		"estimate api --api http --requests 1 --payload-bytes 1e300",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var out, errb bytes.Buffer
		Main(strings.Fields(s), Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		if strings.Contains(errb.String(), "internal error") {
			t.Fatalf("costguard %s: %s", s, errb.String())
		}
	})
}

func TestEstimateWorkload(t *testing.T) {
	record := `{"version":1,"tier":"lambda","frontDoor":"rest","traffic":{"requestsPerMonth":3000000,"avgDurationMs":120},"lambda":{"memoryMiB":1536,"architecture":"x86_64"}}`
	stdout, stderr, code := runStdin(t, "costguard estimate workload - --free-tier --json", record)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var e jsonEstimate
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatal(err)
	}
	// AWS's example 1 ($2.73) plus 3M REST requests ($10.50), plus what the
	// stacks deploy around it: 3 custom metrics and 3.35 GB of function logs
	// and 1.34 GB of access logs within the free tiers, stored a month
	// ($0.10 + $0.04).
	if e.Total != 13.37 {
		t.Errorf("total = %.2f, want 13.37", e.Total)
	}
	stdout, stderr, code = runStdin(t, "costguard estimate workload - --free-tier --json --custom-metrics 0 --log-bytes 0 --access-log-bytes 0", record)
	if err := json.Unmarshal([]byte(stdout), &e); code != 0 || err != nil || e.Total != 13.23 {
		t.Errorf("without the extras: exit %d (%s), total %.2f, want 13.23", code, stderr, e.Total)
	}
	_, stderr, code = runStdin(t, "costguard estimate workload -", `{"version":1,"tier":"lambda"}`)
	if code != ExitUsage || !strings.Contains(stderr, `-: workload lambda: missing for tier "lambda"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
