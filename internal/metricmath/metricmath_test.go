package metricmath

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestEval(t *testing.T) {
	tests := []struct {
		name   string
		expr   string
		values map[string]float64
		want   float64
		ok     bool
	}{
		{"number", "42", nil, 42, true},
		{"decimal", "0.0000002", nil, 0.0000002, true},
		{"precedence", "1 + 2 * 3", nil, 7, true},
		{"parentheses", "(1 + 2) * 3", nil, 9, true},
		{"left associative", "8 - 2 - 1", nil, 5, true},
		{"division", "1 / 4", nil, 0.25, true},
		{"unary minus", "-2 * -3", nil, 6, true},
		{"metric", "inv * 2", map[string]float64{"inv": 5}, 10, true},
		{"missing metric", "inv * 2", nil, 0, false},
		{"missing propagates", "inv + dur", map[string]float64{"inv": 1}, 0, false},
		{"fill missing", "FILL(inv, 0) + 1", nil, 1, true},
		{"fill present", "FILL(inv, 7)", map[string]float64{"inv": 3}, 3, true},
		{"fill negative", "FILL(inv, -1)", nil, -1, true},
		{"divide by zero is missing", "1 / inv", map[string]float64{"inv": 0}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := Eval(tt.expr, tt.values)
			if err != nil {
				t.Fatalf("Eval(%q): %v", tt.expr, err)
			}
			if ok != tt.ok || (ok && math.Abs(got-tt.want) > 1e-15) {
				t.Errorf("Eval(%q) = %g, %v; want %g, %v", tt.expr, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name, expr, want string
	}{
		{"empty", "", "unexpected end"},
		{"dangling operator", "1 +", "unexpected end"},
		{"unclosed", "(1 + 2", `want ")"`},
		{"unknown function", "SUM(inv)", "not a metric id"},
		{"fill needs number", "FILL(inv, dur)", "FILL wants a number"},
		{"trailing", "1 2", "unexpected"},
		{"bad character", "inv % 2", "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Eval(tt.expr, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Eval(%q) error = %v, want containing %q", tt.expr, err, tt.want)
			}
		})
	}
}

func TestIDs(t *testing.T) {
	got, err := IDs("(FILL(inv, 0) * 0.2 + FILL(dur, 0)) * inv + req")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"inv", "dur", "req"}; !reflect.DeepEqual(got, want) {
		t.Errorf("IDs = %v, want %v", got, want)
	}
}

func TestPowerAndIf(t *testing.T) {
	for _, tc := range []struct {
		expr string
		vals map[string]float64
		want float64
		ok   bool
	}{
		{"2 ^ 3", nil, 8, true},
		{"2 ^ 3 ^ 2", nil, 512, true},
		{"-2 ^ 2", nil, -4, true},
		{"2.718281828459 ^ (-FILL(req, 0) / 300)", nil, 1, true},
		{"IF(FILL(u, 0) > 0, FILL(p, 0) / u, 0)", map[string]float64{"u": 0.5, "p": 1}, 2, true},
		{"IF(FILL(u, 0) > 0, FILL(p, 0) / u, 0)", nil, 0, true},
		{"IF(a >= 2, 1, 2)", map[string]float64{"a": 2}, 1, true},
		{"IF(a != 2, 1, 2)", map[string]float64{"a": 2}, 2, true},
		{"IF(a < 2, 1, 2)", nil, 0, false},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			got, ok, err := Eval(tc.expr, tc.vals)
			if err != nil || ok != tc.ok || (ok && math.Abs(got-tc.want) > 1e-9) {
				t.Errorf("Eval(%q) = %g, %t, %v; want %g, %t", tc.expr, got, ok, err, tc.want, tc.ok)
			}
		})
	}
	if _, _, err := Eval("IF(a > 1, 2)", nil); err == nil {
		t.Error("IF with two arguments: no error")
	}
}
