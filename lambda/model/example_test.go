package model_test

import (
	"fmt"
	"log"

	"github.com/costguard-ml/costguard/lambda/model"
)

// Load a model directory once, then featurize instances into a batch and
// predict. The batch can be reset and reused to avoid allocations.
func ExampleLoad() {
	m, err := model.Load("../models/spam", model.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	b := m.NewBatch(2)
	_ = m.AddText(b, "Make money fast working from home!!! Earn $5000 a week guaranteed. Order now.")
	_ = m.AddText(b, "Re: patch for the build script\n\nThanks, I applied it to CVS.")
	preds, err := m.Predict(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Manifest.Name, m.Manifest.Labels)
	for _, p := range preds {
		fmt.Println(p.Label)
	}
	// Output:
	// spam [ham spam]
	// spam
	// ham
}
