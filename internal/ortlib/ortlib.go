// Package ortlib finds and fetches the ONNX Runtime shared library
// (libonnxruntime.so.1) that the onnxruntime engine loads with dlopen.
//
// The library comes from the npm package onnxruntime-node, pinned to
// [Version]: its tarball carries the official Linux builds for x64 and arm64
// (bin/napi-v6/linux/{x64,arm64}/libonnxruntime.so.1). [Ensure] takes them
// out of the tarball with archive/tar — the package's install scripts never
// run — checks each against a pinned sha256 and keeps them in the user
// cache, so builds and tests are offline afterwards. [Find] looks for the
// library where a deployed server or a checkout has it.
package ortlib

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Version is the pinned onnxruntime-node release.
//
// Why 1.24.1: github.com/yalue/onnxruntime_go v1.27.0 is compiled against
// the 1.24.1 C API headers and asks the library for ORT_API_VERSION 24, so
// it needs ONNX Runtime ≥ 1.24 (a newer library still serves API 24, but
// 1.24.1 is the release the wrapper is tested with). 1.24.1 is also a third
// smaller than 1.30.0 (x64 35 MB instead of 46 MB, arm64 19 MB instead of
// 25 MB), which the Lambda zip pays for, and it needs glibc ≤ 2.27.
const Version = "1.24.1"

// LibName is the library's file name (its soname).
const LibName = "libonnxruntime.so.1"

// sha256s pins the extracted libraries by npm architecture directory.
var sha256s = map[string]string{
	"x64":   "53ef1ac028dd1b05554b8da28d9159eb3876f99868193d2aaa6e67f0243c23d4",
	"arm64": "7954e8bdedb497f830c6a679e818d98399b7f4d81ade1126c3e0be74d28111ab",
}

// Arch normalises an architecture name: amd64 and x86_64 give "amd64",
// arm64 and aarch64 give "arm64".
func Arch(arch string) (string, error) {
	switch arch {
	case "amd64", "x86_64", "x64":
		return "amd64", nil
	case "arm64", "aarch64":
		return "arm64", nil
	}
	return "", fmt.Errorf("architecture %q is not supported: want amd64 (x86_64) or arm64", arch)
}

func npmArch(goarch string) string {
	if goarch == "amd64" {
		return "x64"
	}
	return goarch
}

func elfMachine(goarch string) elf.Machine {
	if goarch == "amd64" {
		return elf.EM_X86_64
	}
	return elf.EM_AARCH64
}

// CacheDir is where Ensure keeps the libraries:
// os.UserCacheDir()/costguard/onnxruntime-node-<Version>.
func CacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory for onnxruntime: %w", err)
	}
	return filepath.Join(d, "costguard", "onnxruntime-node-"+Version), nil
}

// Candidates lists, in search order, where Find looks for the library of
// arch:
//  1. $ONNXRUNTIME_LIB (when set, the only candidate);
//  2. lib/ next to the executable (the Lambda zip's layout);
//  3. /var/task/lib and /opt/lib (Lambda's task root and layers);
//  4. the user cache that Ensure fills (`make deps`);
//  5. .tools/ort/onnxruntime-node-<Version>/<arch>/ in the current directory
//     or a parent (a checkout whose cache lives in the tree).
func Candidates(arch string) ([]string, error) {
	goarch, err := Arch(arch)
	if err != nil {
		return nil, err
	}
	if p := os.Getenv("ONNXRUNTIME_LIB"); p != "" {
		return []string{p}, nil
	}
	var c []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		c = append(c, filepath.Join(filepath.Dir(exe), "lib", LibName))
	}
	c = append(c, filepath.Join("/var/task/lib", LibName), filepath.Join("/opt/lib", LibName))
	if d, err := CacheDir(); err == nil {
		c = append(c, filepath.Join(d, goarch, LibName))
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			c = append(c, filepath.Join(d, ".tools", "ort", "onnxruntime-node-"+Version, goarch, LibName))
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return c, nil
}

