package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/internal/testproc"
)

// rie starts the emulator on two free loopback ports with bin as the
// function's bootstrap and returns the invoke URL (testproc.StartRIE, after
// the checks of this package's setup).
func rie(tb testing.TB, bin string, env ...string) (string, *proc) {
	tb.Helper()
	needRIE(tb)
	return testproc.StartRIE(tb, bin, env...)
}

// The server package's golden tests use these limits; the emulator run uses
// the same so every fixture gives the same answer through the real runtime.
var fixtureEnv = []string{"MAX_BODY_BYTES=4096", "MAX_INSTANCES=4", "AWS_LAMBDA_FUNCTION_TIMEOUT=30"}

// TestEmulatorFixtures sends every API Gateway and Function URL fixture of
// lambda/server/testdata/events to the real bootstrap under aws-lambda-rie
// and expects exactly the golden answers of the in-process tests.
func TestEmulatorFixtures(t *testing.T) {
	url, p := rie(t, bootstrap, fixtureEnv...)
	files, err := filepath.Glob(filepath.Join(root, "lambda", "server", "testdata", "events", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if strings.HasPrefix(name, "deadline_") {
			continue // needs a short deadline: TestEmulatorDeadline
		}
		t.Run(name, func(t *testing.T) {
			event, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			status, body := do(t, http.MethodPost, url, "application/json", event)
			if status != http.StatusOK {
				t.Fatalf("emulator status %d: %s\n%s", status, body, p.Out)
			}
			var golden struct {
				HandlerError string `json:"handler_error"`
				Response     any    `json:"response"`
			}
			gb, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "golden", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(gb, &golden); err != nil {
				t.Fatal(err)
			}
			if golden.HandlerError != "" {
				var fnErr struct {
					ErrorMessage string `json:"errorMessage"`
				}
				if err := json.Unmarshal(body, &fnErr); err != nil || fnErr.ErrorMessage != golden.HandlerError {
					t.Fatalf("want function error %q, got %s", golden.HandlerError, body)
				}
				return
			}
			got := normalize(t, body)
			if !reflect.DeepEqual(got, golden.Response) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(golden.Response)
				t.Errorf("answer under the emulator differs from the golden file\n got: %s\nwant: %s", gj, wj)
			}
		})
	}
	// The function must still be alive: no input crashed it.
	if p.Exited() {
		t.Fatalf("emulator or runtime exited: %v\n%s", p.Err(), p.Out)
	}
	for _, want := range []string{`"msg":"model loaded"`, `"request_id":`, `"_aws":`, `"InferenceLatency"`, `"ModelLoadTime"`} {
		if !strings.Contains(p.Out.String(), want) {
			t.Errorf("function output lacks %s (structured logs and EMF metrics)", want)
		}
	}
}

// TestEmulatorPredictions checks the "Done when" path explicitly: a REST v1
// and an HTTP v2 event through the emulator give spam and ham.
func TestEmulatorPredictions(t *testing.T) {
	url, _ := rie(t, bootstrap)
	for _, name := range []string{"rest_v1_predict", "http_v2_predict", "function_url_base64"} {
		t.Run(name, func(t *testing.T) {
			event, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "events", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			_, body := do(t, http.MethodPost, url, "application/json", event)
			var resp struct {
				StatusCode int    `json:"statusCode"`
				Body       string `json:"body"`
			}
			if err := json.Unmarshal(body, &resp); err != nil {
				t.Fatalf("not a proxy response: %s", body)
			}
			var pred struct {
				Predictions []struct {
					Label string  `json:"label"`
					Score float64 `json:"score"`
				} `json:"predictions"`
			}
			if err := json.Unmarshal([]byte(resp.Body), &pred); err != nil || resp.StatusCode != 200 {
				t.Fatalf("status %d body %s", resp.StatusCode, resp.Body)
			}
			if len(pred.Predictions) != 2 || pred.Predictions[0].Label != "spam" || pred.Predictions[1].Label != "ham" {
				t.Errorf("want [spam ham], got %s", resp.Body)
			}
		})
	}
}

// TestEmulatorDeadline gives the function a 1 s timeout and a 2 s margin:
// every prediction must be refused with 503 before Lambda would kill it.
func TestEmulatorDeadline(t *testing.T) {
	url, _ := rie(t, bootstrap, "AWS_LAMBDA_FUNCTION_TIMEOUT=1", "DEADLINE_MARGIN_MS=2000")
	event, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "events", "deadline_503_too_close.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, body := do(t, http.MethodPost, url, "application/json", event)
	var resp struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("want a 503 proxy response, got %s", body)
	}
	if !strings.Contains(resp.Body, `"error":"not enough time left`) {
		t.Errorf("503 body lacks the error: %s", resp.Body)
	}
}

// TestEmulatorBrokenModel starts the function with a model whose bytes do
// not match the manifest: the cold start must fail and say why, in the
// function's output and to the caller.
func TestEmulatorBrokenModel(t *testing.T) {
	needRIE(t)
	dir := t.TempDir()
	if err := copyDir(filepath.Join(taskDir, "model"), filepath.Join(dir, "model")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "model", "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0xff
	if err := os.WriteFile(filepath.Join(dir, "model", "model.onnx"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	url, p := rie(t, bootstrap, "MODEL_DIR="+filepath.Join(dir, "model"))
	event, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "events", "rest_v1_predict.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, body := do(t, http.MethodPost, url, "application/json", event)
	if strings.Contains(string(body), `"statusCode":200`) {
		t.Fatalf("a corrupted model served: %s", body)
	}
	// The runtime reported the reason through the Runtime API's init/error,
	// so the caller sees it, not only "Runtime exited".
	var fnErr struct{ ErrorMessage, ErrorType string }
	if err := json.Unmarshal(body, &fnErr); err != nil || fnErr.ErrorType != "Runtime.ModelLoadError" ||
		!strings.Contains(fnErr.ErrorMessage, "sha256 is") {
		t.Errorf("caller sees %s, want a Runtime.ModelLoadError naming the sha256 mismatch", body)
	}
	// The runtime's own log line may reach the emulator's output after the
	// answer does: wait for it a little.
	named := func(out string) bool {
		return strings.Contains(out, "sha256 is") && strings.Contains(out, "manifest says")
	}
	for deadline := time.Now().Add(10 * time.Second); !named(p.Out.String()) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if out := p.Out.String(); !named(out) {
		t.Errorf("cold start failure does not name the sha256 mismatch:\n%s", out)
	}
}

// normalize parses an emulator answer like the golden test does: the
// proxy response body is parsed and /health's clock fields are fixed.
func normalize(t *testing.T, raw []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("not JSON: %s", raw)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if body, ok := m["body"].(string); ok {
		var parsed any
		if err := json.Unmarshal([]byte(body), &parsed); err != nil {
			t.Fatalf("body is not JSON: %q", body)
		}
		m["body"] = parsed
	}
	for _, x := range []any{m, m["body"]} {
		if h, ok := x.(map[string]any); ok {
			if _, ok := h["load_ms"]; ok {
				h["load_ms"] = 1.0
				h["loaded_at"] = "2026-01-01T00:00:00Z"
			}
		}
	}
	return v
}
