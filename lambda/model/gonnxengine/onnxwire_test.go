package gonnxengine

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// skipped are the fields decodeONNX deliberately does not read, because
// gonnx never does.
var skipped = map[protoreflect.FullName]bool{
	"onnx.ModelProto.domain": true, "onnx.ModelProto.model_version": true, "onnx.ModelProto.doc_string": true,
	"onnx.ModelProto.metadata_props": true, "onnx.ModelProto.training_info": true, "onnx.ModelProto.functions": true,
	"onnx.GraphProto.doc_string": true, "onnx.GraphProto.value_info": true, "onnx.GraphProto.quantization_annotation": true,
	"onnx.NodeProto.doc_string": true, "onnx.AttributeProto.doc_string": true, "onnx.TensorProto.doc_string": true,
	"onnx.ValueInfoProto.doc_string": true, "onnx.TypeProto.denotation": true, "onnx.TensorShapeProto.Dimension.denotation": true,
}

func clearSkipped(m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case skipped[fd.FullName()]:
			m.Clear(fd)
		case fd.Message() != nil && fd.IsList():
			for i := 0; i < v.List().Len(); i++ {
				clearSkipped(v.List().Get(i).Message())
			}
		case fd.Message() != nil && !fd.IsMap():
			clearSkipped(v.Message())
		}
		return true
	})
	m.SetUnknown(nil)
}

// TestDecodeONNXMatchesProto decodes the committed model and gonnx's sample
// models both ways: where the fast decoder accepts a model, it must give
// exactly what proto.Unmarshal gives, less the fields gonnx never reads.
func TestDecodeONNXMatchesProto(t *testing.T) {
	files := []string{filepath.Join("..", "..", "models", "spam", model.ONNXFile)}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		samples, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)),
			"github.com", "advancedclimatesystems", "gonnx@v1.1.0", "sample_models", "onnx_models", "*.onnx"))
		files = append(files, samples...)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := &onnx.ModelProto{}
			if err := proto.Unmarshal(b, want); err != nil {
				if f == files[0] {
					t.Fatalf("proto.Unmarshal rejects the committed model: %v", err)
				}
				// gonnx's module ships some samples as Git LFS pointers.
				t.Skipf("proto.Unmarshal rejects the file too (%v): nothing to compare", err)
			}
			got, err := decodeONNX(b)
			if errors.Is(err, errWireUnsupported) {
				if f == files[0] {
					t.Fatal("the committed model must take the fast path: it is what the cold start loads")
				}
				t.Skip("outside the fast decoder's subset: Load falls back to proto.Unmarshal")
			}
			if err != nil {
				t.Fatal(err)
			}
			clearSkipped(want.ProtoReflect())
			if !proto.Equal(got, want) {
				t.Errorf("fast decoder and proto.Unmarshal disagree")
			}
			// The serving path puts large models' weights in an arena.
			if a := newFloatArena(len(b)); a != nil {
				defer a.release()
				got, err := decodeONNXInto(b, a.floats)
				if err != nil {
					t.Fatal(err)
				}
				if !proto.Equal(got, want) {
					t.Errorf("with the weights in the arena, fast decoder and proto.Unmarshal disagree")
				}
			}
		})
	}
}

func TestDecodeONNXRejectsGarbage(t *testing.T) {
	for name, b := range map[string][]byte{
		"text":      []byte("not a model"),
		"truncated": {0x3a, 0xff, 0x01},
		"empty":     nil,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeONNX(b); err == nil {
				t.Error("want an error")
			}
		})
	}
}
