package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/report"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/lambda/server"
)

// lockedBuffer is stdout shared by the server's logger and its EMF writer.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) take() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]byte(nil), l.b.Bytes()...)
	l.b.Reset()
	return out
}

// emfKey is one billed custom metric: a metric of a namespace under one
// dimension set, for one value of each dimension.
type emfKey struct{ namespace, dims, metric, values string }

// emfMetrics reads the EMF lines of out.
func emfMetrics(t *testing.T, out []byte) map[emfKey]bool {
	t.Helper()
	got := map[emfKey]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var doc map[string]any
		if json.Unmarshal(sc.Bytes(), &doc) != nil || doc["_aws"] == nil {
			continue
		}
		var meta struct {
			CloudWatchMetrics []struct {
				Namespace  string
				Dimensions [][]string
				Metrics    []struct{ Name string }
			}
		}
		raw, _ := json.Marshal(doc["_aws"])
		if err := json.Unmarshal(raw, &meta); err != nil {
			t.Fatalf("EMF line %s: %v", sc.Bytes(), err)
		}
		for _, d := range meta.CloudWatchMetrics {
			for _, set := range d.Dimensions {
				var values []string
				for _, dim := range set {
					values = append(values, dim+"="+doc[dim].(string))
				}
				for _, m := range d.Metrics {
					if _, ok := doc[m.Name]; !ok {
						t.Errorf("EMF line declares %s but has no value for it: %s", m.Name, sc.Bytes())
					}
					got[emfKey{d.Namespace, strings.Join(set, ","), m.Name, strings.Join(values, ",")}] = true
				}
			}
		}
	}
	return got
}

// TestEMFMetricsAreWhatTheReportPrices runs the model server as it runs on
// each tier (Run loads the model, then a request on each face) and checks
// that the custom metrics it writes are exactly workload.ServerMetrics,
// which costguard report prices: one deployment serves one model on one
// face, so the bill is the metric × dimension-set combinations of one face.
func TestEMFMetricsAreWhatTheReportPrices(t *testing.T) {
	for _, face := range []server.Face{server.FaceLambda, server.FaceHTTP, server.FaceSageMaker} {
		t.Run(string(face), func(t *testing.T) {
			out := &lockedBuffer{}
			cfg := testConfig(face)
			cfg.ModelDir, cfg.Engine, cfg.Metrics, cfg.LogFormat = "../models/spam", "gonnx", true, "json"
			cfg.Host, cfg.Port = "127.0.0.1", 0
			if face != server.FaceLambda {
				// Run loads the model and writes its load metric, then
				// serves until ctx ends: here at once.
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if err := server.Run(ctx, cfg, out); err != nil {
					t.Fatalf("Run: %v", err)
				}
			} else {
				// The Lambda face of Run hands over to the Lambda runtime;
				// write the load metric as Run does before that.
				server.NewEMF(out).ModelLoad(spamModel(t).Manifest.Name, face, spamModel(t).LoadTime)
			}
			emf := server.NewEMF(out)
			s := server.New(spamModel(t), cfg, server.NewLogger(cfg, out), emf)
			out.take()
			body := `{"instances":["win a free prize now"]}`
			if face == server.FaceLambda {
				ev, err := os.ReadFile("testdata/events/rest_v1_predict.json")
				if err != nil {
					t.Fatal(err)
				}
				// A Lambda request id is a 36-character UUID.
				ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "8f5b2c1e-3d4a-4b6c-9e7f-0a1b2c3d4e5f"})
				if _, err := s.HandleLambda(ctx, ev); err != nil {
					t.Fatal(err)
				}
			} else {
				path := "/predict"
				if face == server.FaceSageMaker {
					path = "/invocations"
				}
				req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
				}
			}
			perRequest := out.take()
			got := emfMetrics(t, perRequest)
			server.NewEMF(out).ModelLoad(spamModel(t).Manifest.Name, face, spamModel(t).LoadTime)
			for k := range emfMetrics(t, out.take()) {
				got[k] = true
			}

			var want []string
			for _, set := range workload.ServerMetrics {
				var values []string
				for _, d := range set.Dimensions {
					v := map[string]string{"Model": spamModel(t).Manifest.Name, "Face": string(face)}[d]
					values = append(values, d+"="+v)
				}
				for _, m := range set.Metrics {
					want = append(want, set.Namespace+"|"+strings.Join(set.Dimensions, ",")+"|"+m+"|"+strings.Join(values, ","))
				}
			}
			var have []string
			for k := range got {
				have = append(have, k.namespace+"|"+k.dims+"|"+k.metric+"|"+k.values)
			}
			slices.Sort(want)
			slices.Sort(have)
			if !slices.Equal(have, want) {
				t.Errorf("the server writes custom metrics\n  %q\nthe report prices (workload.ServerMetrics)\n  %q", have, want)
			}
			if len(have) != workload.ServerCustomMetrics() {
				t.Errorf("%d custom metrics written, the report prices %d", len(have), workload.ServerCustomMetrics())
			}

			// The log bytes of one request (the request line and the EMF
			// line, each with CloudWatch Logs' event overhead) fit in what
			// the report prices for the server's part of a request's logs.
			lines := bytes.Count(perRequest, []byte("\n"))
			bytesPerRequest := float64(len(perRequest)) + float64(lines)*pricing.Default().CloudWatch.LogEventOverheadBytes
			if budget := float64(report.ServerLogBytesPerRequest); bytesPerRequest > budget || bytesPerRequest < budget/2 || lines < 2 {
				t.Errorf("one request writes %d log lines, %.0f bytes with their overhead; the report prices %.0f for the server's lines:\n%s",
					lines, bytesPerRequest, budget, perRequest)
			}
		})
	}
}
