package cxxrt

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/ortlib"
)

// TestBuild builds the runtime for both architectures twice: the same
// bytes each time, no glibc symbol version past 2.34, and every versioned
// C++ symbol libonnxruntime.so.1 needs defined.
func TestBuild(t *testing.T) {
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			cc, _, pkg := toolchain(arch)
			if _, err := ortlib.Find(arch); err != nil {
				t.Skip(err)
			}
			a, b := t.TempDir(), t.TempDir()
			if err := Build(arch, a); err != nil {
				if strings.Contains(err.Error(), "install Debian's") {
					t.Skipf("%s or %s missing: %v", cc, pkg, err)
				}
				t.Fatal(err)
			}
			if err := Build(arch, b); err != nil {
				t.Fatal(err)
			}
			defined := map[string]bool{}
			for _, l := range Libs {
				x, _ := os.ReadFile(filepath.Join(a, l))
				y, _ := os.ReadFile(filepath.Join(b, l))
				if len(x) == 0 || !bytes.Equal(x, y) {
					t.Errorf("%s: two builds differ (%d and %d bytes)", l, len(x), len(y))
				}
				f, err := elf.Open(filepath.Join(a, l))
				if err != nil {
					t.Fatal(err)
				}
				imps, _ := f.ImportedSymbols()
				for _, s := range imps {
					if strings.HasPrefix(s.Version, "GLIBC_2.3") && s.Version > "GLIBC_2.34" {
						t.Errorf("%s needs %s@%s", l, s.Name, s.Version)
					}
				}
				syms, _ := f.DynamicSymbols()
				for _, s := range syms {
					if s.Section != elf.SHN_UNDEF {
						defined[s.Name+"@"+s.Version] = true
					}
				}
				f.Close()
			}
			ort, _ := ortlib.Find(arch)
			f, err := elf.Open(ort)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			imps, _ := f.ImportedSymbols()
			n := 0
			for _, s := range imps {
				if s.Library != "libstdc++.so.6" && s.Library != "libgcc_s.so.1" {
					continue
				}
				n++
				if !defined[s.Name+"@"+s.Version] {
					t.Errorf("%s needs %s@%s from %s, not defined by the rebuilt runtime", ortlib.LibName, s.Name, s.Version, s.Library)
				}
			}
			if n < 100 {
				t.Errorf("only %d C++ runtime imports found in %s", n, ort)
			}
		})
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range [][2]string{{"GLIBCXX_3.4.9", "GLIBCXX_3.4.10"}, {"GCC_3.0", "GCC_12.0.0"}, {"CXXABI_1.3", "CXXABI_1.3.1"}, {"CXXABI_1.3.13", "GLIBCXX_3.4"}} {
		if !versionLess(c[0], c[1]) || versionLess(c[1], c[0]) {
			t.Errorf("%s < %s does not hold", c[0], c[1])
		}
	}
}
