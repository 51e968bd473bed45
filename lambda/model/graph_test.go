package model_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"github.com/costguard-ml/costguard/lambda/model"
	"google.golang.org/protobuf/proto"
)

// tensorsGraph builds a small opset-13 graph with named dynamic axes, an
// int64 input, int64 outputs and an initializer listed among the inputs:
//
//	label = ArgMax(x * scale, axis 1), probs = Softmax(x * scale), twice = ids + ids
func tensorsGraph(t testing.TB) []byte {
	t.Helper()
	dim := func(param string, size int64) *onnx.TensorShapeProto_Dimension {
		if param != "" {
			return &onnx.TensorShapeProto_Dimension{Value: &onnx.TensorShapeProto_Dimension_DimParam{DimParam: param}}
		}
		return &onnx.TensorShapeProto_Dimension{Value: &onnx.TensorShapeProto_Dimension_DimValue{DimValue: size}}
	}
	vi := func(name string, elem onnx.TensorProto_DataType, dims ...*onnx.TensorShapeProto_Dimension) *onnx.ValueInfoProto {
		return &onnx.ValueInfoProto{Name: name, Type: &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{TensorType: &onnx.TypeProto_Tensor{
			ElemType: int32(elem), Shape: &onnx.TensorShapeProto{Dim: dims},
		}}}}
	}
	attrInt := func(name string, v int64) *onnx.AttributeProto {
		return &onnx.AttributeProto{Name: name, I: v, Type: onnx.AttributeProto_INT}
	}
	mp := &onnx.ModelProto{
		IrVersion:   7,
		OpsetImport: []*onnx.OperatorSetIdProto{{Domain: "", Version: 13}},
		Graph: &onnx.GraphProto{
			Name: "tensors",
			Node: []*onnx.NodeProto{
				{OpType: "Mul", Input: []string{"x", "scale"}, Output: []string{"y"}},
				{OpType: "ArgMax", Input: []string{"y"}, Output: []string{"label"}, Attribute: []*onnx.AttributeProto{attrInt("axis", 1), attrInt("keepdims", 0)}},
				{OpType: "Softmax", Input: []string{"y"}, Output: []string{"probs"}, Attribute: []*onnx.AttributeProto{attrInt("axis", 1)}},
				{OpType: "Add", Input: []string{"ids", "ids"}, Output: []string{"twice"}},
			},
			Initializer: []*onnx.TensorProto{{Name: "scale", DataType: int32(onnx.TensorProto_FLOAT), FloatData: []float32{2}}},
			Input: []*onnx.ValueInfoProto{
				vi("x", onnx.TensorProto_FLOAT, dim("batch", 0), dim("", 4)),
				vi("ids", onnx.TensorProto_INT64, dim("batch", 0), dim("seq", 0)),
				vi("scale", onnx.TensorProto_FLOAT),
			},
			Output: []*onnx.ValueInfoProto{
				vi("label", onnx.TensorProto_INT64, dim("batch", 0)),
				vi("probs", onnx.TensorProto_FLOAT, dim("batch", 0), dim("", 4)),
				vi("twice", onnx.TensorProto_INT64, dim("batch", 0), dim("seq", 0)),
			},
		},
	}
	b, err := proto.Marshal(mp)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInspectONNX(t *testing.T) {
	spam, err := os.ReadFile(filepath.Join(spamDir, model.ONNXFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		onnx []byte
		want *model.Graph
	}{
		{"spam MLP", spam, &model.Graph{
			IRVersion: 7, Opsets: map[string]int64{"": 13},
			Inputs:       []model.ValueInfo{{Name: "features", DType: "float32", Dims: []model.Dim{{Size: -1, Param: "batch"}, {Size: 4096}}}},
			Outputs:      []model.ValueInfo{{Name: "probabilities", DType: "float32", Dims: []model.Dim{{Size: -1, Param: "batch"}, {Size: 2}}}},
			Operators:    []model.Operator{{Type: "Add"}, {Type: "MatMul"}, {Type: "Relu"}, {Type: "Softmax"}},
			Initializers: 4,
		}},
		{"int64 tensors, initializer among the inputs", tensorsGraph(t), &model.Graph{
			IRVersion: 7, Opsets: map[string]int64{"": 13},
			Inputs: []model.ValueInfo{
				{Name: "x", DType: "float32", Dims: []model.Dim{{Size: -1, Param: "batch"}, {Size: 4}}},
				{Name: "ids", DType: "int64", Dims: []model.Dim{{Size: -1, Param: "batch"}, {Size: -1, Param: "seq"}}},
			},
			Outputs: []model.ValueInfo{
				{Name: "label", DType: "int64", Dims: []model.Dim{{Size: -1, Param: "batch"}}},
				{Name: "probs", DType: "float32", Dims: []model.Dim{{Size: -1, Param: "batch"}, {Size: 4}}},
				{Name: "twice", DType: "int64", Dims: []model.Dim{{Size: -1, Param: "batch"}, {Size: -1, Param: "seq"}}},
			},
			Operators:    []model.Operator{{Type: "Add"}, {Type: "ArgMax"}, {Type: "Mul"}, {Type: "Softmax"}},
			Initializers: 1,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, err := model.InspectONNX(tt.onnx)
			if err != nil {
				t.Fatal(err)
			}
			for _, out := range g.Outputs {
				if _, ok := g.Producer(out.Name); !ok {
					t.Errorf("output %q has no producer", out.Name)
				}
			}
			// The signature only: which node computes what is checked above.
			got := model.Graph{IRVersion: g.IRVersion, Opsets: g.Opsets, Inputs: g.Inputs, Outputs: g.Outputs, Operators: g.Operators, Initializers: g.Initializers}
			if !reflect.DeepEqual(&got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", &got, tt.want)
			}
		})
	}
	t.Run("producers", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(spamDir, model.ONNXFile))
		if err != nil {
			t.Fatal(err)
		}
		g, err := model.InspectONNX(b)
		if err != nil {
			t.Fatal(err)
		}
		if op, ok := g.Producer("probabilities"); !ok || op != (model.Operator{Type: "Softmax"}) {
			t.Errorf("Producer(probabilities) = %v, %v; want Softmax", op, ok)
		}
		if _, ok := g.Producer("features"); ok {
			t.Error("a graph input has a producer")
		}
	})
	if _, err := model.InspectONNX([]byte("not a model")); err == nil {
		t.Error("garbage inspected without error")
	}
}

