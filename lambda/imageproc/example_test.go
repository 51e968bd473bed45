package imageproc_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/costguard-ml/costguard/lambda/imageproc"
)

func Example() {
	// A MobileNet-style input: 224×224, ImageNet mean/std, NCHW (defaults).
	spec := imageproc.Spec{Height: 224, Width: 224, ResizeShorter: 256}.WithDefaults()
	if err := spec.Validate(); err != nil {
		panic(err)
	}

	// A request's image, already base64-decoded: here a 320×240 PNG.
	m := image.NewNRGBA(image.Rect(0, 0, 320, 240))
	for i := range m.Pix {
		m.Pix[i] = 255
	}
	var file bytes.Buffer
	_ = png.Encode(&file, m)

	// One instance's slot of a [N,3,224,224] batch tensor.
	batch := make([]float32, 2*spec.Len())
	if err := spec.Preprocess(file.Bytes(), batch[spec.Len():]); err != nil {
		panic(err)
	}
	fmt.Printf("%.4f\n", batch[spec.Len()]) // white: (1 - 0.485) / 0.229

	// Input problems are errors a server answers with 400.
	err := spec.Preprocess([]byte("GIF89a..."), batch[:spec.Len()])
	fmt.Println(err, errors.Is(err, imageproc.ErrFormat))
	// Output:
	// 2.2489
	// not a PNG or JPEG image (it looks like a GIF) true
}
