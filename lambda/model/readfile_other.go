//go:build !unix

package model

import "os"

// readModelFile returns the bytes of the ONNX file at path and a function
// that releases them; the bytes must not be used after release.
func readModelFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	b, err := readAll(f, size)
	return b, func() {}, err
}
