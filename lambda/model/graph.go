package model

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/costguard-ml/costguard/lambda/model/internal/pbwire"
	"google.golang.org/protobuf/encoding/protowire"
)

// Graph is what InspectONNX reads from a model file: enough to decide
// whether an engine can run it and how to feed it, without the weights.
type Graph struct {
	IRVersion int64
	// Opsets maps an operator domain to its imported version; "" is
	// ai.onnx.
	Opsets map[string]int64
	// Inputs are the graph inputs a caller must feed (initializers listed
	// as inputs, as older exporters do, are left out); Outputs are the
	// graph outputs.
	Inputs, Outputs []ValueInfo
	// Operators are the operators the graph and its subgraphs use, each
	// once, sorted by domain then type.
	Operators []Operator
	// Initializers is the number of weight tensors.
	Initializers int
	// producers maps each top-level node output to the node's operator.
	producers map[string]Operator
}

// Producer returns the operator of the top-level node that computes the
// value called name (a graph output, say).
func (g *Graph) Producer(name string) (Operator, bool) {
	op, ok := g.producers[name]
	return op, ok
}

// ValueInfo describes a graph input or output.
type ValueInfo struct {
	Name string
	// DType is the element type's name: "float32", "int64", "string", …;
	// "sequence", "map" or "optional" for non-tensor values.
	DType string
	Dims  []Dim
}

// Dim is one axis of a shape.
type Dim struct {
	// Size is the fixed length, -1 when the axis is dynamic.
	Size int64
	// Param names a dynamic axis ("batch"), when the exporter named it.
	Param string
}

// Operator is an operator type in a domain ("" is ai.onnx).
type Operator struct {
	Domain, Type string
}

// String returns "Type" for ai.onnx operators and "domain.Type" for others.
func (o Operator) String() string {
	if o.Domain == "" {
		return o.Type
	}
	return o.Domain + "." + o.Type
}

// elemTypes names TensorProto.DataType values.
var elemTypes = map[uint64]string{
	1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string",
	9: "bool", 10: "float16", 11: "float64", 12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128",
	16: "bfloat16",
}

// InspectONNX reads a model's header, graph signature and operator list from
// its bytes. Weights are skipped, not decoded, so it takes microseconds even
// for large models.
func InspectONNX(b []byte) (*Graph, error) {
	g := &Graph{Opsets: map[string]int64{}, producers: map[string]Operator{}}
	var graph []byte
	err := pbwire.Fields(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			g.IRVersion = int64(x)
		case 7:
			graph = v
		case 8:
			var dom string
			var ver int64
			if err := pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, x uint64) error {
				switch num {
				case 1:
					dom = string(v)
				case 2:
					ver = int64(x)
				}
				return nil
			}); err != nil {
				return err
			}
			g.Opsets[normDomain(dom)] = ver
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("not an ONNX model: %w", err)
	}
	if graph == nil {
		return nil, errors.New("not an ONNX model: no graph")
	}
	ops := map[Operator]bool{}
	var inputs []ValueInfo
	inits := map[string]bool{}
	err = pbwire.Fields(graph, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case 1:
			op, err := nodeOps(v, ops)
			if err != nil {
				return err
			}
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, out []byte, _ uint64) error {
				if num == 2 {
					g.producers[string(out)] = op
				}
				return nil
			})
		case 5:
			g.Initializers++
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
				if num == 8 {
					inits[string(v)] = true
				}
				return nil
			})
		case 11, 12:
			vi, err := valueInfo(v)
			if num == 11 {
				inputs = append(inputs, vi)
			} else {
				g.Outputs = append(g.Outputs, vi)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bad ONNX graph: %w", err)
	}
	for _, in := range inputs {
		if !inits[in.Name] {
			g.Inputs = append(g.Inputs, in)
		}
	}
	for op := range ops {
		g.Operators = append(g.Operators, op)
	}
	slices.SortFunc(g.Operators, func(a, b Operator) int {
		return cmp.Or(cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Type, b.Type))
	})
	return g, nil
}

func normDomain(d string) string {
	if d == "ai.onnx" {
		return ""
	}
	return d
}

