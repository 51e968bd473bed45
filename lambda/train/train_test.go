package train_test

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/train"
)

// synthetic makes a small separable corpus: spam talks money, ham talks code.
func synthetic() *train.Corpus {
	spamWords := []string{"free", "money", "offer", "click", "winner", "cash", "prize", "viagra"}
	hamWords := []string{"build", "patch", "kernel", "review", "merge", "test", "release", "bug"}
	var c train.Corpus
	for i := range 60 {
		var sb, hb bytes.Buffer
		for j := range 6 {
			sb.WriteString(spamWords[(i+j*3)%len(spamWords)] + " ")
			hb.WriteString(hamWords[(i+j*5)%len(hamWords)] + " ")
		}
		s := train.Example{Path: fmt.Sprintf("spam/%d", i), Text: sb.String(), Spam: true}
		h := train.Example{Path: fmt.Sprintf("ham/%d", i), Text: hb.String()}
		if i%5 == 0 {
			c.Test = append(c.Test, s, h)
		} else {
			c.Train = append(c.Train, s, h)
		}
	}
	return &c
}

func smallOptions() train.SpamOptions {
	o := train.DefaultSpamOptions()
	o.Dims = 256
	o.Config.Hidden = 8
	o.Config.Epochs = 5
	o.Config.LearningRate = 0.01
	return o
}

// TestTrainSpamDeterministic: same data and seed, same bytes.
func TestTrainSpamDeterministic(t *testing.T) {
	a, err := train.TrainSpam(synthetic(), smallOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, err := train.TrainSpam(synthetic(), smallOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.ONNX, b.ONNX) || a.Manifest.ONNX.SHA256 != b.Manifest.ONNX.SHA256 {
		t.Fatal("two runs with the same seed wrote different models")
	}
	o := smallOptions()
	o.Config.Seed++
	c, err := train.TrainSpam(synthetic(), o)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.ONNX, c.ONNX) {
		t.Error("a different seed wrote the same model: the seed is not used")
	}
}

// TestExportedGraphMatchesTrainer loads the exported ONNX with the serving
// engine and checks it computes what the float64 trainer computes.
func TestExportedGraphMatchesTrainer(t *testing.T) {
	corpus := synthetic()
	o := smallOptions()
	art, err := train.TrainSpam(corpus, o)
	if err != nil {
		t.Fatal(err)
	}
	if art.TestAccuracy < 0.95 {
		t.Fatalf("synthetic held-out accuracy %.3f: the trainer does not learn", art.TestAccuracy)
	}
	dir := t.TempDir()
	if err := art.Write(dir); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(dir, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := train.Evaluate(m, corpus.Test)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(acc-art.TestAccuracy) > 1e-9 {
		t.Errorf("served accuracy %.4f, trainer %.4f", acc, art.TestAccuracy)
	}
	// Compare probabilities, not only labels.
	cfg := o.Config
	cfg.Dims = o.Dims
	xs, ys := train.Featurize(corpus.Train, train.SpamFeaturizer, o.Dims)
	mlp := train.Fit(xs, ys, cfg)
	for i, ex := range corpus.Test[:6] {
		b := m.NewBatch(1)
		if err := m.AddText(b, ex.Text); err != nil {
			t.Fatal(err)
		}
		p, err := m.Predict(b)
		if err != nil {
			t.Fatal(err)
		}
		row := make([]float32, o.Dims)
		train.SpamFeaturizer.HashText(ex.Text, row)
		want := mlp.Predict(train.SparseRow(row))[1]
		if d := math.Abs(p[0].Scores["spam"] - want); d > 1e-4 {
			t.Errorf("example %d: served spam score %.6f, trainer %.6f", i, p[0].Scores["spam"], want)
		}
	}
}

func TestReadSpamAssassin(t *testing.T) {
	c, err := train.ReadSpamAssassin("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	checkCorpus(t, append(append([]train.Example{}, c.Train...), c.Test...))
}

func checkCorpus(t *testing.T, all []train.Example) {
	t.Helper()
	want := map[string]struct {
		spam bool
		text string
	}{
		"spam-1/00001.aaaa.json":     {true, "Cheap meds\n\nBuy cheap meds now"},
		"spam-1/00002.bbbb.json":     {true, "no headers here, just free money"},
		"easy-ham-1/00001.cccc.json": {false, "Re: build\n\nThe build is green again."},
	}
	if len(all) != len(want) {
		t.Fatalf("read %d messages, want %d", len(all), len(want))
	}
	for _, ex := range all {
		w, ok := want[ex.Path]
		if !ok || w.spam != ex.Spam || w.text != ex.Text {
			t.Errorf("%s: spam=%v text=%q, want %+v", ex.Path, ex.Spam, ex.Text, w)
		}
	}
}

func TestMessageText(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"headers dropped, subject kept", "From x  Mon\nReceived: y\nSubject:  Hello \nX: z\n\nbody\n\nmore", "Hello\n\nbody\n\nmore"},
		{"no subject", "From x  Mon\nTo: y\n\nbody", "\n\nbody"},
		{"plain text stays", "just some words\n\nand more", "just some words\n\nand more"},
		{"single line", "free money", "free money"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := train.MessageText(tt.raw); got != tt.want {
				t.Errorf("MessageText = %q, want %q", got, tt.want)
			}
		})
	}
}
