package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/cost/workload"
)

// The benchmarks of the table, on the MobileNet and BERT test
// models: the Lambda build of the Go server (the native x86_64 bundle) and
// its Node.js peer (testdata/nodepeer, onnxruntime-node 1.24.1, the same ONNX
// Runtime release) under the same emulator, with the same request (one
// instance: the first case of the exporter's reference) and the same thread
// rule (the emulator says 3,008 MB: one intra-op thread on both sides).
// Every answer is checked for the reference's label. Run them with
// `make bench` (-benchtime 30x or more: the figures are medians over
// iterations).

// coldStart starts the emulator with dir/bootstrap, sends event and returns
// the time from the invoke (the emulator starts the runtime on it) to the
// answer. The emulator's own start is outside the timer, as in
// BenchmarkColdStartPaired.
func coldStart(b *testing.B, dir string, env []string, event []byte, top string) float64 {
	url, p := rie(b, filepath.Join(dir, "bootstrap"), env...)
	t0 := time.Now()
	status, body := do(b, http.MethodPost, url, "application/json", event)
	d := time.Since(t0)
	if got, err := labels(status, body); err != nil || len(got) != 1 || got[0] != top {
		b.Fatalf("%s: labels %q (%v), want %s\n%s", dir, got, err, top, p.Out)
	}
	p.Stop()
	return ms(d)
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// ortProbe runs testdata/ortprobe in a fresh process: ONNX Runtime alone
// loading its library and environment, building the model's session with
// the server's options and running it once (process start and Go's runtime
// set-up excluded). The probe runs from the Go function's directory, so it
// loads the very libraries of the Lambda build (lib/: libonnxruntime and
// the C++ runtime). It returns total and session + first run, in ms.
func ortProbe(b *testing.B, probe, model string) (total, session float64, tokens int) {
	return ortProbeArgs(b, probe, model, "-model", filepath.Join(root, "lambda", "models", model))
}

// ortOptimizedProbe is ortProbe on the offline-optimized graph the Go
// function ships in dir/model (model.ORTOptimizedFile), the graph the
// server builds its session from.
func ortOptimizedProbe(b *testing.B, probe, model, dir string) (total float64) {
	total, _, _ = ortProbeArgs(b, probe, model, "-model", filepath.Join(dir, "model"), "-optimized")
	return total
}

func ortProbeArgs(b *testing.B, probe, model string, args ...string) (total, session float64, tokens int) {
	if model == "bert" {
		var text string
		if err := json.Unmarshal(peerModel{model}.reference(b).Cases[0].Instance, &text); err != nil {
			b.Fatal(err)
		}
		args = append(args, "-text", text)
	}
	out, err := exec.Command(probe, args...).Output()
	if err != nil {
		b.Fatalf("ortprobe %s: %v\n%s", model, err, out)
	}
	var r struct {
		TotalMS    float64 `json:"total_ms"`
		SessionMS  float64 `json:"session_ms"`
		FirstRunMS float64 `json:"first_run_ms"`
		Tokens     float64 `json:"tokens"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatalf("ortprobe %s: %v\n%s", model, err, out)
	}
	return r.TotalMS, r.SessionMS + r.FirstRunMS, int(r.Tokens)
}

// ortLambdaColdStart cold-starts ortprobe as a Lambda function under the
// emulator, from the Go function's directory (its lib/ and model/): init
// loads ONNX Runtime, builds the session and runs once (a text model on
// tokens neutral ids), then the handler answers with a fixed body. It is
// ORT alone counted as the Go cold start is: invoke → answer, the
// emulator's and a Go process's share included.
func ortLambdaColdStart(b *testing.B, probe, dir string, tokens int, event []byte) float64 {
	url, p := rie(b, probe, "ORTPROBE_MODEL="+filepath.Join(dir, "model"), "ORTPROBE_TOKENS="+strconv.Itoa(tokens))
	t0 := time.Now()
	status, body := do(b, http.MethodPost, url, "application/json", event)
	d := time.Since(t0)
	if status != http.StatusOK || !strings.Contains(string(body), "ortprobe") {
		b.Fatalf("ortprobe under the emulator: %d %s\n%s", status, body, p.Out)
	}
	p.Stop()
	return ms(d)
}

// buildORTProbe builds testdata/ortprobe (cgo, this host) into dir, next
// to a Go function's lib/.
func buildORTProbe(b *testing.B, dir string) string {
	bin := filepath.Join(dir, "ortprobe")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./lambda/e2e/testdata/ortprobe")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build ortprobe: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkModelColdStart runs, in each iteration and in rotating order:
// a cold start of the Go server's Lambda build and one of the Node peer
// under the emulator (the invoke that starts the runtime → its answer); the
// same for hello (a Go handler that loads nothing: the emulator's and the
// process's own share); ortprobe, ONNX Runtime alone in a fresh process
// (library and environment, session, first run, timed inside the process);
// and ortprobe as a Lambda function under the same emulator (the same ORT
// steps in its init, timed as the Go cold start is). It reports each one's
// median and the medians of the per-iteration ratios go/node (target ≤ 0.5)
// and go/ort (target ≤ 1.3, ort being ortprobe's total; x-go/ort-session
// divides by the session and first run only; x-go-minus-hello/ort takes the
// same iteration's hello, the emulator's and a process's share, off the Go
// cold start first; x-go/ort-rie divides by ORT alone under the emulator).
// The Go server builds its session from the offline-optimized graph its
// packaging ships (model.ORTOptimizedFile); ORT alone loads the export, the
// file the user brought, and, in a sixth side, x-go/ort-optimized, that
// optimized graph.
// The wall time of an iteration means nothing (ns/op is 0).
func BenchmarkModelColdStart(b *testing.B) {
	needNodePeer(b)
	for _, m := range peerModels {
		b.Run("model="+m.name, func(b *testing.B) {
			event, top := m.event(b)
			goDir, nodeDir := goFunction(b, m.name), nodeFunction(b, m.name)
			probe := buildORTProbe(b, goDir)
			_, _, tokens := ortProbe(b, probe, m.name) // the request's token count, for ORT alone under the emulator
			var ortTotal, ortSession, hello []float64
			sides := []func() float64{
				func() float64 { return coldStart(b, goDir, goEnv, event, top) },
				func() float64 { return coldStart(b, nodeDir, nodeEnv(), event, top) },
				func() float64 {
					t, s, _ := ortProbe(b, probe, m.name)
					ortSession = append(ortSession, s)
					return t
				},
				func() float64 { return helloColdStart(b) },
				func() float64 { return ortLambdaColdStart(b, probe, goDir, tokens, event) },
				func() float64 { return ortOptimizedProbe(b, probe, m.name, goDir) },
			}
			times := make([][]float64, len(sides))
			i := 0
			for b.Loop() {
				for k := range sides {
					j := (k + i) % len(sides)
					times[j] = append(times[j], sides[j]())
				}
				i++
			}
			ortTotal, hello = times[2], times[3]
			b.ReportMetric(median(times[0]), "ms-go")
			b.ReportMetric(median(times[1]), "ms-node")
			b.ReportMetric(median(ortTotal), "ms-ort")
			b.ReportMetric(median(ortSession), "ms-ort-session")
			b.ReportMetric(median(hello), "ms-hello")
			b.ReportMetric(median(ratios(times[0], times[1])), "x-go/node")
			b.ReportMetric(median(ratios(times[0], ortTotal)), "x-go/ort")
			b.ReportMetric(median(ratios(times[0], ortSession)), "x-go/ort-session")
			goOwn := make([]float64, len(hello))
			for n := range goOwn {
				goOwn[n] = times[0][n] - hello[n]
			}
			b.ReportMetric(median(ratios(goOwn, ortTotal)), "x-go-minus-hello/ort")
			b.ReportMetric(median(times[4]), "ms-ort-rie")
			b.ReportMetric(median(ratios(times[0], times[4])), "x-go/ort-rie")
			b.ReportMetric(median(times[5]), "ms-ort-optimized")
			b.ReportMetric(median(ratios(times[0], times[5])), "x-go/ort-optimized")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// helloColdStart is BenchmarkColdStartPaired's baseline: the hello handler
// (loads nothing) cold-started under the emulator.
func helloColdStart(b *testing.B) float64 {
	url, p := rie(b, helloBin)
	t0 := time.Now()
	status, body := do(b, http.MethodPost, url, "application/json", []byte(`{}`))
	d := time.Since(t0)
	if status != http.StatusOK {
		b.Fatalf("hello: %d %s\n%s", status, body, p.Out)
	}
	p.Stop()
	return ms(d)
}

func ratios(num, den []float64) []float64 {
	r := make([]float64, len(num))
	for i := range r {
		r[i] = num[i] / den[i]
	}
	return r
}

// BenchmarkModelWarm keeps the Go server and the Node peer running under
// two emulators, warms each with 20 requests, then sends one request to
// each per iteration (alternating which goes first) and reports each
// side's p50 and the median of the per-iteration ratios go/node (target
// ≤ 1.0). A request is the whole invoke through the emulator: HTTP to the
// emulator, the Runtime API round trip, decoding, preprocessing, the run,
// the answer.
func BenchmarkModelWarm(b *testing.B) {
	needNodePeer(b)
	for _, m := range peerModels {
		b.Run("model="+m.name, func(b *testing.B) {
			event, top := m.event(b)
			var urls []string
			for _, side := range []struct {
				dir string
				env []string
			}{{goFunction(b, m.name), goEnv}, {nodeFunction(b, m.name), nodeEnv()}} {
				url, p := rie(b, filepath.Join(side.dir, "bootstrap"), side.env...)
				for range 20 {
					if got, err := labels(do(b, http.MethodPost, url, "application/json", event)); err != nil || got[0] != top {
						b.Fatalf("%s: labels %q (%v), want %s\n%s", side.dir, got, err, top, p.Out)
					}
				}
				urls = append(urls, url)
			}
			times := [][]float64{nil, nil}
			i := 0
			for b.Loop() {
				for k := range 2 {
					j := (k + i) % 2
					t0 := time.Now()
					status, _ := do(b, http.MethodPost, urls[j], "application/json", event)
					times[j] = append(times[j], ms(time.Since(t0)))
					if status != http.StatusOK {
						b.Fatalf("status %d", status)
					}
				}
				i++
			}
			b.ReportMetric(median(times[0]), "ms-go-p50")
			b.ReportMetric(median(times[1]), "ms-node-p50")
			b.ReportMetric(median(ratios(times[0], times[1])), "x-go/node")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkModelZip reports the size of each test model's Lambda zip
// (bootstrap + lib/ + model/, deflated as the CDK zips a code asset) for
// both architectures (target ≤ 50 MB). The zip is made once; the time means
// nothing.
func BenchmarkModelZip(b *testing.B) {
	needSetup(b)
	for _, arch := range []workload.Architecture{workload.ArchARM64, workload.ArchX86_64} {
		for _, m := range peerModels {
			b.Run("arch="+string(arch)+"/model="+m.name, func(b *testing.B) {
				dir := filepath.Join(b.TempDir(), "function")
				buildAsset(b, m.name, arch, dir)
				size, err := zipSize(dir)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
				}
				b.ReportMetric(float64(size), "bytes-zip")
			})
		}
	}
}
