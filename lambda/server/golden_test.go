package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/server"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	loadOnce sync.Once
	spam     *model.Model
	loadErr  error
)

// spamModel loads the committed reference model once per test binary.
func spamModel(tb testing.TB) *model.Model {
	tb.Helper()
	// gonnx in every build (cgo or not), so the golden answers, which show
	// the engine and six-decimal scores, do not depend on the build.
	loadOnce.Do(func() { spam, loadErr = model.Load("../models/spam", model.Options{Engine: "gonnx"}) })
	if loadErr != nil {
		tb.Fatalf("load the committed spam model: %v", loadErr)
	}
	return spam
}

// testConfig keeps the limits small so the fixtures that exceed them stay small.
func testConfig(face server.Face) server.Config {
	return server.Config{Face: face, MaxBodyBytes: 4096, MaxInstances: 4, DeadlineMargin: 50 * time.Millisecond}
}

// TestGoldenLambdaEvents feeds every event in testdata/events to the Lambda
// face and compares the answer with testdata/golden. Refresh with -update and
// review the diff like code.
func TestGoldenLambdaEvents(t *testing.T) {
	s := server.New(spamModel(t), testConfig(server.FaceLambda), nil, nil)
	files, err := filepath.Glob("testdata/events/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/events: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			event, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-" + name})
			if strings.HasPrefix(name, "deadline_") {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, time.Now().Add(10*time.Millisecond))
				defer cancel()
			} else {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, time.Minute)
				defer cancel()
			}
			resp, herr := s.HandleLambda(ctx, event)
			got := normalize(t, resp, herr)
			checkIntent(t, name, got)
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./lambda/server -run TestGoldenLambdaEvents -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("answer differs from %s\n got: %s\nwant: %s", golden, got, want)
			}
		})
	}
}

// normalize renders a handler result as indented JSON with the string body
// parsed, and the load time and clock fields of /health fixed.
func normalize(t *testing.T, resp any, herr error) []byte {
	t.Helper()
	out := map[string]any{}
	if herr != nil {
		out["handler_error"] = herr.Error()
	} else {
		b, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("response does not marshal: %v", err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("response is not JSON: %v", err)
		}
		if m, ok := v.(map[string]any); ok {
			if body, ok := m["body"].(string); ok {
				var parsed any
				if err := json.Unmarshal([]byte(body), &parsed); err != nil {
					t.Fatalf("body is not JSON: %q", body)
				}
				m["body"] = parsed
			}
			fixHealth(m)
			if b, ok := m["body"].(map[string]any); ok {
				fixHealth(b)
			}
		}
		out["response"] = v
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func fixHealth(m map[string]any) {
	if _, ok := m["load_ms"]; ok {
		m["load_ms"] = 1.0
		m["loaded_at"] = "2026-01-01T00:00:00Z"
	}
}

// checkIntent states what the golden file must show, so a careless -update
// cannot bless a wrong answer.
func checkIntent(t *testing.T, name string, got []byte) {
	t.Helper()
	var v struct {
		HandlerError string `json:"handler_error"`
		Response     struct {
			StatusCode  int             `json:"statusCode"`
			Body        json.RawMessage `json:"body"`
			Predictions []struct {
				Label string `json:"label"`
			} `json:"predictions"`
		} `json:"response"`
	}
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.HasPrefix(name, "err_event_"):
		if v.HandlerError == "" {
			t.Errorf("want a handler error for a non-HTTP event, got %s", got)
		}
	case strings.HasPrefix(name, "err_"), strings.HasPrefix(name, "deadline_"):
		want, _ := strconv.Atoi(strings.Split(name, "_")[1])
		if v.Response.StatusCode != want {
			t.Errorf("status = %d, want %d", v.Response.StatusCode, want)
		}
		var e map[string]any
		if err := json.Unmarshal(v.Response.Body, &e); err != nil {
			t.Fatalf("error body is not a JSON object: %s", v.Response.Body)
		}
		if _, ok := e["error"].(string); !ok {
			t.Errorf("error body lacks \"error\": %s", v.Response.Body)
		}
		if _, ok := e["field"].(string); !ok {
			t.Errorf("error body lacks \"field\": %s", v.Response.Body)
		}
	case name == "direct_invoke":
		if len(v.Response.Predictions) != 2 || v.Response.Predictions[0].Label != "spam" || v.Response.Predictions[1].Label != "ham" {
			t.Errorf("want [spam ham], got %s", got)
		}
	default:
		if v.Response.StatusCode != 200 {
			t.Errorf("status = %d, want 200: %s", v.Response.StatusCode, got)
		}
		var body struct {
			Predictions []struct {
				Label string `json:"label"`
			} `json:"predictions"`
		}
		_ = json.Unmarshal(v.Response.Body, &body)
		if strings.Contains(name, "predict") || strings.Contains(name, "base64") {
			if len(body.Predictions) != 2 || body.Predictions[0].Label != "spam" || body.Predictions[1].Label != "ham" {
				t.Errorf("want [spam ham], got %s", v.Response.Body)
			}
		}
	}
}
