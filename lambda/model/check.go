package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CheckOptions tune [Check].
type CheckOptions struct {
	// Engine overrides the manifest's engine.
	Engine string
	// IntraOpThreads as in Options; zero means one, as on a Lambda
	// function of up to 1,769 MB.
	IntraOpThreads int
	// BatchSizes to time; default 1, 4 and 16.
	BatchSizes []int
	// Runs per batch size after Warmup untimed runs; defaults 50 and 3.
	Runs, Warmup int
}

// Timing is the latency of one batch size: a request's preprocessing and
// inference, as the server does them.
type Timing struct {
	BatchSize int     `json:"batch_size"`
	Runs      int     `json:"runs"`
	P50Ms     float64 `json:"p50_ms"`
	P99Ms     float64 `json:"p99_ms"`
	// Per instance: the batch's time divided by its size.
	PerInstanceP50Ms float64 `json:"per_instance_p50_ms"`
	PerInstanceP99Ms float64 `json:"per_instance_p99_ms"`
}

// Profile is what `costguard model check` measures and writes to
// profile.json; the constructs right-size a function's timeout (P99Ms and
// LoadMs) and memory (PeakMemoryMiB) from it.
type Profile struct {
	Model   string `json:"model"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
	Engine  string `json:"engine"`
	// Where it was measured: GOOS/GOARCH and the CPUs the engine used.
	Platform       string `json:"platform"`
	IntraOpThreads int    `json:"intra_op_threads"`
	// LoadMs is the model's load and warm-up: the cold start's share.
	LoadMs float64 `json:"load_ms"`
	// P99Ms is one request of one instance, 99th percentile.
	P99Ms   float64  `json:"p99_ms"`
	Timings []Timing `json:"timings"`
	// PeakMemoryMiB is the process's peak resident memory after the runs.
	PeakMemoryMiB float64 `json:"peak_memory_mib"`
}

// CheckReport is the whole answer of [Check].
type CheckReport struct {
	Profile
	Task    string       `json:"task"`
	Labels  []string     `json:"labels"`
	Inputs  []TensorInfo `json:"inputs"`
	Output  string       `json:"output"`
	Scores  string       `json:"scores"`
	Example []Prediction `json:"example"`
}

// Check validates dir, loads the model with the engine the function will
// use, runs warm-up and timed requests of synthetic instances at each
// batch size, and reports the latency and memory profile.
func Check(dir string, o CheckOptions) (*CheckReport, error) {
	if err := ValidateDir(dir, o.Engine); err != nil {
		return nil, err
	}
	m, err := Load(dir, Options{Engine: o.Engine, IntraOpThreads: o.IntraOpThreads})
	if err != nil {
		return nil, err
	}
	defer m.Close()
	sizes := o.BatchSizes
	if len(sizes) == 0 {
		sizes = []int{1, 4, 16}
	}
	runs, warm := o.Runs, o.Warmup
	if runs <= 0 {
		runs = 50
	}
	if warm <= 0 {
		warm = 3
	}
	inst, err := m.syntheticInstance()
	if err != nil {
		return nil, err
	}
	man := m.Manifest
	threads := max(o.IntraOpThreads, 1)
	r := &CheckReport{
		Profile: Profile{
			Model: man.Name, Version: man.Version, SHA256: man.ONNX.SHA256, Engine: m.EngineName,
			Platform: runtime.GOOS + "/" + runtime.GOARCH, IntraOpThreads: threads,
			LoadMs: ms(m.LoadTime),
		},
		Task: man.Task, Labels: man.Labels, Inputs: man.Inputs, Output: man.Output, Scores: man.Scores,
	}
	b := m.NewBatch(slices.Max(sizes))
	for _, n := range sizes {
		if n < 1 {
			return nil, fmt.Errorf("batch size %d must be at least 1", n)
		}
		times := make([]time.Duration, 0, runs)
		for i := range warm + runs {
			start := time.Now()
			b.Reset()
			for range n {
				if err := m.Add(b, inst); err != nil {
					return nil, fmt.Errorf("synthetic instance: %w", err)
				}
			}
			preds, err := m.Predict(b)
			if err != nil {
				return nil, fmt.Errorf("batch of %d: %w", n, err)
			}
			if i >= warm {
				times = append(times, time.Since(start))
			}
			if r.Example == nil {
				r.Example = preds[:1]
			}
		}
		slices.Sort(times)
		t := Timing{BatchSize: n, Runs: runs, P50Ms: ms(percentile(times, 0.50)), P99Ms: ms(percentile(times, 0.99))}
		t.PerInstanceP50Ms, t.PerInstanceP99Ms = round3(t.P50Ms/float64(n)), round3(t.P99Ms/float64(n))
		r.Timings = append(r.Timings, t)
		if n == 1 {
			r.P99Ms = t.P99Ms
		}
	}
	if r.P99Ms == 0 {
		r.P99Ms = r.Timings[0].PerInstanceP99Ms
	}
	r.PeakMemoryMiB = peakMemoryMiB()
	return r, nil
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// syntheticInstance is a request instance of the model's task that
// exercises the whole pipeline at its largest: an image at the model's
// size, a text longer than the maximum length, a row of ones.
func (m *Model) syntheticInstance() ([]byte, error) {
	man := m.Manifest
	switch {
	case man.Image != nil:
		img := image.NewNRGBA(image.Rect(0, 0, man.Image.Width, man.Image.Height))
		for i := range img.Pix {
			img.Pix[i] = uint8(i*131 + i/7) // a deterministic texture
		}
		for y := range man.Image.Height {
			for x := range man.Image.Width {
				img.Pix[img.PixOffset(x, y)+3] = 255
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, err
		}
		return json.Marshal(map[string]string{"b64": base64.StdEncoding.EncodeToString(buf.Bytes())})
	case man.Text != nil:
		words := strings.Fields("the quick brown fox jumps over the lazy dog while a costguard alarm watches the bill")
		n := 64
		if man.Text.MaxLength > 0 {
			n = man.Text.MaxLength + 8
		}
		var sb strings.Builder
		for i := range n {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[i%len(words)])
		}
		return json.Marshal(sb.String())
	case man.Tabular != nil:
		row := make([]string, man.Tabular.Width)
		for i := range row {
			row[i] = "1"
		}
		return []byte("[" + strings.Join(row, ",") + "]"), nil
	}
	return nil, fmt.Errorf("task %q has no synthetic instance", man.Task)
}

// peakMemoryMiB is the process's peak resident set (VmHWM on Linux), or
// the Go runtime's total when the kernel does not say.
func peakMemoryMiB() float64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					return round3(kb / 1024)
				}
			}
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return round3(float64(ms.Sys) / (1 << 20))
}

// ReadProfile reads dir/profile.json, which `costguard model check` writes;
// it returns nil and no error when the directory has none.
func ReadProfile(dir string) (*Profile, error) {
	b, err := os.ReadFile(filepath.Join(dir, ProfileFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ProfileFile), err)
	}
	if p.P99Ms <= 0 || p.LoadMs < 0 || p.PeakMemoryMiB < 0 || math.IsNaN(p.P99Ms) || math.IsInf(p.P99Ms, 0) {
		return nil, fmt.Errorf("%s: p99_ms %v, load_ms %v, peak_memory_mib %v are not a measurement (re-run costguard model check)", filepath.Join(dir, ProfileFile), p.P99Ms, p.LoadMs, p.PeakMemoryMiB)
	}
	return &p, nil
}

// P50Ms is the median of one request of one instance, or 0 when the
// profile did not time batch size 1.
func (p *Profile) P50Ms() float64 {
	for _, t := range p.Timings {
		if t.BatchSize == 1 {
			return t.P50Ms
		}
	}
	return 0
}
