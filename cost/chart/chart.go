// Package chart draws monthly cost against traffic for the feasible tiers
// of a placement decision, with the break-even and the expected traffic
// marked, as PNG or SVG (by the file's extension).
package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// Formats are the file extensions Plan writes.
var Formats = []string{".png", ".svg"}

// CheckPath reports whether path has an extension Plan can write.
func CheckPath(path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		if ext == f {
			return nil
		}
	}
	return fmt.Errorf("chart %q: extension %q is not one of %s", path, ext, strings.Join(Formats, ", "))
}

// Series is one tier's monthly cost at each traffic.
type Series struct {
	Tier     workload.Tier
	Requests []float64
	USD      []float64
}

// Range is the traffic range drawn around the expected traffic and the
// break-even: two decades below the smaller, two above the larger.
func Range(m placement.Model, d placement.Decision) (lo, hi float64) {
	a, b := math.Max(m.RequestsPerMonth, 1), math.Max(m.RequestsPerMonth, 1)
	if d.BreakEven != nil && d.BreakEven.RequestsPerMonth > 0 {
		a, b = math.Min(a, d.BreakEven.RequestsPerMonth), math.Max(b, d.BreakEven.RequestsPerMonth)
	}
	lo = math.Max(1, math.Pow(10, math.Floor(math.Log10(a))-2))
	hi = math.Pow(10, math.Ceil(math.Log10(b))+2)
	return lo, hi
}

// Curves prices every tier that is feasible at the expected traffic at n
// log-spaced traffic levels between lo and hi.
func Curves(m placement.Model, d placement.Decision, p pricing.Prices, lo, hi float64, n int) []Series {
	var out []Series
	for _, o := range d.Options {
		if !o.Feasible {
			continue
		}
		s := Series{Tier: o.Tier}
		for i := range n {
			r := lo * math.Pow(hi/lo, float64(i)/float64(n-1))
			usd, ok := placement.CostAt(m, o.Tier, r, p)
			if !ok {
				continue
			}
			s.Requests, s.USD = append(s.Requests, r), append(s.USD, usd)
		}
		out = append(out, s)
	}
	return out
}

var palette = map[workload.Tier]color.RGBA{
	workload.TierLambda:              {R: 0xe4, G: 0x57, B: 0x0b, A: 0xff},
	workload.TierFargate:             {R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	workload.TierSageMakerServerless: {R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	workload.TierSageMakerRealtime:   {R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	workload.TierSageMakerAsync:      {R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
}

// minUSD keeps a log axis finite at zero cost.
const minUSD = 0.01

// Plan draws the cost curves of d to path (.png or .svg).
func Plan(path string, m placement.Model, d placement.Decision, p pricing.Prices) error {
	if err := CheckPath(path); err != nil {
		return err
	}
	lo, hi := Range(m, d)
	series := Curves(m, d, p, lo, hi, 160)
	if len(series) == 0 {
		return errors.New("chart: no feasible tier to draw")
	}
	pl := plot.New()
	pl.Title.Text = "Monthly cost by traffic (costguard plan)"
	pl.X.Label.Text = "requests per month"
	pl.Y.Label.Text = "USD per month"
	pl.X.Scale, pl.Y.Scale = plot.LogScale{}, plot.LogScale{}
	pl.X.Tick.Marker, pl.Y.Tick.Marker = numberTicks{}, numberTicks{dollars: true}
	pl.Legend.Top, pl.Legend.Left = true, true
	pl.Add(plotter.NewGrid())

	ymin, ymax := math.Inf(1), 0.0
	for _, s := range series {
		pts := make(plotter.XYs, len(s.Requests))
		for i := range s.Requests {
			pts[i].X, pts[i].Y = s.Requests[i], math.Max(s.USD[i], minUSD)
			ymin, ymax = math.Min(ymin, pts[i].Y), math.Max(ymax, pts[i].Y)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		l.Color, l.Width = palette[s.Tier], vg.Points(2)
		name := string(s.Tier)
		if s.Tier == d.Tier {
			// The chosen tier stands out: thicker, and named so in the legend.
			l.Width, name = vg.Points(4), name+" (chosen)"
		}
		pl.Add(l)
		pl.Legend.Add(name, l)
	}
	ymin, ymax = math.Max(ymin/2, minUSD), ymax*2
	pl.Y.Min, pl.Y.Max, pl.X.Min, pl.X.Max = ymin, ymax, lo, hi

	// mark draws a vertical line at x with a label at height frac of the
	// (log) y range; the two marks use different heights so their labels
	// never overlap when the traffic is close to the break-even.
	mark := func(x float64, label string, c color.Color, dashed bool, frac float64) error {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: ymin}, {X: x, Y: ymax}})
		if err != nil {
			return err
		}
		l.Color, l.Width = c, vg.Points(1)
		if dashed {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		pl.Add(l)
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x * 1.08, Y: ymin * math.Pow(ymax/ymin, frac)}}, Labels: []string{label}})
		if err != nil {
			return err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Color = c
			lb.TextStyle[i].XAlign = draw.XLeft
		}
		pl.Add(lb)
		return nil
	}
	// Every break-even, each label at its own height so none overlaps.
	for i, be := range d.BreakEvens {
		if be.RequestsPerMonth <= 0 {
			continue
		}
		label := fmt.Sprintf("break-even %s = %s: %s req/month ($%.0f)", be.PayPerUse, be.AlwaysOn, short(be.RequestsPerMonth), be.MonthlyUSD)
		if err := mark(be.RequestsPerMonth, label, color.Black, true, 0.06+0.08*float64(i+1)); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		// A dot on the crossing itself.
		sc, err := plotter.NewScatter(plotter.XYs{{X: be.RequestsPerMonth, Y: math.Max(be.MonthlyUSD, minUSD)}})
		if err != nil {
			return fmt.Errorf("chart: %w", err)
		}
		sc.GlyphStyle.Shape, sc.GlyphStyle.Radius, sc.GlyphStyle.Color = draw.CircleGlyph{}, vg.Points(4), color.Black
		pl.Add(sc)
	}
	if m.RequestsPerMonth > 0 {
		if err := mark(m.RequestsPerMonth, "expected "+short(m.RequestsPerMonth)+": "+string(d.Tier), color.Gray{Y: 0x70}, false, 0.03); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
	}
	if err := pl.Save(9*vg.Inch, 5.5*vg.Inch, path); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

func short(v float64) string {
	for _, u := range []struct {
		scale  float64
		suffix string
	}{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= u.scale {
			return sig3(v/u.scale) + u.suffix
		}
	}
	return sig3(v)
}

// sig3 formats v to three significant digits without an exponent.
func sig3(v float64) string {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// numberTicks labels a log axis's decades as numbers people read: 1k, 1M,
// $100, never a mix of 100000 and 1e+06.
type numberTicks struct{ dollars bool }

// Ticks implements plot.Ticker.
func (n numberTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.LogTicks{Prec: -1}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label == "" {
			continue
		}
		ticks[i].Label = short(ticks[i].Value)
		if n.dollars {
			ticks[i].Label = "$" + ticks[i].Label
		}
	}
	return ticks
}
