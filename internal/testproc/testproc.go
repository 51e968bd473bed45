// Package testproc runs the project's own binaries as child processes in
// tests: a loopback port picker, a process started in its own process group
// and ended by its PID, a wait for a listening socket, and the lookup of the
// AWS Lambda Runtime Interface Emulator that `make deps` installs. The model
// server's and the kill switch's end-to-end tests share it.
package testproc

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

	"github.com/costguard-ml/costguard/internal/modroot"
)

// LookupRIE returns the path of aws-lambda-rie on PATH or in the module's
// .tools/bin, or "" when neither has it.
func LookupRIE() string {
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p
	}
	root, err := modroot.Find()
	if err != nil {
		return ""
	}
	p := filepath.Join(root, ".tools", "bin", "aws-lambda-rie")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// RIE returns the emulator's path and fails tb (never skips) when it is
// missing: CI installs it with `make deps`, so a missing emulator is a broken
// checkout, not a reason to pass.
func RIE(tb testing.TB) string {
	tb.Helper()
	p := LookupRIE()
	if p == "" {
		tb.Fatal("aws-lambda-rie not found on PATH or in .tools/bin: run `make deps` to install it")
	}
	return p
}

// Addr is the loopback address of port.
func Addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// FreePorts returns n distinct loopback ports that were free a moment ago,
// holding each open until all are chosen so none is handed out twice.
func FreePorts(tb testing.TB, n int) []int {
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

// Output collects a child's output, safe for concurrent writes, for failure
// messages.
type Output struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// Proc is a started child process in its own process group.
type Proc struct {
	// Out is the process's stdout and stderr.
	Out  *Output
	done chan struct{}
	err  error
	pgid int
	once sync.Once
}

// Start runs name with args in dir, with env added to a minimal environment
// (PATH and HOME), in a new process group. The test's cleanup stops it.
func Start(tb testing.TB, dir string, env []string, name string, args ...string) *Proc {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	out := &Output{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", name, err)
	}
	p := &Proc{Out: out, done: make(chan struct{}), pgid: cmd.Process.Pid}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	tb.Cleanup(p.Stop)
	return p
}

// Stop kills the process group it started (the emulator and the runtime it
// spawned), by PID, and waits for the leader. Stopping twice is harmless.
func (p *Proc) Stop() {
	p.once.Do(func() {
		_ = syscall.Kill(-p.pgid, syscall.SIGKILL)
		<-p.done
	})
}

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is the process's exit error, once it has exited.
func (p *Proc) Err() error {
	<-p.done
	return p.err
}

// WaitTCP waits up to 15 s until addr accepts connections, failing tb if
// the process dies first or nothing listens in time.
func WaitTCP(tb testing.TB, p *Proc, addr string) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if p.Exited() {
			tb.Fatalf("process exited before listening on %s: %v\n%s", addr, p.err, p.Out)
		}
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	tb.Fatalf("nothing listening on %s after 15s\n%s", addr, p.Out)
}

// InvokePath is the emulator's invoke path for the function.
const InvokePath = "/2015-03-31/functions/function/invocations"

// StartRIE runs the Lambda Runtime Interface Emulator on two free loopback
// ports with bootstrap as the function (its directory as /var/task, so
// model/ next to it is found) and returns the invoke URL. It fails tb when
// the emulator is missing.
func StartRIE(tb testing.TB, bootstrap string, env ...string) (string, *Proc) {
	tb.Helper()
	rie := RIE(tb)
	ports := FreePorts(tb, 2)
	api, emu := ports[0], ports[1]
	p := Start(tb, filepath.Dir(bootstrap), env, rie,
		"--runtime-interface-emulator-address", Addr(emu),
		"--runtime-api-address", Addr(api),
		bootstrap)
	// Both listeners: an invoke that arrives before the runtime API is up
	// starts a runtime that cannot fetch its event.
	WaitTCP(tb, p, Addr(emu))
	WaitTCP(tb, p, Addr(api))
	return "http://" + Addr(emu) + InvokePath, p
}

// ModelServerAsset returns the directory of the model server's asset in a
// synthesized cloud assembly: the code of stack's function whose
// environment sets MODEL_DIR (the model server; the kill switch sets none).
// It fails tb when there is not exactly one such function or its asset was
// not bundled.
func ModelServerAsset(tb testing.TB, outdir, stack string) string {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(outdir, stack+".template.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Code struct {
					S3Key any
				}
				Environment struct {
					Variables map[string]any
				}
				Architectures []string
			}
		}
	}
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		tb.Fatal(err)
	}
	var dirs []string
	for _, r := range tmpl.Resources {
		if r.Type != "AWS::Lambda::Function" || r.Properties.Environment.Variables["MODEL_DIR"] == nil {
			continue
		}
		key, _ := r.Properties.Code.S3Key.(string)
		dirs = append(dirs, filepath.Join(outdir, "asset."+strings.TrimSuffix(key, ".zip")))
	}
	if len(dirs) != 1 {
		tb.Fatalf("%s: %d model server functions, want 1", stack, len(dirs))
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "bootstrap")); err != nil {
		tb.Fatalf("%s: the model server's asset was not bundled: %v", stack, err)
	}
	return dirs[0]
}

// Invoke posts an API Gateway proxy event to the emulator's invoke URL and
// returns the proxy response's status code and body. It fails tb when the
// answer is not a proxy response.
func Invoke(tb testing.TB, url string, event []byte) (int, string) {
	tb.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(event))
	if err != nil {
		tb.Fatalf("invoke: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("invoke: %v", err)
	}
	var proxy struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
	}
	if err := json.Unmarshal(raw, &proxy); err != nil || proxy.StatusCode == 0 {
		tb.Fatalf("invoke: not a proxy response: %s", raw)
	}
	return proxy.StatusCode, proxy.Body
}
