package main_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/killswitch/fakeaws"
)

// TestUnderEmulator runs the real kill-switch binary under the Lambda
// Runtime Interface Emulator, its aws-sdk-go-v2 clients pointed (through
// AWS_ENDPOINT_URL) at the loopback fake: the alarm's SNS delivery stops
// the function, the scheduled restore's event puts it back.
func TestUnderEmulator(t *testing.T) {
	rie := findRIE(t)
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
	emu, api := freePort(t), freePort(t)
	p := start(t, dir, env, rie, "--runtime-interface-emulator-address", addr(emu), "--runtime-api-address", addr(api), bin)
	waitTCP(t, p, addr(emu))
	invoke := func(event any) (int, []byte) {
		t.Helper()
		b, _ := json.Marshal(event)
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Post("http://"+addr(emu)+"/2015-03-31/functions/function/invocations", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatalf("invoke: %v\n%s", err, p.out)
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
		t.Fatalf("trip: %d %s\n%s", code, body, p.out)
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
		t.Fatalf("restore: %d %s\n%s", code, body, p.out)
	}
	if rc := fake.Reserved["infer-dev"]; rc == nil || *rc != 10 {
		t.Errorf("infer-dev reserved concurrency %v after the restore, want 10", rc)
	}

	_, body = invoke(map[string]any{"action": "explode"})
	if !strings.Contains(string(body), `command action: \"explode\" is not one of trip, restore, status`) {
		t.Errorf("bad command answered %s", body)
	}
}

func findRIE(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err == nil {
		p := filepath.Join(filepath.Dir(strings.TrimSpace(string(out))), ".tools", "bin", "aws-lambda-rie")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	// make deps installs it; CI runs make test, which depends on deps.
	t.Fatal("aws-lambda-rie not found on PATH or in .tools/bin: run `make deps`")
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type proc struct {
	out  *syncBuffer
	done chan struct{}
	err  error
}

// start runs the emulator in its own process group; cleanup kills that
// group by the PID it started.
func start(t *testing.T, dir string, env []string, name string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	p := &proc{out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	})
	return p
}

func waitTCP(t *testing.T, p *proc, a string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("emulator exited: %v\n%s", p.err, p.out)
		default:
		}
		if c, err := net.DialTimeout("tcp", a, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("nothing listening on %s\n%s", a, p.out)
}
