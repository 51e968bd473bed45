package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/costguard-ml/costguard/lambda/server"
)

const benchText = "Congratulations! You have been selected to receive a FREE vacation. Click here now to claim your prize, limited time offer."

// BenchmarkHandle measures one POST /predict through the shared request
// path (decode, featurize, inference, encode) with 1 and 16 instances.
// ns/op and allocs/op are per request; µs/instance divides by the batch.
func BenchmarkHandle(b *testing.B) {
	for _, n := range []int{1, 16} {
		b.Run(map[int]string{1: "instances=1", 16: "instances=16"}[n], func(b *testing.B) {
			cfg := testConfig(server.FaceHTTP)
			cfg.MaxInstances = 64
			cfg.MaxBodyBytes = 1 << 20
			s := server.New(spamModel(b), cfg, nil, nil)
			insts := make([]string, n)
			for i := range insts {
				insts[i] = benchText
			}
			body, _ := json.Marshal(map[string][]string{"instances": insts})
			req := server.Request{Method: http.MethodPost, Path: "/predict", ContentType: "application/json", Body: body, RequestID: "bench"}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if r := s.Handle(ctx, req); r.Status != 200 {
					b.Fatalf("status %d: %s", r.Status, r.Body)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n)/1000, "µs/instance")
		})
	}
}

// BenchmarkHandleLambdaREST measures a whole REST v1 invocation inside the
// handler (event decoding and proxy response included).
func BenchmarkHandleLambdaREST(b *testing.B) {
	event, err := os.ReadFile("testdata/events/rest_v1_predict.json")
	if err != nil {
		b.Fatal(err)
	}
	s := server.New(spamModel(b), testConfig(server.FaceLambda), nil, nil)
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "bench"})
	b.ReportAllocs()
	for b.Loop() {
		out, err := s.HandleLambda(ctx, event)
		if err != nil {
			b.Fatal(err)
		}
		bb, _ := json.Marshal(out)
		if !strings.Contains(string(bb), `"statusCode":200`) {
			b.Fatalf("%s", bb)
		}
	}
}
