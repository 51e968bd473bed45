//go:build !cgo || purego

package model

import "errors"

// WriteORTOptimized needs ONNX Runtime, which a build without cgo does not
// have; see the cgo build's documentation.
func WriteORTOptimized(dir, out string) error {
	return errors.New("writing an ONNX Runtime optimized graph needs a cgo build with ONNX Runtime")
}
