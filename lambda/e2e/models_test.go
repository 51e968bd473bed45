package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/costguard-ml/costguard/internal/testproc"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/modelref"
	"github.com/costguard-ml/costguard/internal/modelserver"
)

// restEvent is the REST v1 fixture of POST /predict with this body, as the
// front door sends it.
func restEvent(tb testing.TB, body []byte) []byte {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "events", "rest_v1_predict.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		tb.Fatal(err)
	}
	ev["body"], ev["isBase64Encoded"] = string(body), false
	b, err := json.Marshal(ev)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// predictions is the part of the answer the reference tests read.
type predictions struct {
	Predictions []struct {
		Label  string             `json:"label"`
		Score  float64            `json:"score"`
		Scores map[string]float64 `json:"scores"`
	} `json:"predictions"`
	Error string `json:"error"`
	Field string `json:"field"`
}

// invokeREST sends instances through the emulator as a REST v1 event and
// returns the proxy response's status and decoded body.
func invokeREST(tb testing.TB, url string, instances []json.RawMessage) (int, predictions) {
	tb.Helper()
	status, body := testproc.Invoke(tb, url, predictEvent(tb, instances))
	var p predictions
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		tb.Fatalf("body is not JSON: %.300s", body)
	}
	return status, p
}

// TestModelAssetsUnderEmulator builds the Lambda asset of every committed
// test model for x86_64 (the native build: bootstrap, lib/ and model/, as
// the CDK app bundles it) and sends each exporter reference case through
// the real Runtime Interface Emulator as a REST v1 event: the scores must
// equal the exporter's within 1e-4 (PNG, texts, rows) or give the same top
// label (JPEG, resized images).
func TestModelAssetsUnderEmulator(t *testing.T) {
	needRIE(t)
	names := referenceModels(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ref, err := modelref.Load(root, name)
			if err != nil {
				t.Fatal(err)
			}
			task := modelAsset(t, name)
			url, p := rie(t, filepath.Join(task, "bootstrap"), "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1769", "AWS_LAMBDA_FUNCTION_TIMEOUT=30")
			for _, c := range ref.Cases {
				t.Run(c.Name, func(t *testing.T) {
					status, got := invokeREST(t, url, []json.RawMessage{c.Instance})
					if status != http.StatusOK || len(got.Predictions) != 1 {
						t.Fatalf("status %d, %d predictions, error %q (field %q)", status, len(got.Predictions), got.Error, got.Field)
					}
					if err := matchReference(ref.Labels, got.Predictions[0].Label, got.Predictions[0].Scores, c.Probabilities, c.Top, c.Exact); err != nil {
						t.Error(err)
					}
				})
			}
			for _, bt := range ref.Batches {
				t.Run(bt.Name, func(t *testing.T) {
					status, got := invokeREST(t, url, bt.Instances)
					if status != http.StatusOK || len(got.Predictions) != len(bt.Instances) {
						t.Fatalf("status %d, %d predictions for %d instances, error %q", status, len(got.Predictions), len(bt.Instances), got.Error)
					}
					for i, pr := range got.Predictions {
						if err := matchReference(ref.Labels, pr.Label, pr.Scores, bt.Probabilities[i], "", true); err != nil {
							t.Errorf("instance %d: %v", i, err)
						}
					}
				})
			}
			if p.Exited() {
				t.Fatalf("emulator or runtime exited: %v\n%s", p.Err(), p.Out)
			}
		})
	}
}

func matchReference(labels []string, label string, scores map[string]float64, want []float64, top string, exact bool) error {
	if top != "" && label != top {
		return fmt.Errorf("label %q, the exporter says %q (scores %v)", label, top, scores)
	}
	if !exact {
		return nil
	}
	if len(want) != len(labels) {
		return fmt.Errorf("reference has %d probabilities for %d labels", len(want), len(labels))
	}
	for i, l := range labels {
		if d := math.Abs(scores[l] - want[i]); d > 1e-4 {
			return fmt.Errorf("score of %q is %.6f, the exporter says %.6f (|Δ| %.2g > 1e-4)", l, scores[l], want[i], d)
		}
	}
	return nil
}

// modelAsset builds the x86_64 Lambda asset of the committed model called
// name exactly as inference.ModelServerCode bundles it (internal/modelserver:
// the native bootstrap, lib/ and model/) into a temporary directory.
func modelAsset(t *testing.T, name string) string {
	t.Helper()
	needSetup(t)
	o, err := modelserver.Build(filepath.Join(root, "lambda", "models", name), workload.ArchX86_64)
	if err != nil {
		t.Fatal(err)
	}
	o.Dir = root
	dir := t.TempDir()
	if err := o.Build(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestImageFacesServeEachModel runs the binary of each model's container
// image (the staged build context, laid out as the generated Dockerfile
// copies it, with its ENTRYPOINT and ENV) on the HTTP face and the SageMaker
// face over loopback, and sends all the exporter's reference cases in one
// request: the scores match as on Lambda.
func TestImageFacesServeEachModel(t *testing.T) {
	needSetup(t)
	names := referenceModels(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ref, err := modelref.Load(root, name)
			if err != nil {
				t.Fatal(err)
			}
			img := readDockerfile(t, name)
			dir := imageRoot(t, img)
			entry := filepath.Join(dir, img.entrypoint[0])
			instances := make([]json.RawMessage, len(ref.Cases))
			for i, c := range ref.Cases {
				instances[i] = c.Instance
			}
			body, err := json.Marshal(map[string]any{"instances": instances})
			if err != nil {
				t.Fatal(err)
			}
			for _, face := range []struct {
				name, path, portVar string
				args                []string
			}{
				{"http", "/predict", "PORT", nil},
				{"sagemaker", "/invocations", "SAGEMAKER_BIND_TO_PORT", []string{"serve"}},
			} {
				t.Run(face.name, func(t *testing.T) {
					port := freePort(t)
					env := append(append([]string{}, img.env...), "HOST=127.0.0.1", face.portVar+"="+itoa(port))
					p := start(t, dir, env, entry, append(img.entrypoint[1:], face.args...)...)
					waitTCP(t, p, addr(port))
					status, out := do(t, http.MethodPost, "http://"+addr(port)+face.path, "application/json", body)
					var got predictions
					if err := json.Unmarshal(out, &got); err != nil || status != http.StatusOK || len(got.Predictions) != len(ref.Cases) {
						t.Fatalf("POST %s = %d %.300s\n%s", face.path, status, out, p.Out)
					}
					for i, c := range ref.Cases {
						pr := got.Predictions[i]
						if err := matchReference(ref.Labels, pr.Label, pr.Scores, c.Probabilities, c.Top, c.Exact); err != nil {
							t.Errorf("%s: %v", c.Name, err)
						}
					}
				})
			}
		})
	}
}

// referenceModels lists the committed test models that have an exporter
// reference; fewer than the committed ones is a broken checkout.
func referenceModels(t *testing.T) []string {
	t.Helper()
	names, err := modelref.Names(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 7 {
		t.Fatalf("found %d test models with references (%q), want the 7 committed ones", len(names), names)
	}
	return names
}
