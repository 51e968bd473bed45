package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTune(t *testing.T) {
	tests := []struct {
		name    string
		cmdline string
		stdin   string
		memory  int
		timeout float64
	}{
		{name: "power tuning output, default strategy is cost as in Power Tuning", cmdline: "costguard tune ../../../cost/sizing/testdata/powertuning-output.json --json", memory: 1536},
		{name: "power tuning output, balanced", cmdline: "costguard tune ../../../cost/sizing/testdata/powertuning-output.json --strategy balanced --json", memory: 1536},
		{name: "power tuning output, speed", cmdline: "costguard tune ../../../cost/sizing/testdata/powertuning-output.json --strategy speed --json", memory: 3008},
		{name: "power tuning output without stats", cmdline: "costguard tune ../../../cost/sizing/testdata/powertuning-no-stats.json --strategy cost --json", memory: 1536},
		{name: "simple map, cost", cmdline: "costguard tune ../../../cost/sizing/testdata/map.json --strategy cost --json", memory: 256},
		{name: "simple map, balanced towards cost", cmdline: "costguard tune ../../../cost/sizing/testdata/map.json --weight 0.9 --json", memory: 512},
		{name: "simple map, latency objective", cmdline: "costguard tune ../../../cost/sizing/testdata/map.json --strategy cost --max-ms 200 --json", memory: 1024},
		{name: "map on stdin", cmdline: "costguard tune - --strategy speed --json", stdin: `{"128": 90, "512": 30}`, memory: 512},
		{name: "analytic from local cpu time", cmdline: "costguard tune --cpu-ms 300 --strategy speed --json", memory: 1769},
		{name: "timeout alone", cmdline: "costguard tune --p99-ms 2000 --init-ms 700 --json", timeout: 5},
		{name: "timeout without front door", cmdline: "costguard tune --p99-ms 500000 --init-ms 10000 --api none --json", timeout: 765},
		{name: "memory and timeout, cost by default", cmdline: "costguard tune ../../../cost/sizing/testdata/map.json --p99-ms 200 --json", memory: 256, timeout: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runStdin(t, tc.cmdline, tc.stdin)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var res struct {
				Memory  *struct{ MemoryMiB int }
				Timeout *struct{ Seconds float64 }
			}
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if tc.memory != 0 && (res.Memory == nil || res.Memory.MemoryMiB != tc.memory) {
				t.Errorf("memory = %+v, want %d MB", res.Memory, tc.memory)
			}
			if tc.timeout != 0 && (res.Timeout == nil || res.Timeout.Seconds != tc.timeout) {
				t.Errorf("timeout = %+v, want %gs", res.Timeout, tc.timeout)
			}
		})
	}
}

func TestTuneTable(t *testing.T) {
	stdout, _, code := run(t, "costguard tune ../../../cost/sizing/testdata/map.json --strategy cost --p99-ms 150")
	if code != 0 {
		t.Fatal(code)
	}
	for _, want := range []string{
		"      256   500.0        500  $0.0000022833        $2.28  ← cost",
		"memory: 256 MB (cost strategy, x86_64, map profile): 500.0 ms, $2.28 per million requests",
		"timeout: 1s (p99 150 ms + init 0 ms, × 1.5 headroom, rounded up to a second, at most the REST API's 29 s integration timeout)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestTuneErrors(t *testing.T) {
	tests := []struct {
		name, cmdline, want string
	}{
		{name: "nothing to tune", cmdline: "costguard tune", want: "nothing to tune: give a profile file, --cpu-ms or --p99-ms"},
		{name: "missing file", cmdline: "costguard tune testdata/nope.json", want: "testdata/nope.json: cannot read: no such file or directory"},
		{name: "bad strategy", cmdline: "costguard tune --cpu-ms 10 --strategy cheap", want: `--strategy: "cheap" is not one of cost, speed, balanced`},
		{name: "profile and cpu time", cmdline: "costguard tune ../../../cost/sizing/testdata/map.json --cpu-ms 5", want: "--cpu-ms: give either a profile file or --cpu-ms, not both"},
		{name: "bad profile", cmdline: "costguard tune -", want: "profile -: profile: empty input"},
		{name: "too slow for the front door", cmdline: "costguard tune --p99-ms 40000", want: "--p99-ms: p99+init: 40s exceeds the 29s the caller waits"},
		{name: "every size over Lambda's 15 minutes", cmdline: "costguard tune --cpu-ms 1000000", want: "no memory size of the profile meets the constraints: 128, 256, 512, 1024, 1536, 1769, 2048, 3008, 3538, 4096, 5307, 6144, 7076, 8192, 8845, 10240 MB over Lambda's 900000 ms maximum duration"},
		{name: "nothing meets the objective", cmdline: "costguard tune ../../../cost/sizing/testdata/map.json --max-ms 1", want: "no memory size of the profile meets the constraints"},
		{name: "weight zero", cmdline: "costguard tune --cpu-ms 10 --weight 0", want: "--weight: 0 weighs speed only; use --strategy speed"},
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

func TestTuneDropsSizesOverLambdasMaximumDuration(t *testing.T) {
	stdout, stderr, code := runStdin(t, "costguard tune -", `{"128": 2000000, "10240": 850000}`)
	if code != 0 || !strings.Contains(stdout, "memory: 10240 MB") || !strings.Contains(stdout, "over Lambda's 900000 ms maximum duration") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
}
