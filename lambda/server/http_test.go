package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/lambda/server"
)

// serve runs the face on a loopback listener for the test's lifetime.
func serve(t *testing.T, face server.Face) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := server.New(spamModel(t), testConfig(face), nil, nil)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// TestHTTPConcurrent fires parallel predictions at one server over a real
// socket: each answer must match its own input (run with -race).
func TestHTTPConcurrent(t *testing.T) {
	base := serve(t, server.FaceHTTP)
	texts := map[string]string{
		"spam": "Make money fast working from home!!! Earn $5000 a week guaranteed. Order now.",
		"ham":  "Re: patch for the build script\n\nThanks, I applied it to CVS. The tests pass on my machine now.",
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := []string{"spam", "ham"}[i%2]
			body, _ := json.Marshal(map[string][]string{"instances": {texts[want]}})
			resp, err := http.Post(base+"/predict", "application/json", bytes.NewReader(body))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			var out server.PredictResponse
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Predictions) != 1 || out.Predictions[0].Label != want {
				errs <- fmt.Errorf("request %d: want %s, got %+v (%v)", i, want, out, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestHTTPHeaders checks the response headers and request id handling.
func TestHTTPHeaders(t *testing.T) {
	base := serve(t, server.FaceSageMaker)
	req, _ := http.NewRequest(http.MethodPost, base+"/invocations", strings.NewReader(`{"instances": ["hello"]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "abc-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("status %d headers %v body %s", resp.StatusCode, resp.Header, b)
	}
	resp2, err := http.Get(base + "/ping")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != 200 || len(resp2.Header.Get("X-Request-Id")) != 32 {
		t.Errorf("ping: status %d, generated request id %q", resp2.StatusCode, resp2.Header.Get("X-Request-Id"))
	}
}

// TestHTTPRequestTimeout: with REQUEST_TIMEOUT_MS shorter than the deadline
// margin, the HTTP face refuses predictions with 503 rather than starting
// work it cannot finish in time.
func TestHTTPRequestTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(server.FaceHTTP)
	cfg.RequestTimeout = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.New(spamModel(t), cfg, nil, nil).Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	resp, err := http.Post("http://"+ln.Addr().String()+"/predict", "application/json", strings.NewReader(`{"instances": ["hi"]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), `"field":""`) {
		t.Errorf("got %d %s, want 503 with an error body", resp.StatusCode, b)
	}
}
