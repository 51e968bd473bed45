package main_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/killswitch/fakeaws"
	"github.com/costguard-ml/costguard/internal/testproc"
)

// TestUnderEmulator runs the real kill-switch binary under the Lambda
// Runtime Interface Emulator, its aws-sdk-go-v2 clients pointed (through
// AWS_ENDPOINT_URL) at the loopback fake: the alarm's SNS delivery stops
// the function, the scheduled restore's event puts it back.
func TestUnderEmulator(t *testing.T) {
	rie := testproc.RIE(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w -buildid=", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	fake, _ := fakeaws.New(t, map[string]*int32{"infer-dev": fakeaws.Int32(10), "other": fakeaws.Int32(3)})
	init, _ := json.Marshal(killswitch.InitialState("dev"))
	fake.Params["/costguard/dev/killswitch"] = string(init)
	env := []string{
		killswitch.EnvStage + "=dev",
		killswitch.EnvStateParameter + "=/costguard/dev/killswitch",
		killswitch.EnvTopicARN + "=arn:aws:sns:us-east-1:123456789012:costguard-dev",
		killswitch.EnvTargets + `=[{"kind":"lambda","name":"infer-dev"}]`,
		"AWS_ENDPOINT_URL=" + fake.URL,
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1",
		"AWS_MAX_ATTEMPTS=1", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
	}
	ports := testproc.FreePorts(t, 2)
	emu, api := testproc.Addr(ports[0]), testproc.Addr(ports[1])
	p := testproc.Start(t, dir, env, rie, "--runtime-interface-emulator-address", emu, "--runtime-api-address", api, bin)
	testproc.WaitTCP(t, p, emu)
	invoke := func(event any) (int, []byte) {
		t.Helper()
		b, _ := json.Marshal(event)
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Post("http://"+emu+"/2015-03-31/functions/function/invocations", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatalf("invoke: %v\n%s", err, p.Out)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}

	alarm, _ := json.Marshal(map[string]string{"AlarmName": "costguard-dev-RunawaySpend", "NewStateValue": "ALARM", "NewStateReason": "Threshold Crossed"})
	code, body := invoke(map[string]any{"Records": []any{map[string]any{
		"EventSource": "aws:sns", "Sns": map[string]any{"Subject": `ALARM: "costguard-dev-RunawaySpend"`, "Message": string(alarm)},
	}}})
	var r killswitch.Report
	if code != http.StatusOK || json.Unmarshal(body, &r) != nil || r.Action != "trip" || len(r.Changes) != 1 {
		t.Fatalf("trip: %d %s\n%s", code, body, p.Out)
	}
	if rc := fake.Reserved["infer-dev"]; rc == nil || *rc != 0 {
		t.Errorf("infer-dev reserved concurrency %v after the trip, want 0", rc)
	}
	if *fake.Reserved["other"] != 3 {
		t.Error("the trip touched another function")
	}
	if len(fake.Published) != 1 || !strings.Contains(fake.Published[0].Message, "costguard restore --stage dev") {
		t.Errorf("published %+v", fake.Published)
	}

	code, body = invoke(map[string]any{"action": "restore", "reason": "scheduled monthly restore"})
	if code != http.StatusOK || json.Unmarshal(body, &r) != nil || r.Action != "restore" {
		t.Fatalf("restore: %d %s\n%s", code, body, p.Out)
	}
	if rc := fake.Reserved["infer-dev"]; rc == nil || *rc != 10 {
		t.Errorf("infer-dev reserved concurrency %v after the restore, want 10", rc)
	}

	// A trip whose AWS call fails is a failed invocation (an error, not a
	// report), so Lambda retries it, then sends it to the on-failure
	// destination, and the kill switch's errors alarm fires.
	fake.FailPut = 1
	_, body = invoke(map[string]any{"action": "trip", "reason": "by hand"})
	var fnErr struct{ ErrorMessage, ErrorType string }
	if json.Unmarshal(body, &fnErr) != nil || !strings.Contains(fnErr.ErrorMessage, "set concurrency of infer-dev to 0") {
		t.Errorf("failed trip answered %s, want a function error naming the call", body)
	}

	_, body = invoke(map[string]any{"action": "explode"})
	if !strings.Contains(string(body), `command action: \"explode\" is not one of trip, restore, status`) {
		t.Errorf("bad command answered %s", body)
	}
}