func TestCheckEngine(t *testing.T) {
	mlp := &model.Graph{Opsets: map[string]int64{"": 13}, Operators: []model.Operator{{Type: "Gemm"}, {Type: "Relu"}, {Type: "Softmax"}}}
	mobilenet := &model.Graph{Opsets: map[string]int64{"": 13}, Operators: []model.Operator{{Type: "Clip"}, {Type: "Conv"}, {Type: "GlobalAveragePool"}}}
	opset17 := &model.Graph{Opsets: map[string]int64{"": 17}, Operators: []model.Operator{{Type: "LayerNormalization"}}}
	forest := &model.Graph{Opsets: map[string]int64{"": 13, "ai.onnx.ml": 3}, Operators: []model.Operator{{Domain: "ai.onnx.ml", Type: "TreeEnsembleClassifier"}}}
	custom := &model.Graph{Opsets: map[string]int64{"": 13, "com.example": 1}, Operators: []model.Operator{{Domain: "com.example", Type: "Magic"}}}
	future := &model.Graph{Opsets: map[string]int64{"": 30}}
	for _, tt := range []struct {
		name, engine string
		g            *model.Graph
		want         string
	}{
		{"gonnx runs the MLP", "gonnx", mlp, ""},
		{"onnxruntime runs the MLP", "onnxruntime", mlp, ""},
		{"gonnx lacks Clip", "gonnx", mobilenet, `engine "gonnx" cannot run operator Clip (ai.onnx opset 13); use engine "onnxruntime"`},
		{"onnxruntime runs MobileNet", "onnxruntime", mobilenet, ""},
		{"gonnx has opset 13 only", "gonnx", opset17, `engine "gonnx" cannot run ai.onnx opset 17: it implements opset 13 only; use engine "onnxruntime"`},
		{"onnxruntime runs opset 17", "onnxruntime", opset17, ""},
		{"onnxruntime runs ai.onnx.ml", "onnxruntime", forest, ""},
		{"gonnx lacks ai.onnx.ml classifiers", "gonnx", forest, `engine "gonnx" cannot run operator TreeEnsembleClassifier (ai.onnx.ml opset 3); use engine "onnxruntime"`},
		{"onnxruntime rejects a custom domain", "onnxruntime", custom, `engine "onnxruntime" cannot run operator Magic (domain com.example): not an ONNX Runtime domain (ai.onnx, ai.onnx.ml, com.microsoft)`},
		{"onnxruntime rejects a future opset", "onnxruntime", future, `engine "onnxruntime" cannot run ai.onnx opset 30: ONNX Runtime implements up to 25; export with opset ≤ 25`},
		{"gomlx runs MobileNet", "gomlx", mobilenet, ""},
		{"gomlx runs opset 17", "gomlx", opset17, ""},
		{"gomlx lacks ai.onnx.ml", "gomlx", forest, `engine "gomlx" cannot run operator TreeEnsembleClassifier (ai.onnx.ml opset 3); use engine "onnxruntime"`},
		{"unknown engine", "tensorrt", mlp, `engine "tensorrt" is not known: want one of ["gomlx" "gonnx" "onnxruntime"]`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := model.CheckEngine(tt.engine, tt.g)
			if got := errString(err); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
