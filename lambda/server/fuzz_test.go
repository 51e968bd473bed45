package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/lambda/server"
)

// validStatus are the statuses Handle may answer with.
var validStatus = map[int]bool{200: true, 400: true, 404: true, 405: true, 413: true, 415: true, 500: true, 503: true}

// FuzzDecodePredict throws arbitrary bodies at POST /predict. Whatever the
// input, the answer is one complete JSON document: predictions with one
// entry per instance, or an error with a field, never a panic or a 500.
// Seeds live in testdata/fuzz/FuzzDecodePredict.
func FuzzDecodePredict(f *testing.F) {
	for _, seed := range []string{
		`{"instances": ["free money", "hi bob"]}`, `{"instances": []}`, `{}`, `[]`, `null`, ``,
		`{"instances": [1, 2]}`, `{"instances": "x"}`, `{"instances": ["a"]} x`, `{"instances": ["\ud800"]}`,
		`{"instances": [` + `"a",` + `"b"]}`, `{"instances": [{"text": "a"}]}`, `{"instances": ["a"], "instances": null}`,
	} {
		f.Add([]byte(seed), "application/json")
	}
	f.Add([]byte(`{"instances": ["a"]}`), "text/plain")
	f.Add([]byte(`{"instances": ["a"]}`), "application/json; charset=\"")
	s := server.New(spamModel(f), testConfig(server.FaceHTTP), nil, nil)
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		resp := s.Handle(context.Background(), server.Request{Method: http.MethodPost, Path: "/predict", ContentType: contentType, Body: body})
		checkAnswer(t, resp)
		if resp.Status == 200 {
			var in struct{ Instances []json.RawMessage }
			var out server.PredictResponse
			if json.Unmarshal(body, &in) != nil || json.Unmarshal(resp.Body, &out) != nil || len(out.Predictions) != len(in.Instances) {
				t.Fatalf("200 for %q does not carry one prediction per instance: %s", body, resp.Body)
			}
		}
	})
}

// FuzzHandleLambda throws arbitrary events at the Lambda face. It may return
// an error for an event it does not know, but never panics, and any proxy
// response it returns carries a complete JSON body. Seeds are the golden
// fixtures plus testdata/fuzz/FuzzHandleLambda.
func FuzzHandleLambda(f *testing.F) {
	files, _ := filepath.Glob("testdata/events/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	s := server.New(spamModel(f), testConfig(server.FaceLambda), nil, nil)
	f.Fuzz(func(t *testing.T, event []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, err := s.HandleLambda(ctx, event)
		if err != nil {
			return
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatalf("response does not marshal: %v", err)
		}
		var proxy struct {
			StatusCode *int    `json:"statusCode"`
			Body       *string `json:"body"`
		}
		if json.Unmarshal(b, &proxy) == nil && proxy.StatusCode != nil {
			checkAnswer(t, server.Response{Status: *proxy.StatusCode, Body: []byte(*proxy.Body)})
		} else if !json.Valid(b) {
			t.Fatalf("direct answer is not JSON: %s", b)
		}
	})
}

func checkAnswer(t *testing.T, resp server.Response) {
	t.Helper()
	if !validStatus[resp.Status] || resp.Status == 500 {
		t.Fatalf("status %d: %s", resp.Status, resp.Body)
	}
	if !json.Valid(resp.Body) {
		t.Fatalf("body is not one JSON document: %q", resp.Body)
	}
	if resp.Status != 200 {
		var e struct {
			Error *string `json:"error"`
			Field *string `json:"field"`
		}
		if json.Unmarshal(resp.Body, &e) != nil || e.Error == nil || e.Field == nil || *e.Error == "" {
			t.Fatalf("error answer lacks error/field: %s", resp.Body)
		}
	}
}
