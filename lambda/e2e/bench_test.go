package e2e

import (
	"archive/zip"
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkColdStart measures, under the real emulator, the time from the
// first invoke (the emulator starts the runtime process on it) to the first
// answer: process start, model load and warm-up, then one API Gateway
// request. "hello" is a Go handler that loads nothing, built the same way:
// the baseline the issue compares against. The emulator's own start is
// outside the timer.
func BenchmarkColdStart(b *testing.B) {
	event, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "events", "rest_v1_predict.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, bin string }{{"hello", helloBin}, {"model", bootstrap}} {
		b.Run(bc.name, func(b *testing.B) {
			needRIE(b)
			var total time.Duration
			for b.Loop() {
				b.StopTimer()
				url, p := rie(b, bc.bin, "METRICS=off", "LOG_LEVEL=error")
				b.StartTimer()
				t0 := time.Now()
				status, body := do(b, http.MethodPost, url, "application/json", event)
				total += time.Since(t0)
				b.StopTimer()
				if status != 200 || !bytes.Contains(body, []byte(`"statusCode":200`)) {
					b.Fatalf("first answer %d %s\n%s", status, body, p.Out)
				}
				p.Stop()
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/coldstart")
		})
	}
}

// BenchmarkColdStartPaired measures the ratio the target is about:
// each iteration cold-starts hello and the model server back to back (in
// alternating order), so a neighbour's load that comes and goes hits both
// sides of a pair. It reports the median of the per-pair ratios
// (x-hello-median) and each side's median. COLDSTART_OTHER may name another
// bootstrap binary (say, one built from an older commit, with model/ next
// to it) to cold-start in the same rotation, reported as ms-other-median and
// x-other-hello-median. Use -benchtime 100x or more: the medians are over
// iterations.
func BenchmarkColdStartPaired(b *testing.B) {
	needRIE(b)
	event, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "events", "rest_v1_predict.json"))
	if err != nil {
		b.Fatal(err)
	}
	bins := []string{helloBin, bootstrap}
	if other := os.Getenv("COLDSTART_OTHER"); other != "" {
		bins = append(bins, other)
	}
	times := make([][]float64, len(bins))
	coldStart := func(bin string) float64 {
		url, p := rie(b, bin, "METRICS=off", "LOG_LEVEL=error")
		t0 := time.Now()
		status, body := do(b, http.MethodPost, url, "application/json", event)
		d := time.Since(t0)
		if status != 200 || !bytes.Contains(body, []byte(`"statusCode":200`)) {
			b.Fatalf("%s: first answer %d %s\n%s", bin, status, body, p.Out)
		}
		p.Stop()
		return float64(d.Microseconds()) / 1000
	}
	i := 0
	for b.Loop() {
		for k := range bins {
			j := (k + i) % len(bins)
			times[j] = append(times[j], coldStart(bins[j]))
		}
		i++
	}
	ratios := func(j int) []float64 {
		r := make([]float64, len(times[0]))
		for n := range r {
			r[n] = times[j][n] / times[0][n]
		}
		return r
	}
	b.ReportMetric(median(times[0]), "ms-hello-median")
	b.ReportMetric(median(times[1]), "ms-model-median")
	b.ReportMetric(median(ratios(1)), "x-hello-median")
	if len(bins) > 2 {
		b.ReportMetric(median(times[2]), "ms-other-median")
		b.ReportMetric(median(ratios(2)), "x-other-hello-median")
	}
	b.ReportMetric(0, "ns/op") // the wall time of a whole rotation means nothing
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

// BenchmarkWarmInvoke measures one warm invocation through the emulator
// (HTTP to the emulator, runtime API round trip, handler).
func BenchmarkWarmInvoke(b *testing.B) {
	event, err := os.ReadFile(filepath.Join(root, "lambda", "server", "testdata", "events", "rest_v1_predict.json"))
	if err != nil {
		b.Fatal(err)
	}
	url, _ := rie(b, bootstrap, "METRICS=off", "LOG_LEVEL=error")
	do(b, http.MethodPost, url, "application/json", event)
	for b.Loop() {
		if status, _ := do(b, http.MethodPost, url, "application/json", event); status != 200 {
			b.Fatal(status)
		}
	}
}

// BenchmarkArtifactSize builds the Lambda asset for arm64 and amd64 with the
// CDK app's flags and reports the binary and zip (bootstrap + model/) sizes.
// The timing is meaningless; the size metrics are the point.
func BenchmarkArtifactSize(b *testing.B) {
	needSetup(b)
	for _, arch := range []string{"arm64", "amd64"} {
		b.Run(arch, func(b *testing.B) {
			bin := filepath.Join(b.TempDir(), "bootstrap")
			b.Setenv("GOOS", "linux")
			b.Setenv("GOARCH", arch)
			if err := buildLambda(bin, "./lambda/cmd/bootstrap"); err != nil {
				b.Fatal(err)
			}
			var binSize, zipSize int
			for b.Loop() {
				bs, err := os.ReadFile(bin)
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				zw := zip.NewWriter(&buf)
				files := map[string][]byte{"bootstrap": bs}
				for _, f := range []string{"model.onnx", "manifest.json"} {
					mb, err := os.ReadFile(filepath.Join(root, "lambda", "models", "spam", f))
					if err != nil {
						b.Fatal(err)
					}
					files["model/"+f] = mb
				}
				for _, name := range []string{"bootstrap", "model/manifest.json", "model/model.onnx"} {
					w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
					if err != nil {
						b.Fatal(err)
					}
					_, _ = w.Write(files[name])
				}
				if err := zw.Close(); err != nil {
					b.Fatal(err)
				}
				binSize, zipSize = len(bs), buf.Len()
			}
			b.ReportMetric(float64(binSize)/(1<<20), "MiB-binary")
			b.ReportMetric(float64(zipSize)/(1<<20), "MiB-zip")
		})
	}
}
