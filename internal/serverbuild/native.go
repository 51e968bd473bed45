package serverbuild

// The native (cgo) build of the model server: ONNX Runtime through cgo, for
// linux/amd64 and linux/arm64 from either host, and the shared libraries the
// Lambda zip carries in lib/.

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cxxrt"
	"github.com/costguard-ml/costguard/internal/ortlib"
)

// NativeLDFlags are the external linker flags of a native build: an RPATH
// (not a RUNPATH: --disable-new-dtags) of $ORIGIN/lib, so the executable's
// own dependencies resolve from lib/ next to it wherever the bundle is
// unpacked. libonnxruntime.so.1 carries a RUNPATH of $ORIGIN, so its
// dependencies resolve from lib/ too.
const NativeLDFlags = "-Wl,--disable-new-dtags,-rpath,$ORIGIN/lib"

// nativeGoarch maps a Lambda architecture name (or a GOARCH) to GOARCH.
func nativeGoarch(arch workload.Architecture) (string, error) {
	switch arch {
	case "", workload.ArchARM64:
		return "arm64", nil
	case workload.ArchX86_64, "amd64":
		return "amd64", nil
	}
	return "", fmt.Errorf("architecture: %q is not %s or %s", arch, workload.ArchARM64, workload.ArchX86_64)
}

// crossCC names the C cross compiler for a target GOARCH and the Debian
// package that ships it.
var crossCC = map[string]struct{ cc, pkg string }{
	"arm64": {"aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"},
	"amd64": {"x86_64-linux-gnu-gcc", "gcc-x86-64-linux-gnu"},
}

// NativeEnv is the environment a native build of the model server adds to
// the go command's: CGO_ENABLED=1, the C compiler for arch (gcc on a host of
// the same architecture, Debian's cross compiler otherwise) and
// CGO_LDFLAGS=NativeLDFlags. The values hold no machine-specific paths, so
// they can enter a fingerprint. It fails, naming the Debian package to
// install, when the compiler is missing.
func NativeEnv(arch workload.Architecture) ([]string, error) {
	goarch, err := nativeGoarch(arch)
	if err != nil {
		return nil, err
	}
	cc, pkg := "gcc", "gcc"
	if goarch != runtime.GOARCH {
		cc, pkg = crossCC[goarch].cc, crossCC[goarch].pkg
	}
	if _, err := exec.LookPath(cc); err != nil {
		return nil, fmt.Errorf("the native %s build needs the C compiler %s: install Debian's %s (make deps does)", goarch, cc, pkg)
	}
	return []string{"CGO_ENABLED=1", "CC=" + cc, "CGO_LDFLAGS=" + NativeLDFlags}, nil
}

// libDirs are where the dependencies of libonnxruntime.so.1 are looked for,
// by target GOARCH: Debian's multiarch directories on a host of the same
// architecture, the cross sysroot otherwise.
var libDirs = map[string][]string{
	"arm64": {"/usr/aarch64-linux-gnu/lib", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu"},
	"amd64": {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/x86_64-linux-gnu/lib"},
}

// SystemLibs are the sonames a bundle does not carry: glibc's, which
// provided.al2023 has (glibc 2.34).
var SystemLibs = []string{
	"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2", "libutil.so.1",
	"libanl.so.1", "ld-linux-aarch64.so.1", "ld-linux-x86-64.so.2",
}

// cxxLibs are GCC's C++ runtime, which the bundle carries as rebuilt by
// internal/cxxrt: Debian 12's own need glibc 2.35 and 2.36 and would fail
// the cold start on AL2023's glibc 2.34.
var cxxLibs = []string{"libstdc++.so.6", "libgcc_s.so.1"}

// SharedLibs lists what a native bundle for arch carries in lib/:
// libonnxruntime.so.1 (found by ortlib.Find) and every library in the
// closure of its DT_NEEDED entries that is not one of SystemLibs: the C++
// runtime built by internal/cxxrt (`make deps`), anything else from the
// target's library directories. Files are listed under their soname
// (lib/NAME), symlinks resolved, mode 0755, sorted by name.
func SharedLibs(arch workload.Architecture) ([]File, error) {
	goarch, err := nativeGoarch(arch)
	if err != nil {
		return nil, err
	}
	// A checkout after make deps has both in the user cache; a library
	// user's first synth fills it (npm pack of the pinned onnxruntime-node,
	// the C++ runtime built from the target's GCC archives), once.
	ort, err := ortlib.Find(goarch)
	if err != nil {
		if ort, err = ortlib.Ensure(goarch); err != nil {
			return nil, err
		}
	}
	files := []File{{Name: "lib/" + ortlib.LibName, Source: ort, Mode: 0o755}}
	seen := map[string]bool{ortlib.LibName: true}
	queue := []string{ort}
	for len(queue) > 0 {
		needed, err := neededLibs(queue[0])
		if err != nil {
			return nil, err
		}
		queue = queue[1:]
		for _, n := range needed {
			if seen[n] || slices.Contains(SystemLibs, n) {
				continue
			}
			seen[n] = true
			var src string
			if slices.Contains(cxxLibs, n) {
				dir, err := cxxrt.Ensure(goarch)
				if err != nil {
					return nil, err
				}
				src = filepath.Join(dir, n)
			} else if src, err = findLib(goarch, n); err != nil {
				return nil, err
			}
			files = append(files, File{Name: "lib/" + n, Source: src, Mode: 0o755})
			queue = append(queue, src)
		}
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

func neededLibs(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ImportedLibraries()
}

func findLib(goarch, soname string) (string, error) {
	for _, d := range libDirs[goarch] {
		p := filepath.Join(d, soname)
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if _, err := os.Stat(real); err == nil {
				return real, nil
			}
		}
	}
	return "", fmt.Errorf("%s (needed by %s for %s) not found in %s", soname, ortlib.LibName, goarch, strings.Join(libDirs[goarch], ", "))
}
