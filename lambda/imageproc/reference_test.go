package imageproc

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestMatchesExporterTensor compares with the input tensors the models
// branch's exporter computes for the cnn test model (PIL decode, PIL
// BILINEAR resize for a 64×64 file, numpy float32 (v/255 - 0.5) / 0.5;
// testdata/gen_cnn_ref.py): bit for bit.
func TestMatchesExporterTensor(t *testing.T) {
	spec := Spec{Height: 32, Width: 32, Scale: 1.0 / 255, Mean: [3]float32{0.5, 0.5, 0.5}, Std: [3]float32{0.5, 0.5, 0.5}}
	for _, name := range []string{"digit3.png", "gray.png", "rgba.png", "other-size.png"} {
		t.Run(name, func(t *testing.T) {
			img, err := os.ReadFile(filepath.Join("testdata", "cnn", name))
			if err != nil {
				t.Fatal(err)
			}
			ref, err := os.ReadFile(filepath.Join("testdata", "cnn", name+".f32"))
			if err != nil {
				t.Fatal(err)
			}
			if len(ref) != 4*spec.Len() {
				t.Fatalf("reference holds %d bytes, want %d", len(ref), 4*spec.Len())
			}
			got := make([]float32, spec.Len())
			if err := spec.Preprocess(img, got); err != nil {
				t.Fatal(err)
			}
			diffs := 0
			for i, v := range got {
				want := math.Float32frombits(binary.LittleEndian.Uint32(ref[4*i:]))
				if v != want {
					if diffs < 5 {
						t.Errorf("value %d = %v, exporter %v", i, v, want)
					}
					diffs++
				}
			}
			if diffs > 0 {
				t.Errorf("%d of %d values differ", diffs, len(got))
			}
		})
	}
}
