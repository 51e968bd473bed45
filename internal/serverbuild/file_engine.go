package serverbuild

import "io/fs"

// File is a file copied into the output.
//
// This declaration is the same as the one on the packaging branch
// (serverbuild.go); it exists only so the engine branch builds alone.
// Delete this file when merging the two.
type File struct {
	// Name is its slash-separated path in the output, for example
	// lib/libonnxruntime.so.1. It may not leave the output directory.
	Name string
	// Source is the file to copy.
	Source string
	// Mode is its permission bits in the output. Default: 0644.
	Mode fs.FileMode
}
