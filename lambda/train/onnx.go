package train

import (
	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	// The trainer checks the graphs it exports on gonnx, the engine they
	// are written for, in every build.
	_ "github.com/costguard-ml/costguard/lambda/model/gonnxengine"
)

// ONNX graph names.
const (
	InputName  = "features"
	OutputName = "probabilities"
	Opset      = 13
	// irVersion 7 is the IR that goes with opset 13.
	irVersion = 7
)

// ExportONNX writes m as an opset-13 graph:
//
//	probabilities = Softmax(Relu(features·W1 + B1)·W2 + B2, axis=1)
//
// with a dynamic batch dimension. Weights are stored as packed float32
// and the protobuf is marshalled deterministically, so equal weights give
// equal bytes.
func ExportONNX(m *MLP, graphName, producerVersion string) ([]byte, error) {
	// float_data (packed) rather than raw_data: gonnx hands float_data to
	// the tensor as it is, while it converts raw_data four bytes at a time,
	// which made loading the model the larger part of a cold start.
	f32 := func(name string, dims []int64, v []float64) *onnx.TensorProto {
		data := make([]float32, len(v))
		for i, x := range v {
			data[i] = float32(x)
		}
		return &onnx.TensorProto{Name: name, Dims: dims, DataType: int32(onnx.TensorProto_FLOAT), FloatData: data}
	}
	valueInfo := func(name string, dims ...*onnx.TensorShapeProto_Dimension) *onnx.ValueInfoProto {
		return &onnx.ValueInfoProto{Name: name, Type: &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{
			TensorType: &onnx.TypeProto_Tensor{ElemType: int32(onnx.TensorProto_FLOAT), Shape: &onnx.TensorShapeProto{Dim: dims}},
		}}}
	}
	batch := &onnx.TensorShapeProto_Dimension{Value: &onnx.TensorShapeProto_Dimension_DimParam{DimParam: "batch"}}
	fixed := func(n int) *onnx.TensorShapeProto_Dimension {
		return &onnx.TensorShapeProto_Dimension{Value: &onnx.TensorShapeProto_Dimension_DimValue{DimValue: int64(n)}}
	}
	node := func(op string, in []string, out string, attrs ...*onnx.AttributeProto) *onnx.NodeProto {
		return &onnx.NodeProto{OpType: op, Input: in, Output: []string{out}, Name: out, Attribute: attrs}
	}
	D, H, C := int64(m.Dims), int64(m.Hidden), int64(m.Classes)
	g := &onnx.GraphProto{
		Name: graphName,
		Node: []*onnx.NodeProto{
			node("MatMul", []string{InputName, "W1"}, "hidden_mm"),
			node("Add", []string{"hidden_mm", "B1"}, "hidden_pre"),
			node("Relu", []string{"hidden_pre"}, "hidden"),
			node("MatMul", []string{"hidden", "W2"}, "logits_mm"),
			node("Add", []string{"logits_mm", "B2"}, "logits"),
			node("Softmax", []string{"logits"}, OutputName,
				&onnx.AttributeProto{Name: "axis", Type: onnx.AttributeProto_INT, I: 1}),
		},
		Initializer: []*onnx.TensorProto{
			f32("W1", []int64{D, H}, m.W1),
			f32("B1", []int64{H}, m.B1),
			f32("W2", []int64{H, C}, m.W2),
			f32("B2", []int64{C}, m.B2),
		},
		Input:  []*onnx.ValueInfoProto{valueInfo(InputName, batch, fixed(m.Dims))},
		Output: []*onnx.ValueInfoProto{valueInfo(OutputName, batch, fixed(m.Classes))},
	}
	mp := &onnx.ModelProto{
		IrVersion:       irVersion,
		OpsetImport:     []*onnx.OperatorSetIdProto{{Domain: "", Version: Opset}},
		ProducerName:    "costguard",
		ProducerVersion: producerVersion,
		Graph:           g,
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(mp)
}
