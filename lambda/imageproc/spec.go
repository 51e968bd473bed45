package imageproc

import (
	"errors"
	"fmt"
	"math"
)

// Defaults applied by [Spec.WithDefaults].
const (
	// DefaultMaxPixels is the decompression-bomb limit: 40 megapixels, more
	// than any camera photo a client should send to a small classifier, and
	// about 300 MB of decoded image and working buffers at most.
	DefaultMaxPixels int64 = 40_000_000
	// DefaultScale turns 8-bit values into [0, 1], as torchvision's ToTensor.
	DefaultScale float32 = 1.0 / 255
)

// Layouts and channel orders a [Spec] accepts.
const (
	LayoutNCHW = "NCHW"
	LayoutNHWC = "NHWC"
	OrderRGB   = "RGB"
	OrderBGR   = "BGR"
)

// maxSide bounds Height, Width and ResizeShorter so that Len and the resize
// geometry never overflow.
const maxSide = 1 << 14

var (
	// ImageNetMean is the default per-channel mean, in R, G, B order.
	ImageNetMean = [3]float32{0.485, 0.456, 0.406}
	// ImageNetStd is the default per-channel standard deviation, in R, G, B order.
	ImageNetStd = [3]float32{0.229, 0.224, 0.225}
)

// Spec describes how one image becomes one instance of a model's float32
// input tensor. The zero value of every field but Height and Width means
// "default"; resolve them with [Spec.WithDefaults] and check with
// [Spec.Validate] before calling [Spec.Preprocess].
type Spec struct {
	// Height and Width are the model's input size in pixels. Required.
	Height, Width int
	// ResizeShorter, when 0, resizes the image straight to Height×Width
	// (aspect ratio not kept; an image already that size is untouched).
	// When N > 0 the shorter side is resized to N keeping the aspect ratio
	// (torchvision's Resize(N)), then the centre Height×Width is cropped
	// (CenterCrop); N must be at least max(Height, Width). Default: 0.
	ResizeShorter int
	// Scale multiplies each 8-bit value before normalization.
	// Default: 1/255, as torchvision's ToTensor.
	Scale float32
	// Mean and Std normalize each channel: (v*Scale - Mean[c]) / Std[c].
	// Both are given in R, G, B order whatever ChannelOrder is.
	// Default: ImageNet's std when Std is all zero; ImageNet's mean when
	// Mean and Std are both all zero (a zero Mean with a Std set is kept).
	Mean, Std [3]float32
	// Layout is "NCHW" (channels first, torchvision's) or "NHWC"
	// (channels last, TensorFlow's). Default: "NCHW".
	Layout string
	// ChannelOrder is "RGB" or "BGR" (OpenCV/Caffe models). Default: "RGB".
	ChannelOrder string
	// MaxPixels refuses an image whose header declares more than this many
	// pixels (width × height) before anything is decoded, so a small file
	// claiming huge dimensions costs nothing. Default: [DefaultMaxPixels].
	MaxPixels int64
}

// WithDefaults returns a copy of s with every zero field replaced by its
// default. s itself is not modified.
func (s Spec) WithDefaults() Spec {
	if s.Scale == 0 {
		s.Scale = DefaultScale
	}
	if s.Std == [3]float32{} {
		// Std cannot be zero, so an all-zero Std means "unset"; Mean is
		// defaulted only with it, so that Mean {0, 0, 0} with a Std given
		// means a mean of zero.
		s.Std = ImageNetStd
		if s.Mean == [3]float32{} {
			s.Mean = ImageNetMean
		}
	}
	if s.Layout == "" {
		s.Layout = LayoutNCHW
	}
	if s.ChannelOrder == "" {
		s.ChannelOrder = OrderRGB
	}
	if s.MaxPixels == 0 {
		s.MaxPixels = DefaultMaxPixels
	}
	return s
}

// Validate reports every problem of s at once, one line each, naming the
// field, its value and what is allowed. Call it on the result of
// [Spec.WithDefaults]: zero values are problems here.
func (s Spec) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.Height < 1 || s.Height > maxSide {
		bad("height %d: must be between 1 and %d", s.Height, maxSide)
	}
	if s.Width < 1 || s.Width > maxSide {
		bad("width %d: must be between 1 and %d", s.Width, maxSide)
	}
	if s.ResizeShorter != 0 {
		need := max(s.Height, s.Width)
		if s.ResizeShorter < need || s.ResizeShorter > maxSide {
			bad("resize_shorter %d: must be 0 (resize straight to %dx%d) or between max(height, width) = %d and %d, so the centre crop fits",
				s.ResizeShorter, s.Height, s.Width, need, maxSide)
		}
	}
	if !finite(s.Scale) || s.Scale <= 0 {
		bad("scale %v: must be a positive finite number (1/255 for inputs in [0, 1])", s.Scale)
	}
	for c, name := range [3]string{"red", "green", "blue"} {
		if !finite(s.Mean[c]) {
			bad("mean[%d] (%s) %v: must be a finite number", c, name, s.Mean[c])
		}
		if !finite(s.Std[c]) || s.Std[c] <= 0 {
			bad("std[%d] (%s) %v: must be a positive finite number", c, name, s.Std[c])
		}
	}
	if s.Layout != LayoutNCHW && s.Layout != LayoutNHWC {
		bad("layout %q: must be %q or %q", s.Layout, LayoutNCHW, LayoutNHWC)
	}
	if s.ChannelOrder != OrderRGB && s.ChannelOrder != OrderBGR {
		bad("channel_order %q: must be %q or %q", s.ChannelOrder, OrderRGB, OrderBGR)
	}
	if s.MaxPixels < 1 {
		bad("max_pixels %d: must be at least 1 (default %d)", s.MaxPixels, DefaultMaxPixels)
	}
	return errors.Join(errs...)
}

// Len is the number of float32 values one image fills: 3 × Height × Width.
func (s Spec) Len() int { return 3 * s.Height * s.Width }

func finite(f float32) bool {
	return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0)
}
