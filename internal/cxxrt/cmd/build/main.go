// Command build builds the bundle's C++ runtime (see package cxxrt) for
// each -arch into the user cache, unless it is there, and prints the
// directories. `make deps` runs it after fetching ONNX Runtime.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/costguard-ml/costguard/internal/cxxrt"
)

func main() {
	arches := flag.String("arch", "amd64,arm64", "comma-separated architectures")
	force := flag.Bool("force", false, "rebuild even when the libraries are there")
	flag.Parse()
	for _, a := range strings.Split(*arches, ",") {
		dir, err := cxxrt.Dir(a)
		if err == nil {
			if *force {
				err = cxxrt.Build(a, dir)
			} else {
				dir, err = cxxrt.Ensure(a)
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "build:", err)
			os.Exit(1)
		}
		fmt.Println(dir)
	}
}
