package cli

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/killswitch/fakeaws"
)

// tripped starts a fake AWS whose stage "dev" was stopped by the kill
// switch (run for real against the fake) and points the SDK's environment
// at it.
func tripped(t *testing.T, before *int32) *fakeaws.Server {
	t.Helper()
	f, cfg := fakeaws.New(t, map[string]*int32{"infer-dev": before})
	s := killswitch.New(killswitch.Config{Stage: "dev", StateParameter: "/costguard/dev/killswitch",
		Targets: []killswitch.Target{{Kind: killswitch.KindLambda, Name: "infer-dev"}}}, cfg)
	if _, err := s.Trip(context.Background(), "alarm RunawaySpend"); err != nil {
		t.Fatal(err)
	}
	f.ResetCalls()
	t.Setenv("AWS_ENDPOINT_URL", f.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return f
}

func TestRestore(t *testing.T) {
	tests := []struct {
		name     string
		before   *int32
		wantCall string
		wantOut  string
	}{
		{"previous value", fakeaws.Int32(7), "PutFunctionConcurrency infer-dev 7", "lambda infer-dev: reserved concurrency 0 -> 7"},
		{"no reserved concurrency", nil, "DeleteFunctionConcurrency infer-dev", "lambda infer-dev: reserved concurrency 0 -> none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tripped(t, tt.before)

			out, errOut, code := run(t, "costguard restore --stage dev --status")
			if code != ExitOK || !strings.Contains(out, "stage dev: STOPPED") || !strings.Contains(out, "lambda:infer-dev") {
				t.Fatalf("status: code %d\n%s%s", code, out, errOut)
			}
			for _, c := range f.Calls() {
				if !strings.HasPrefix(c, "Get") {
					t.Errorf("--status made a change: %s", c)
				}
			}

			f.ResetCalls()
			out, errOut, code = run(t, "costguard restore --stage dev")
			if code != ExitOK || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("restore: code %d\n%s%s", code, out, errOut)
			}
			want := []string{"GetParameter /costguard/dev/killswitch", tt.wantCall, "PutParameter /costguard/dev/killswitch"}
			if got := f.Calls(); !reflect.DeepEqual(got, want) {
				t.Errorf("calls\n got %q\nwant %q", got, want)
			}
			if !reflect.DeepEqual(f.Reserved["infer-dev"], tt.before) {
				t.Errorf("reserved concurrency %v, want %v", f.Reserved["infer-dev"], tt.before)
			}

			out, _, code = run(t, "costguard restore --stage dev --json")
			var r killswitch.Report
			if code != ExitOK || json.Unmarshal([]byte(out), &r) != nil || r.Action != "restore" || len(r.Changes) != 0 {
				t.Errorf("second restore: code %d, %s", code, out)
			}
		})
	}
}

func TestRestoreUsage(t *testing.T) {
	tests := []struct{ name, cmdline, want string }{
		{"no stage", "costguard restore", "costguard restore: --stage"},
		{"bad stage", "costguard restore --stage Prod", `costguard restore: --stage: "Prod" is not a stage name`},
		{"extra argument", "costguard restore --stage dev now", `costguard restore: unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := run(t, tt.cmdline)
			if code != ExitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("code %d, stderr %q, want %q", code, errOut, tt.want)
			}
		})
	}
}

// Without credentials (or a region) restore says in one line what is
// missing, not the SDK's metadata-service error.
func TestRestoreWithoutCredentials(t *testing.T) {
	for _, tt := range []struct{ name, region, want string }{
		{"no credentials", "us-east-1", "costguard restore: no AWS credentials: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role provides them\n"},
		{"no region", "", "costguard restore: no AWS region: pass --region or set AWS_REGION (or a profile's region)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_REGION",
				"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
				t.Setenv(k, "")
			}
			t.Setenv("AWS_REGION", tt.region)
			t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
			t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			_, errOut, code := run(t, "costguard restore --stage dev --status")
			if code == ExitOK || errOut != tt.want {
				t.Errorf("code %d, stderr %q, want %q", code, errOut, tt.want)
			}
		})
	}
}