// Find returns the path of the first candidate (see Candidates) that is an
// ELF shared library for arch. The error names what was tried and how to
// get the library.
func Find(arch string) (string, error) {
	goarch, err := Arch(arch)
	if err != nil {
		return "", err
	}
	cands, err := Candidates(goarch)
	if err != nil {
		return "", err
	}
	var wrong []string
	for _, p := range cands {
		m, err := machine(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err == nil && m == elfMachine(goarch) {
			return p, nil
		}
		if err == nil {
			err = fmt.Errorf("built for %v", m)
		}
		wrong = append(wrong, fmt.Sprintf("%s (%v)", p, err))
	}
	if os.Getenv("ONNXRUNTIME_LIB") != "" {
		return "", fmt.Errorf("ONNXRUNTIME_LIB=%q is not a %s library for %s: %s", cands[0], LibName, goarch, strings.Join(wrong, "; "))
	}
	msg := fmt.Sprintf("%s for %s not found (run `make deps`, or set ONNXRUNTIME_LIB); looked in lib/ next to the executable, /var/task/lib, /opt/lib, the user cache and .tools/ort", LibName, goarch)
	if len(wrong) > 0 {
		msg += "; unusable: " + strings.Join(wrong, "; ")
	}
	return "", errors.New(msg)
}

func machine(path string) (elf.Machine, error) {
	f, err := elf.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if f.Type != elf.ET_DYN {
		return 0, fmt.Errorf("not a shared library")
	}
	return f.Machine, nil
}

// Ensure returns the cached library for arch, fetching onnxruntime-node
// from the npm registry first when the cache lacks it or holds a file with
// another sha256. It runs `npm pack` (which never runs package scripts),
// extracts the libraries of both architectures and verifies each.
func Ensure(arch string) (string, error) {
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	return EnsureIn(dir, arch)
}

// EnsureIn is Ensure with the libraries kept under dir/<arch>/.
func EnsureIn(dir, arch string) (string, error) {
	goarch, err := Arch(arch)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, goarch, LibName)
	if verify(path, sha256s[npmArch(goarch)]) == nil {
		return path, nil
	}
	tgz, cleanup, err := npmPack()
	if err != nil {
		return "", err
	}
	defer cleanup()
	if err := extract(tgz, dir); err != nil {
		return "", err
	}
	if err := verify(path, sha256s[npmArch(goarch)]); err != nil {
		return "", err
	}
	return path, nil
}

// npmPack downloads the pinned tarball into a temporary directory.
func npmPack() (string, func(), error) {
	tmp, err := os.MkdirTemp("", "ortlib-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(tmp) }
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", tmp, "onnxruntime-node@"+Version)
	cmd.Dir = tmp
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("npm pack onnxruntime-node@%s: %w: %s", Version, err, strings.TrimSpace(stderr.String()))
	}
	lines := strings.Fields(strings.TrimSpace(string(out)))
	if len(lines) == 0 {
		cleanup()
		return "", nil, fmt.Errorf("npm pack onnxruntime-node@%s printed no file name", Version)
	}
	return filepath.Join(tmp, lines[len(lines)-1]), cleanup, nil
}

// extract writes each pinned library of the tarball to dir/<goarch>/LibName,
// atomically, checking its sha256 before it lands.
func extract(tgz, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	found := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tgz, err)
		}
		for na, sum := range sha256s {
			if h.Name != "package/bin/napi-v6/linux/"+na+"/"+LibName {
				continue
			}
			goarch, _ := Arch(na)
			if err := writeVerified(filepath.Join(dir, goarch, LibName), tr, sum); err != nil {
				return err
			}
			found++
		}
	}
	if found != len(sha256s) {
		return fmt.Errorf("%s: found %d of the %d linux libraries", tgz, found, len(sha256s))
	}
	return nil
}

func writeVerified(path string, r io.Reader, sum string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lib-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("%s from onnxruntime-node@%s has sha256 %s, pinned %s", LibName, Version, got, sum)
	}
	if err := os.Chmod(tmp.Name(), 0o755); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func verify(path, sum string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("%s has sha256 %s, pinned %s", path, got, sum)
	}
	return nil
}
