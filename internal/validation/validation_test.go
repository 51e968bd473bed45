package validation

import (
	"errors"
	"testing"
)

func TestError(t *testing.T) {
	a, b := Problem("Image", "is required"), errors.New("MaxTasks: 0 is below 1")
	for _, tc := range []struct {
		name string
		err  error
		want string
		n    int
	}{
		{"joined", errors.Join(a, b), "App/Svc: Image: is required\nApp/Svc: MaxTasks: 0 is below 1", 2},
		{"single", a, "App/Svc: Image: is required", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := New("App/Svc", tc.err)
			if got := e.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if len(e.Problems) != tc.n {
				t.Errorf("Problems = %q, want %d", e.Problems, tc.n)
			}
			if !errors.Is(e, a) {
				t.Errorf("errors.Is(e, %v) = false, want true", a)
			}
		})
	}
}
