package model_test

import (
	"strconv"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
)

const spamDir = "../models/spam"

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		m, err := model.Load(spamDir, model.Options{})
		if err != nil {
			b.Fatal(err)
		}
		_ = m.Close()
	}
}

func benchPredict(b *testing.B, n int) {
	m, err := model.Load(spamDir, model.Options{})
	if err != nil {
		b.Fatal(err)
	}
	batch := m.NewBatch(n)
	b.ReportAllocs()
	for b.Loop() {
		batch.Reset()
		for range n {
			if err := m.AddText(batch, "Congratulations! You have won a FREE prize. Click here now to claim your cash reward"); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := m.Predict(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1000, "µs/instance")
}

func BenchmarkPredict1(b *testing.B)  { benchPredict(b, 1) }
func BenchmarkPredict16(b *testing.B) { benchPredict(b, 16) }

// benchInfer times the engine alone on a batch of n spam texts: the batch
// is featurized once, outside the loop. This is the "warm model time per
// instance". A model the options cannot load skips the benchmark.
func benchInfer(b *testing.B, o model.Options, n int) {
	m, err := model.Load(spamDir, o)
	if err != nil {
		b.Skip(err)
	}
	defer m.Close()
	batch := m.NewBatch(n)
	for range n {
		_ = m.AddText(batch, "Congratulations! You have won a FREE prize. Click here now to claim your cash reward")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Predict(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1000, "µs/instance")
}

func BenchmarkInfer1(b *testing.B)  { benchInfer(b, model.Options{}, 1) }
func BenchmarkInfer16(b *testing.B) { benchInfer(b, model.Options{}, 16) }

// BenchmarkFeaturize times hashing one short text into a row.
func BenchmarkFeaturize(b *testing.B) {
	m, err := model.Load(spamDir, model.Options{})
	if err != nil {
		b.Fatal(err)
	}
	row := make([]float32, m.Manifest.Text.Hashed.Dims)
	b.ReportAllocs()
	for b.Loop() {
		clear(row)
		m.Manifest.Text.Hashed.HashText("Congratulations! You have won a FREE prize. Click here now to claim your cash reward", row)
	}
}

// BenchmarkSpamWarm is the spam MLP's warm inference time per engine built
// into the test binary (onnxruntime with one intra-op thread, as on a
// 1,769 MB function, and the pure-Go engines), side by side in one run.
func BenchmarkSpamWarm(b *testing.B) {
	for _, engine := range model.Engines() {
		for _, n := range []int{1, 16} {
			b.Run("engine="+engine+"/batch="+strconv.Itoa(n), func(b *testing.B) {
				benchInfer(b, model.Options{Engine: engine, IntraOpThreads: 1}, n)
			})
		}
	}
}

// BenchmarkSpamLoad is Load (read, sha256, engine build, warm-up) per
// engine: the model's share of a cold start.
func BenchmarkSpamLoad(b *testing.B) {
	for _, engine := range model.Engines() {
		b.Run("engine="+engine, func(b *testing.B) {
			for b.Loop() {
				m, err := model.Load(spamDir, model.Options{Engine: engine, IntraOpThreads: 1})
				if err != nil {
					b.Skip(err)
				}
				_ = m.Close()
			}
		})
	}
}
