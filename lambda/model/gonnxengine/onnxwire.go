package gonnxengine

import (
	"errors"
	"fmt"
	"math"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"github.com/costguard-ml/costguard/lambda/model/internal/pbwire"
	"google.golang.org/protobuf/encoding/protowire"
)

// errWireUnsupported makes decodeONNX hand over to proto.Unmarshal.
var errWireUnsupported = errors.New("onnx field outside the fast decoder's subset")

// decodeONNX decodes the part of an ONNX ModelProto that gonnx reads
// (opset imports, nodes and attributes, initializers, graph inputs and
// outputs) straight from the wire with protowire.
//
// Why: proto.Unmarshal first builds the reflection descriptors of the whole
// onnx.proto file, which on a cold Lambda start cost more than everything
// else in loading a small model. Fields gonnx never reads are skipped; a
// field it might need but this decoder does not handle (tensor-valued or
// graph-valued attributes, external or segmented tensor data, sparse
// initializers, non-tensor types) returns errWireUnsupported, and the caller
// falls back to proto.Unmarshal.
func decodeONNX(b []byte) (*onnx.ModelProto, error) { return decodeONNXInto(b, nil) }

// floatAlloc returns a float32 slice of length n for a tensor's data; nil
// means make.
type floatAlloc func(n int) []float32

// decodeONNXInto is decodeONNX with the initializers' float data placed in
// memory from alloc.
func decodeONNXInto(b []byte, alloc floatAlloc) (*onnx.ModelProto, error) {
	mp := &onnx.ModelProto{}
	err := pbwire.Fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			mp.IrVersion = int64(x)
		case 2:
			mp.ProducerName = string(v)
		case 3:
			mp.ProducerVersion = string(v)
		case 7:
			g, err := decodeGraph(v, alloc)
			mp.Graph = g
			return err
		case 8:
			op := &onnx.OperatorSetIdProto{}
			mp.OpsetImport = append(mp.OpsetImport, op)
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, x uint64) error {
				switch num {
				case 1:
					op.Domain = string(v)
				case 2:
					op.Version = int64(x)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if mp.Graph == nil {
		return nil, errWireUnsupported
	}
	return mp, nil
}

func decodeGraph(b []byte, alloc floatAlloc) (*onnx.GraphProto, error) {
	g := &onnx.GraphProto{}
	err := pbwire.Fields(b, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case 1:
			n, err := decodeNode(v)
			g.Node = append(g.Node, n)
			return err
		case 2:
			g.Name = string(v)
		case 5:
			t, err := decodeTensor(v, alloc)
			g.Initializer = append(g.Initializer, t)
			return err
		case 11, 12:
			vi, err := decodeValueInfo(v)
			if num == 11 {
				g.Input = append(g.Input, vi)
			} else {
				g.Output = append(g.Output, vi)
			}
			return err
		case 15: // sparse_initializer
			return errWireUnsupported
		}
		return nil
	})
	return g, err
}

func decodeNode(b []byte) (*onnx.NodeProto, error) {
	n := &onnx.NodeProto{}
	err := pbwire.Fields(b, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case 1:
			n.Input = append(n.Input, string(v))
		case 2:
			n.Output = append(n.Output, string(v))
		case 3:
			n.Name = string(v)
		case 4:
			n.OpType = string(v)
		case 5:
			a, err := decodeAttribute(v)
			n.Attribute = append(n.Attribute, a)
			return err
		case 7:
			n.Domain = string(v)
		}
		return nil
	})
	return n, err
}

func decodeAttribute(b []byte) (*onnx.AttributeProto, error) {
	a := &onnx.AttributeProto{}
	err := pbwire.Fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			a.Name = string(v)
		case 2:
			a.F = math.Float32frombits(uint32(x))
		case 3:
			a.I = int64(x)
		case 4:
			a.S = append([]byte(nil), v...)
		case 7:
			return appendFloats(&a.Floats, typ, v, x, nil)
		case 8:
			return appendInt64s(&a.Ints, typ, v, x)
		case 9:
			a.Strings = append(a.Strings, append([]byte(nil), v...))
		case 20:
			a.Type = onnx.AttributeProto_AttributeType(x)
		case 21:
			a.RefAttrName = string(v)
		case 5, 6, 10, 11, 14, 15, 22, 23: // tensors, graphs, type protos, sparse tensors
			return errWireUnsupported
		}
		return nil
	})
	return a, err
}

