// Command fetch puts the pinned ONNX Runtime libraries (see package ortlib)
// into the user cache, or under -dir, for each -arch, and prints their
// paths. `make deps` runs it so that builds and tests are offline after.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/costguard-ml/costguard/internal/ortlib"
)

func main() {
	arches := flag.String("arch", "amd64,arm64", "comma-separated architectures")
	dir := flag.String("dir", "", "directory to keep the libraries in (default: the user cache)")
	flag.Parse()
	for _, a := range strings.Split(*arches, ",") {
		var (
			p   string
			err error
		)
		if *dir != "" {
			p, err = ortlib.EnsureIn(*dir, a)
		} else {
			p, err = ortlib.Ensure(a)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "fetch:", err)
			os.Exit(1)
		}
		fmt.Println(p)
	}
}
