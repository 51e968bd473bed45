package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/internal/testproc"
)

// Paths set up once by TestMain.
var (
	root       string // module root
	taskDir    string // bootstrap + model/, laid out like /var/task
	bootstrap  string
	helloBin   string // hello-world handler built the same way, for the cold-start baseline
	rieBin     string
	workDir    string // removed after the run; lazily built bundles go here
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
	workDir = dir
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
	rieBin = testproc.LookupRIE()
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

// The process helpers are shared with the kill switch's emulator test.
type proc = testproc.Proc

var (
	start     = testproc.Start
	waitTCP   = testproc.WaitTCP
	freePorts = testproc.FreePorts
	addr      = testproc.Addr
)

// freePort returns a loopback port that was free a moment ago.
func freePort(tb testing.TB) int {
	tb.Helper()
	return freePorts(tb, 1)[0]
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
