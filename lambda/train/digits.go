package train

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/costguard-ml/costguard/lambda/model"
)

// Digit is one 8×8 image (pixel values 0–16, row by row) and its digit.
type Digit struct {
	Pixels []float64
	Label  int
}

// DigitsSplitRule documents the digits split for the manifest.
const DigitsSplitRule = "held out when sha256(\"row-<index>\")[0] % 20 < 4 (about 20 %)"

// ReadDigits reads scikit-learn's digits.csv.gz (1,797 rows of 64 pixels and
// a label; BSD-3, shipped by Debian's python3-sklearn) and splits it on a
// fixed hash of the row index.
func ReadDigits(path string) (train, test []Digit, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read digits (run make model-digits-data): %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	sc := bufio.NewScanner(zr)
	for i := 0; sc.Scan(); i++ {
		cols := strings.Split(strings.TrimSpace(sc.Text()), ",")
		if len(cols) != 65 {
			return nil, nil, fmt.Errorf("%s: row %d has %d columns, want 65", path, i, len(cols))
		}
		d := Digit{Pixels: make([]float64, 64)}
		for j, c := range cols {
			v, err := strconv.Atoi(c)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: row %d column %d: %w", path, i, j, err)
			}
			if j == 64 {
				d.Label = v
			} else {
				d.Pixels[j] = float64(v)
			}
		}
		if sum := sha256.Sum256([]byte("row-" + strconv.Itoa(i))); sum[0]%20 < TestFraction {
			test = append(test, d)
		} else {
			train = append(train, d)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// DigitsScale scales pixels from 0–16 to 0–1.
const DigitsScale = 1.0 / 16

func digitRows(ds []Digit) ([]Sparse, []int) {
	xs, ys := make([]Sparse, len(ds)), make([]int, len(ds))
	row := make([]float32, 64)
	for i, d := range ds {
		for j, v := range d.Pixels {
			row[j] = float32(v * DigitsScale)
		}
		xs[i], ys[i] = SparseRow(row), d.Label
	}
	return xs, ys
}

// TrainDigits trains the 8×8 digits model: MLP 64-32-10.
func TrainDigits(trainSet, testSet []Digit) (*Artifact, error) {
	cfg := Config{Dims: 64, Hidden: 32, Classes: 10, Epochs: 100, BatchSize: 16, LearningRate: 0.005, L2: 1e-4, Seed: 20260102}
	xs, ys := digitRows(trainSet)
	txs, tys := digitRows(testSet)
	m := Fit(xs, ys, cfg)
	b, err := ExportONNX(m, "digits_mlp", "1.0.0")
	if err != nil {
		return nil, err
	}
	labels := make([]string, 10)
	for i := range labels {
		labels[i] = strconv.Itoa(i)
	}
	a := &Artifact{ONNX: b, TrainAccuracy: m.Accuracy(xs, ys), TestAccuracy: m.Accuracy(txs, tys)}
	a.Manifest = model.Manifest{
		Name: "digits", Version: "1.0.0",
		Description: "handwritten digit in an 8×8 image: 64 pixel values 0-16, row by row; MLP 64-32-10",
		Task:        model.TaskTabular,
		Labels:      labels,
		Inputs:      []model.TensorInfo{{Name: InputName, DType: "float32", Shape: []int64{-1, 64}}},
		Output:      OutputName,
		Scores:      model.ScoresProbabilities,
		Tabular:     &model.TabularSpec{Input: InputName, Width: 64, Scale: DigitsScale},
		ONNX:        model.ONNXInfo{File: model.ONNXFile, SHA256: model.SHA256Hex(b), Bytes: int64(len(b)), Opset: Opset},
		Training: &model.Training{
			Data:  "UCI optical digits, 8x8, via scikit-learn's digits.csv.gz in Debian's python3-sklearn (BSD-3)",
			Split: DigitsSplitRule, Seed: cfg.Seed, Epochs: cfg.Epochs, Hidden: cfg.Hidden,
			TrainSize: len(trainSet), TestSize: len(testSet), Command: "make model-digits",
		},
	}
	return a, nil
}

// EvaluateDigits runs ds through a loaded model the way the server does.
func EvaluateDigits(m *model.Model, ds []Digit) (float64, error) {
	right := 0
	b := m.NewBatch(len(ds))
	for _, d := range ds {
		if err := m.AddRow(b, d.Pixels); err != nil {
			return 0, err
		}
	}
	preds, err := m.Predict(b)
	if err != nil {
		return 0, err
	}
	for i, p := range preds {
		if p.Label == strconv.Itoa(ds[i].Label) {
			right++
		}
	}
	return float64(right) / float64(len(ds)), nil
}
