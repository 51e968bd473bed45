package train

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// Sparse is one featurized example: the non-zero buckets in ascending order.
type Sparse struct {
	Idx []int32
	Val []float64
}

// SparseRow keeps the non-zero entries of a dense feature row.
func SparseRow(row []float32) Sparse {
	var s Sparse
	for i, v := range row {
		if v != 0 {
			s.Idx = append(s.Idx, int32(i))
			s.Val = append(s.Val, float64(v))
		}
	}
	return s
}

// Config holds the MLP's hyper-parameters.
type Config struct {
	Dims, Hidden, Classes int
	Epochs, BatchSize     int
	LearningRate          float64
	L2                    float64
	Seed                  uint64
}

// MLP is a one-hidden-layer perceptron: softmax(relu(x·W1 + B1)·W2 + B2).
// Weights are row-major: W1 is Dims×Hidden, W2 is Hidden×Classes.
type MLP struct {
	Dims, Hidden, Classes int
	W1, B1, W2, B2        []float64
}

// adam keeps the optimizer state for one parameter slice.
type adam struct{ m, v []float64 }

func newAdam(n int) adam { return adam{m: make([]float64, n), v: make([]float64, n)} }

func (a adam) step(p, g []float64, lr, c1, c2 float64) {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for i := range p {
		a.m[i] = float64(b1*a.m[i]) + float64((1-b1)*g[i])
		a.v[i] = float64(b2*a.v[i]) + float64((1-b2)*float64(g[i]*g[i]))
		mh := a.m[i] / c1
		vh := a.v[i] / c2
		p[i] -= lr * mh / (math.Sqrt(vh) + eps)
	}
}

// Fit trains an MLP on xs/ys (class indices) with mini-batch Adam. The
// result depends only on the inputs and cfg.Seed.
func Fit(xs []Sparse, ys []int, cfg Config) *MLP {
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	D, H, C := cfg.Dims, cfg.Hidden, cfg.Classes
	m := &MLP{Dims: D, Hidden: H, Classes: C,
		W1: make([]float64, D*H), B1: make([]float64, H),
		W2: make([]float64, H*C), B2: make([]float64, C)}
	// He initialisation for the ReLU layer, Glorot for the output layer.
	s1 := math.Sqrt(2.0 / float64(D))
	for i := range m.W1 {
		m.W1[i] = rng.NormFloat64() * s1
	}
	s2 := math.Sqrt(2.0 / float64(H+C))
	for i := range m.W2 {
		m.W2[i] = rng.NormFloat64() * s2
	}
	gW1, gB1 := make([]float64, D*H), make([]float64, H)
	gW2, gB2 := make([]float64, H*C), make([]float64, C)
	oW1, oB1, oW2, oB2 := newAdam(D*H), newAdam(H), newAdam(H*C), newAdam(C)
	z1, a1, p, dz1 := make([]float64, H), make([]float64, H), make([]float64, C), make([]float64, H)
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	t := 0
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for start := 0; start < len(order); start += cfg.BatchSize {
			end := min(start+cfg.BatchSize, len(order))
			clear(gW1)
			clear(gB1)
			clear(gW2)
			clear(gB2)
			for _, k := range order[start:end] {
				m.forward(xs[k], z1, a1, p)
				// Output layer: dL/dz2 = p - onehot(y).
				p[ys[k]] -= 1
				for h := 0; h < H; h++ {
					if a1[h] != 0 {
						floats.AddScaled(gW2[h*C:(h+1)*C], a1[h], p)
					}
					var s float64
					for c := 0; c < C; c++ {
						s += float64(m.W2[h*C+c] * p[c])
					}
					if z1[h] > 0 {
						dz1[h] = s
					} else {
						dz1[h] = 0
					}
				}
				floats.Add(gB2, p)
				floats.Add(gB1, dz1)
				x := xs[k]
				for j, idx := range x.Idx {
					floats.AddScaled(gW1[int(idx)*H:(int(idx)+1)*H], x.Val[j], dz1)
				}
			}
			n := float64(end - start)
			for _, g := range [][]float64{gW1, gB1, gW2, gB2} {
				floats.Scale(1/n, g)
			}
			if cfg.L2 > 0 {
				floats.AddScaled(gW1, cfg.L2, m.W1)
				floats.AddScaled(gW2, cfg.L2, m.W2)
			}
			t++
			c1 := 1 - math.Pow(0.9, float64(t))
			c2 := 1 - math.Pow(0.999, float64(t))
			oW1.step(m.W1, gW1, cfg.LearningRate, c1, c2)
			oB1.step(m.B1, gB1, cfg.LearningRate, c1, c2)
			oW2.step(m.W2, gW2, cfg.LearningRate, c1, c2)
			oB2.step(m.B2, gB2, cfg.LearningRate, c1, c2)
		}
	}
	return m
}

func (m *MLP) forward(x Sparse, z1, a1, p []float64) {
	H, C := m.Hidden, m.Classes
	copy(z1, m.B1)
	for j, idx := range x.Idx {
		floats.AddScaled(z1, x.Val[j], m.W1[int(idx)*H:(int(idx)+1)*H])
	}
	for h := range a1 {
		a1[h] = max(z1[h], 0)
	}
	copy(p, m.B2)
	for h := 0; h < H; h++ {
		if a1[h] != 0 {
			floats.AddScaled(p, a1[h], m.W2[h*C:(h+1)*C])
		}
	}
	mx := floats.Max(p)
	var sum float64
	for c := range p {
		p[c] = math.Exp(p[c] - mx)
		sum += p[c]
	}
	floats.Scale(1/sum, p)
}

// Predict returns the class probabilities for x.
func (m *MLP) Predict(x Sparse) []float64 {
	z1, a1, p := make([]float64, m.Hidden), make([]float64, m.Hidden), make([]float64, m.Classes)
	m.forward(x, z1, a1, p)
	return p
}

// Accuracy is the share of xs whose most probable class is ys.
func (m *MLP) Accuracy(xs []Sparse, ys []int) float64 {
	right := 0
	for i, x := range xs {
		if floats.MaxIdx(m.Predict(x)) == ys[i] {
			right++
		}
	}
	return float64(right) / float64(len(xs))
}