// nodeOps adds a NodeProto's operator, and those of its graph-valued
// attributes (If, Loop, Scan bodies), to ops, and returns the node's own.
func nodeOps(b []byte, ops map[Operator]bool) (Operator, error) {
	var op Operator
	err := pbwire.Fields(b, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case 4:
			op.Type = string(v)
		case 7:
			op.Domain = normDomain(string(v))
		case 5:
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
				if num != 6 && num != 11 { // g, graphs
					return nil
				}
				return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
					if num == 1 {
						_, err := nodeOps(v, ops)
						return err
					}
					return nil
				})
			})
		}
		return nil
	})
	ops[op] = true
	return op, err
}

func valueInfo(b []byte) (ValueInfo, error) {
	var vi ValueInfo
	err := pbwire.Fields(b, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
		switch num {
		case 1:
			vi.Name = string(v)
		case 2: // TypeProto
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
				switch num {
				case 1: // tensor_type
					return tensorType(&vi, v)
				case 4:
					vi.DType = "sequence"
				case 5:
					vi.DType = "map"
				case 9:
					vi.DType = "optional"
				case 8:
					vi.DType = "sparse_tensor"
				}
				return nil
			})
		}
		return nil
	})
	return vi, err
}

func tensorType(vi *ValueInfo, b []byte) error {
	return pbwire.Fields(b, func(num protowire.Number, _ protowire.Type, v []byte, x uint64) error {
		switch num {
		case 1:
			if n, ok := elemTypes[x]; ok {
				vi.DType = n
			} else {
				vi.DType = "elem_type(" + strconv.FormatUint(x, 10) + ")"
			}
		case 2:
			return pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, _ uint64) error {
				if num != 1 {
					return nil
				}
				d := Dim{Size: -1}
				err := pbwire.Fields(v, func(num protowire.Number, _ protowire.Type, v []byte, x uint64) error {
					switch num {
					case 1:
						d.Size = int64(x)
					case 2:
						d.Param = string(v)
					}
					return nil
				})
				vi.Dims = append(vi.Dims, d)
				return err
			})
		}
		return nil
	})
}

// ORT's limits for CheckEngine, measured on ONNX Runtime 1.24.1 (it refuses
// a model that imports ai.onnx 26 or ai.onnx.ml 6 at load: "current
// official support for domain ai.onnx is till opset 25"). Contrib operators
// (com.microsoft) are ORT's own.
const (
	ortMaxOpset   = 25
	ortMaxMLOpset = 5
)

// engineChecks hold each engine's support rule, keyed by engine name. They
// are pure Go, so a binary without the engine can still check for it.
var engineChecks = map[string]func(g *Graph) error{
	"onnxruntime": checkORT,
	"gonnx":       checkGonnx,
	"gomlx":       checkGomlx,
}

// CheckEngine reports, in one line, the first reason the named engine
// cannot run g: an operator it lacks or an opset it does not implement.
func CheckEngine(name string, g *Graph) error {
	check, ok := engineChecks[name]
	if !ok {
		return fmt.Errorf("engine %q is not known: want one of %q", name, KnownEngines())
	}
	return check(g)
}

// KnownEngines lists, sorted, every engine CheckEngine can check for, built
// into this binary or not (costguard model init checks a model for the
// engine of the build that will serve it).
func KnownEngines() []string {
	known := make([]string, 0, len(engineChecks))
	for n := range engineChecks {
		known = append(known, n)
	}
	slices.Sort(known)
	return known
}

func domainName(d string) string {
	if d == "" {
		return "ai.onnx"
	}
	return d
}

func checkORT(g *Graph) error {
	if v := g.Opsets[""]; v > ortMaxOpset {
		return fmt.Errorf("engine \"onnxruntime\" cannot run ai.onnx opset %d: ONNX Runtime implements up to %d; export with opset ≤ %d", v, ortMaxOpset, ortMaxOpset)
	}
	if v := g.Opsets["ai.onnx.ml"]; v > ortMaxMLOpset {
		return fmt.Errorf("engine \"onnxruntime\" cannot run ai.onnx.ml opset %d: ONNX Runtime implements up to %d", v, ortMaxMLOpset)
	}
	for _, op := range g.Operators {
		switch op.Domain {
		case "", "ai.onnx.ml", "com.microsoft":
		default:
			return fmt.Errorf("engine \"onnxruntime\" cannot run operator %s (domain %s): not an ONNX Runtime domain (ai.onnx, ai.onnx.ml, com.microsoft)", op.Type, op.Domain)
		}
	}
	return nil
}

// gonnxOps is gonnx v1.1.0's operator list (opset13.GetOpNames()), written
// out so that checking a model for gonnx does not link gonnx: the native
// build leaves the engine out (package gonnxengine). TestGonnxOps keeps the
// two equal.
var gonnxOps = []string{
	"Abs", "Acos", "Acosh", "Add", "And", "Asin", "Asinh", "Atan", "Atanh", "Cast", "Concat", "Constant",
	"ConstantOfShape", "Conv", "Cos", "Cosh", "Div", "Equal", "Flatten", "GRU", "Gather", "Gemm", "Greater",
	"GreaterOrEqual", "LSTM", "Less", "LessOrEqual", "LinearRegressor", "MatMul", "Mul", "Not", "Or", "PRelu",
	"RNN", "Relu", "Reshape", "Scaler", "Shape", "Sigmoid", "Sin", "Sinh", "Slice", "Softmax", "Squeeze", "Sub",
	"Tan", "Tanh", "Transpose", "Unsqueeze", "Xor",
}

func checkGonnx(g *Graph) error {
	// gonnx picks its operator set from the highest imported version and
	// has only opset 13.
	var top int64
	var topDomain string
	for d, v := range g.Opsets {
		if v > top || (v == top && d < topDomain) {
			top, topDomain = v, d
		}
	}
	if top != 13 {
		return fmt.Errorf("engine \"gonnx\" cannot run %s opset %d: it implements opset 13 only; use engine \"onnxruntime\"", domainName(topDomain), top)
	}
	for _, op := range g.Operators {
		if !slices.Contains(gonnxOps, op.Type) {
			return fmt.Errorf("engine \"gonnx\" cannot run operator %s (%s opset %d); use engine \"onnxruntime\"", op.Type, domainName(op.Domain), g.Opsets[op.Domain])
		}
	}
	return nil
}

// gomlxOps is what github.com/gomlx/onnx-gomlx v0.3.4 converts (the cases
// of its convertNode), all in the ai.onnx domain, any opset.
var gomlxOps = []string{
	"Abs", "Add", "And", "AveragePool", "BatchNormalization", "BitwiseAnd", "BitwiseNot", "BitwiseOr", "BitwiseXor",
	"Cast", "Ceil", "Clip", "Concat", "Constant", "ConstantOfShape", "Conv", "Cos", "CumSum", "DequantizeLinear", "Div",
	"DynamicQuantizeLinear", "Equal", "Erf", "Exp", "Expand", "Flatten", "Floor", "Gather", "GatherElements", "Gemm",
	"GlobalAveragePool", "Greater", "GreaterOrEqual", "Identity", "If", "LSTM", "LayerNormalization", "Less",
	"LessOrEqual", "Log", "MatMul", "MatMulInteger", "Max", "MaxPool", "Min", "Mul", "Neg", "Not", "Or", "Pad", "Pow",
	"QLinearMatMul", "QuantizeLinear", "Range", "ReduceMean", "Relu", "Reshape", "ScatterND", "Shape", "Sign", "Sin",
	"Slice", "Softmax", "Split", "Sqrt", "Squeeze", "Sub", "Tanh", "Tile", "Transpose", "Trilu", "Unsqueeze", "Where",
	"Xor",
}

func checkGomlx(g *Graph) error {
	for _, op := range g.Operators {
		if op.Domain != "" || !slices.Contains(gomlxOps, op.Type) {
			return fmt.Errorf("engine \"gomlx\" cannot run operator %s (%s opset %d); use engine \"onnxruntime\"", op.Type, domainName(op.Domain), g.Opsets[op.Domain])
		}
	}
	return nil
}
