package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Paths set up once by TestMain.
var (
	root       string // module root
	taskDir    string // bootstrap + model/, laid out like /var/task
	bootstrap  string
	helloBin   string // hello-world handler built the same way, for the cold-start baseline
	rieBin     string
	setupError error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "costguard-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	setupError = setup(dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func setup(dir string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root = filepath.Clean(filepath.Join(wd, "..", ".."))
	taskDir = filepath.Join(dir, "task")
	bootstrap = filepath.Join(taskDir, "bootstrap")
	if err := buildLambda(bootstrap, "./lambda/cmd/bootstrap"); err != nil {
		return err
	}
	if err := copyDir(filepath.Join(root, "lambda", "models", "spam"), filepath.Join(taskDir, "model")); err != nil {
		return err
	}
	helloBin = filepath.Join(dir, "hello", "bootstrap")
	if err := buildLambda(helloBin, "./lambda/e2e/testdata/hello"); err != nil {
		return err
	}
	rieBin = findRIE()
	return nil
}

// buildLambda builds pkg the way the CDK app builds the function asset.
func buildLambda(out, pkg string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w -buildid=", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// findRIE looks for aws-lambda-rie on PATH, then in .tools/bin.
func findRIE() string {
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p
	}
	p := filepath.Join(root, ".tools", "bin", "aws-lambda-rie")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

func needSetup(tb testing.TB) {
	tb.Helper()
	if setupError != nil {
		tb.Fatalf("setup: %v", setupError)
	}
}

// needRIE fails (never skips) when the emulator is missing: CI installs it
// with make deps, so a missing emulator is a broken checkout, not a reason
// to pass silently.
func needRIE(tb testing.TB) {
	tb.Helper()
	needSetup(tb)
	if rieBin == "" {
		tb.Fatalf("aws-lambda-rie not found on PATH or in %s: run `make deps` to install it", filepath.Join(root, ".tools", "bin"))
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(tb testing.TB) int {
	tb.Helper()
	return freePorts(tb, 1)[0]
}

// freePorts returns n distinct loopback ports, holding each open until all
// are chosen so the kernel cannot hand out the same one twice.
func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	ports := make([]int, n)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		defer ln.Close()
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return ports
}

// syncBuffer collects a child's output for failure messages.
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

// proc is a started child process in its own process group.
type proc struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	done   chan struct{}
	err    error
	pgid   int
	closed bool
}

// start runs name with args and env (added to a minimal environment) in
// dir, in a new process group so stop can end it and its children by PID.
func start(tb testing.TB, dir string, env []string, name string, args ...string) *proc {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", name, err)
	}
	p := &proc{cmd: cmd, out: out, done: make(chan struct{}), pgid: cmd.Process.Pid}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	tb.Cleanup(p.stop)
	return p
}

// stop kills the process group it started (the emulator and the runtime it
// spawned), by PID, and waits for the leader.
func (p *proc) stop() {
	if p.closed {
		return
	}
	p.closed = true
	_ = syscall.Kill(-p.pgid, syscall.SIGKILL)
	<-p.done
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitTCP waits until addr accepts connections or the process dies.
func waitTCP(tb testing.TB, p *proc, addr string) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if p.exited() {
			tb.Fatalf("process exited before listening on %s: %v\n%s", addr, p.err, p.out)
		}
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	tb.Fatalf("nothing listening on %s after 15s\n%s", addr, p.out)
}

var client = &http.Client{Timeout: 30 * time.Second}

func do(tb testing.TB, method, url, contentType string, body []byte) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		tb.Fatal(err)
	}
	return resp.StatusCode, b
}

func addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }
