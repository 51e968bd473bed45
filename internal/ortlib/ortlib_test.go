package ortlib

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestArch(t *testing.T) {
	for in, want := range map[string]string{"amd64": "amd64", "x86_64": "amd64", "arm64": "arm64", "aarch64": "arm64"} {
		if got, err := Arch(in); got != want || err != nil {
			t.Errorf("Arch(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Arch("riscv64"); err == nil || err.Error() != `architecture "riscv64" is not supported: want amd64 (x86_64) or arm64` {
		t.Errorf("riscv64: %v", err)
	}
}

// TestFindRejectsWrongFiles: ONNXRUNTIME_LIB wins, and a file that is not a
// shared library for the architecture is refused with its path.
func TestFindRejectsWrongFiles(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, LibName)
	if err := os.WriteFile(junk, []byte("not elf"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ONNXRUNTIME_LIB", junk)
	if _, err := Find("amd64"); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("Find with a junk ONNXRUNTIME_LIB: %v", err)
	}
	// An executable (ET_EXEC or PIE) of this test is no shared library of the
	// other architecture either.
	exe, _ := os.Executable()
	t.Setenv("ONNXRUNTIME_LIB", exe)
	if _, err := Find("arm64"); err == nil {
		t.Error("Find accepted the test binary as libonnxruntime for arm64")
	}
}

// TestFindCached finds the library that make deps put into the cache.
func TestFindCached(t *testing.T) {
	t.Setenv("ONNXRUNTIME_LIB", "")
	d, err := CacheDir()
	if err != nil {
		t.Skip(err)
	}
	want := filepath.Join(d, runtime.GOARCH, LibName)
	if _, err := os.Stat(want); err != nil {
		t.Skipf("the ONNX Runtime library is not cached (make deps fetches it): %v", err)
	}
	got, err := Find(runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	if got != want && !strings.Contains(got, "/lib/") {
		t.Errorf("Find = %s, want %s", got, want)
	}
}

func tgz(t *testing.T, files map[string][]byte) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, b := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b))}); err != nil {
			t.Fatal(err)
		}
		_, _ = tw.Write(b)
	}
	_ = tw.Close()
	_ = zw.Close()
	p := filepath.Join(t.TempDir(), "onnxruntime-node.tgz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExtractVerifies: libraries land only when their sha256 is the pinned
// one, and never half-written.
func TestExtractVerifies(t *testing.T) {
	x64, arm := []byte("x64 library"), []byte("arm64 library")
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	saved := sha256s
	t.Cleanup(func() { sha256s = saved })
	sha256s = map[string]string{"x64": sum(x64), "arm64": sum(arm)}
	files := map[string][]byte{
		"package/bin/napi-v6/linux/x64/" + LibName:   x64,
		"package/bin/napi-v6/linux/arm64/" + LibName: arm,
		"package/bin/napi-v6/win32/x64/other.dll":    []byte("ignored"),
	}
	dir := t.TempDir()
	if err := extract(tgz(t, files), dir); err != nil {
		t.Fatal(err)
	}
	for goarch, want := range map[string][]byte{"amd64": x64, "arm64": arm} {
		if got, err := os.ReadFile(filepath.Join(dir, goarch, LibName)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %q, %v", goarch, got, err)
		}
	}

	files["package/bin/napi-v6/linux/arm64/"+LibName] = []byte("tampered")
	dir = t.TempDir()
	err := extract(tgz(t, files), dir)
	if err == nil || !strings.Contains(err.Error(), "pinned "+sum(arm)) {
		t.Fatalf("tampered library: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "arm64", LibName)); err == nil {
		t.Error("the tampered library was written")
	}
}
