package imageproc

import (
	"math"
	"strings"
	"testing"
)

func TestWithDefaults(t *testing.T) {
	s := Spec{Height: 224, Width: 224}
	got := s.WithDefaults()
	want := Spec{Height: 224, Width: 224, Scale: 1.0 / 255, Mean: ImageNetMean, Std: ImageNetStd,
		Layout: "NCHW", ChannelOrder: "RGB", MaxPixels: DefaultMaxPixels}
	if got != want {
		t.Errorf("WithDefaults() = %+v, want %+v", got, want)
	}
	if s.Scale != 0 {
		t.Error("WithDefaults modified its receiver")
	}
	custom := Spec{Height: 1, Width: 1, Scale: 2, Mean: [3]float32{1, 0, 0}, Std: [3]float32{1, 1, 1},
		Layout: "NHWC", ChannelOrder: "BGR", MaxPixels: 5, ResizeShorter: 3}
	if got := custom.WithDefaults(); got != custom {
		t.Errorf("WithDefaults() changed set fields: %+v", got)
	}
	zeroMean := Spec{Height: 1, Width: 1, Std: [3]float32{1, 1, 1}}.WithDefaults()
	if zeroMean.Mean != ([3]float32{}) {
		t.Errorf("a zero Mean with a Std set became %v", zeroMean.Mean)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
	if got.Len() != 3*224*224 {
		t.Errorf("Len() = %d", got.Len())
	}
}

func TestValidate(t *testing.T) {
	ok := Spec{Height: 224, Width: 224}.WithDefaults()
	nan := float32(math.NaN())
	tests := []struct {
		name  string
		edit  func(*Spec)
		wants []string
	}{
		{"height zero", func(s *Spec) { s.Height = 0 }, []string{"height 0: must be between 1 and 16384"}},
		{"width too big", func(s *Spec) { s.Width = 20000 }, []string{"width 20000: must be between 1 and 16384"}},
		{"resize shorter below crop", func(s *Spec) { s.ResizeShorter = 200 },
			[]string{"resize_shorter 200: must be 0 (resize straight to 224x224) or between max(height, width) = 224 and 16384"}},
		{"scale negative", func(s *Spec) { s.Scale = -1 }, []string{"scale -1: must be a positive finite number"}},
		{"mean nan", func(s *Spec) { s.Mean[1] = nan }, []string{"mean[1] (green) NaN: must be a finite number"}},
		{"std zero", func(s *Spec) { s.Std[2] = 0 }, []string{"std[2] (blue) 0: must be a positive finite number"}},
		{"layout", func(s *Spec) { s.Layout = "CHW" }, []string{`layout "CHW": must be "NCHW" or "NHWC"`}},
		{"channel order", func(s *Spec) { s.ChannelOrder = "rgb" }, []string{`channel_order "rgb": must be "RGB" or "BGR"`}},
		{"max pixels", func(s *Spec) { s.MaxPixels = -1 }, []string{"max_pixels -1: must be at least 1"}},
		{"all at once", func(s *Spec) { s.Height, s.Layout, s.MaxPixels = -3, "x", -1 },
			[]string{"height -3", `layout "x"`, "max_pixels -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			err := s.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.wants) {
				t.Errorf("got %d lines, want %d: %q", len(lines), len(tt.wants), err)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid spec: %v", err)
	}
}

func TestGeometry(t *testing.T) {
	tests := []struct {
		name            string
		sw, sh, n, h, w int
		rw, rh, cx, cy  int
	}{
		{"direct", 640, 480, 0, 224, 224, 224, 224, 0, 0},
		{"landscape 256 crop 224", 640, 480, 256, 224, 224, 341, 256, 58, 16},
		{"portrait", 480, 640, 256, 224, 224, 256, 341, 16, 58},
		{"square", 500, 500, 256, 224, 224, 256, 256, 16, 16},
		{"half offset rounds to even (0.5 -> 0)", 101, 100, 100, 100, 100, 101, 100, 0, 0},
		{"half offset rounds to even (1.5 -> 2)", 103, 100, 100, 100, 100, 103, 100, 2, 0},
		{"half offset rounds to even (2.5 -> 2)", 105, 100, 100, 100, 100, 105, 100, 2, 0},
		{"int truncates", 300, 97, 100, 90, 80, 309, 100, 114, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Spec{Height: tt.h, Width: tt.w, ResizeShorter: tt.n}
			rw, rh, cx, cy := s.geometry(tt.sw, tt.sh)
			if rw != tt.rw || rh != tt.rh || cx != tt.cx || cy != tt.cy {
				t.Errorf("geometry(%d, %d) = %d×%d at (%d, %d), want %d×%d at (%d, %d)",
					tt.sw, tt.sh, rw, rh, cx, cy, tt.rw, tt.rh, tt.cx, tt.cy)
			}
		})
	}
}