func decodeTensor(b []byte, alloc floatAlloc) (*onnx.TensorProto, error) {
	t := &onnx.TensorProto{}
	err := pbwire.Fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			return appendInt64s(&t.Dims, typ, v, x)
		case 2:
			t.DataType = int32(x)
		case 4:
			return appendFloats(&t.FloatData, typ, v, x, alloc)
		case 5:
			var vals []int64
			if err := appendInt64s(&vals, typ, v, x); err != nil {
				return err
			}
			for _, n := range vals {
				t.Int32Data = append(t.Int32Data, int32(n))
			}
		case 7:
			return appendInt64s(&t.Int64Data, typ, v, x)
		case 8:
			t.Name = string(v)
		case 9:
			t.RawData = append([]byte(nil), v...)
		case 3, 6, 10, 11, 13, 14: // segment, strings, doubles, uint64s, external data
			return errWireUnsupported
		}
		return nil
	})
	return t, err
}

func decodeValueInfo(b []byte) (*onnx.ValueInfoProto, error) {
	vi := &onnx.ValueInfoProto{}
	err := pbwire.Fields(b, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case 1:
			vi.Name = string(v)
		case 2:
			tt := &onnx.TypeProto_Tensor{}
			vi.Type = &onnx.TypeProto{Value: &onnx.TypeProto_TensorType{TensorType: tt}}
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
				switch num {
				case 1:
					return decodeTensorType(tt, v)
				case 4, 5, 7, 8, 9: // sequence, map, opaque, sparse tensor, optional types
					return errWireUnsupported
				}
				return nil
			})
		}
		return nil
	})
	return vi, err
}

func decodeTensorType(tt *onnx.TypeProto_Tensor, b []byte) error {
	return pbwire.Fields(b, func(num protowire.Number, _ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			tt.ElemType = int32(x)
		case 2:
			tt.Shape = &onnx.TensorShapeProto{}
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
				if num != 1 {
					return nil
				}
				d := &onnx.TensorShapeProto_Dimension{}
				tt.Shape.Dim = append(tt.Shape.Dim, d)
				return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, x uint64) error {
					switch num {
					case 1:
						d.Value = &onnx.TensorShapeProto_Dimension_DimValue{DimValue: int64(x)}
					case 2:
						d.Value = &onnx.TensorShapeProto_Dimension_DimParam{DimParam: string(v)}
					}
					return nil
				})
			})
		}
		return nil
	})
}

// appendFloats reads a repeated float field, packed or not; packed runs go
// into a new slice from alloc (nil: make).
func appendFloats(dst *[]float32, typ protowire.Type, v []byte, x uint64, alloc floatAlloc) error {
	if typ == protowire.Fixed32Type {
		*dst = append(*dst, math.Float32frombits(uint32(x)))
		return nil
	}
	if typ != protowire.BytesType || len(v)%4 != 0 {
		return errWireUnsupported
	}
	var out []float32
	if n := len(*dst) + len(v)/4; alloc != nil {
		out = alloc(n)[:0]
	} else {
		out = make([]float32, 0, n)
	}
	out = append(out, *dst...)
	for len(v) > 0 {
		u, _ := protowire.ConsumeFixed32(v)
		out = append(out, math.Float32frombits(u))
		v = v[4:]
	}
	*dst = out
	return nil
}

// appendInt64s reads a repeated varint field, packed or not.
func appendInt64s(dst *[]int64, typ protowire.Type, v []byte, x uint64) error {
	if typ == protowire.VarintType {
		*dst = append(*dst, int64(x))
		return nil
	}
	if typ != protowire.BytesType {
		return errWireUnsupported
	}
	for len(v) > 0 {
		u, n := protowire.ConsumeVarint(v)
		if n < 0 {
			return fmt.Errorf("onnx: %w", protowire.ParseError(n))
		}
		*dst = append(*dst, int64(u))
		v = v[n:]
	}
	return nil
}
