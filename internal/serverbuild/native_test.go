package serverbuild

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cxxrt"
	"github.com/costguard-ml/costguard/internal/ortlib"
	"github.com/costguard-ml/costguard/internal/testproc"
)

const bootstrapPkg = "github.com/costguard-ml/costguard/lambda/cmd/bootstrap"

// nativeBuild builds the bootstrap natively for arch into dir/bootstrap and
// copies the shared libraries and the spam model next to it: the layout of
// the Lambda zip. It skips the test, naming the missing piece, when the C
// compiler or the ONNX Runtime library is absent.
func nativeBuild(t testing.TB, arch workload.Architecture, dir string) {
	t.Helper()
	env, err := NativeEnv(arch)
	if err != nil {
		t.Skip(err)
	}
	goarch, _ := nativeGoarch(arch)
	if _, err := ortlib.Find(goarch); err != nil {
		t.Skip(err)
	}
	if _, err := cxxrt.Find(goarch); err != nil {
		t.Skip(err)
	}
	libs, err := SharedLibs(arch)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-o", filepath.Join(dir, "bootstrap"), bootstrapPkg)
	cmd.Env = append(os.Environ(), append([]string{"GOOS=linux", "GOARCH=" + goarch}, env...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build for %s: %v\n%s", goarch, err, out)
	}
	models, err := filepath.Glob("../../lambda/models/spam/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range models {
		libs = append(libs, File{Name: "model/" + filepath.Base(m), Source: m, Mode: 0o644})
	}
	for _, f := range libs {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := copyFileMode(f.Source, dst, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
}

func copyFileMode(src, dst string, mode os.FileMode) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, mode)
}

var (
	bundlesMu sync.Mutex
	bundles   = map[workload.Architecture]string{}
)

// bundle builds arch's bundle once per test binary.
func bundle(t *testing.T, arch workload.Architecture) string {
	t.Helper()
	bundlesMu.Lock()
	defer bundlesMu.Unlock()
	if d, ok := bundles[arch]; ok {
		return d
	}
	d, err := os.MkdirTemp("", "native-"+string(arch)+"-")
	if err != nil {
		t.Fatal(err)
	}
	nativeBuild(t, arch, d)
	bundles[arch] = d
	return d
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range bundles {
		_ = os.RemoveAll(d)
	}
	os.Exit(code)
}

// glibcCeiling is provided.al2023's glibc.
var glibcCeiling = []int{2, 34}

// glibcTooNew reports whether a symbol version such as GLIBC_2.35 is newer
// than glibcCeiling.
func glibcTooNew(v string) bool {
	rest, ok := strings.CutPrefix(v, "GLIBC_")
	if !ok {
		return false
	}
	var got []int
	for _, p := range strings.Split(rest, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return false // GLIBC_PRIVATE
		}
		got = append(got, n)
	}
	return slices.Compare(got, glibcCeiling) > 0
}

func TestGlibcTooNew(t *testing.T) {
	for v, want := range map[string]bool{
		"GLIBC_2.17": false, "GLIBC_2.34": false, "GLIBC_2.35": true, "GLIBC_2.36": true, "GLIBC_2.3.4": false,
		"GLIBCXX_3.4.30": false, "GLIBC_PRIVATE": false,
	} {
		if got := glibcTooNew(v); got != want {
			t.Errorf("glibcTooNew(%s) = %v, want %v", v, got, want)
		}
	}
}

// TestNativeBundleRunsOnAL2023 checks every ELF file of the arm64 and
// x86_64 bundles (bootstrap and lib/*): no glibc symbol version newer than
// provided.al2023's 2.34, every needed library either in lib/ or glibc's,
// and every versioned symbol taken from a library in lib/ defined there at
// that version.
func TestNativeBundleRunsOnAL2023(t *testing.T) {
	for _, arch := range []workload.Architecture{workload.ArchARM64, workload.ArchX86_64} {
		t.Run(string(arch), func(t *testing.T) {
			dir := bundle(t, arch)
			elfs, _ := filepath.Glob(filepath.Join(dir, "lib", "*"))
			elfs = append([]string{filepath.Join(dir, "bootstrap")}, elfs...)
			defined := map[string]map[string]bool{} // soname → name@version
			for _, p := range elfs[1:] {
				f, err := elf.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				syms, _ := f.DynamicSymbols()
				m := map[string]bool{}
				for _, s := range syms {
					if s.Section != elf.SHN_UNDEF {
						m[s.Name+"@"+s.Version] = true
					}
				}
				defined[filepath.Base(p)] = m
				f.Close()
			}
			for _, p := range elfs {
				f, err := elf.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				needed, err := f.ImportedLibraries()
				if err != nil {
					t.Fatal(err)
				}
				for _, n := range needed {
					if defined[n] == nil && !slices.Contains(SystemLibs, n) {
						t.Errorf("%s needs %s, which is neither in lib/ nor glibc's", filepath.Base(p), n)
					}
				}
				syms, err := f.ImportedSymbols()
				if err != nil {
					t.Fatal(err)
				}
				newest := ""
				for _, s := range syms {
					if glibcTooNew(s.Version) {
						t.Errorf("%s: %s@%s (%s) is newer than provided.al2023's glibc 2.34", filepath.Base(p), s.Name, s.Version, s.Library)
					}
					if strings.HasPrefix(s.Version, "GLIBC_") && versionLess(newest, s.Version) {
						newest = s.Version
					}
					if m := defined[s.Library]; m != nil && s.Version != "" && !m[s.Name+"@"+s.Version] {
						t.Errorf("%s: %s@%s is not defined by the bundled %s", filepath.Base(p), s.Name, s.Version, s.Library)
					}
				}
				f.Close()
				t.Logf("%s: newest glibc version needed %s", filepath.Base(p), newest)
			}
		})
	}
}

// versionLess orders symbol versions numerically (GLIBC_2.9 < GLIBC_2.10);
// "" is less than any.
func versionLess(a, b string) bool {
	if a == "" {
		return true
	}
	pa := strings.FieldsFunc(a, func(r rune) bool { return r == '_' || r == '.' })
	pb := strings.FieldsFunc(b, func(r rune) bool { return r == '_' || r == '.' })
	for i := 1; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// TestNativeBundleUnderQEMU runs the arm64 bundle under qemu-aarch64 user
// emulation with a sysroot that holds glibc only (copied from Debian's
// cross package): everything else must come from the bundle. The server
// answers GET /health and POST /predict for the spam model over loopback.
func TestNativeBundleUnderQEMU(t *testing.T) {
	qemu, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		t.Skip("qemu-aarch64 missing: install Debian's qemu-user (make deps does)")
	}
	if testing.Short() {
		t.Skip("emulating the arm64 bundle takes a while; not in -short")
	}
	dir := bundle(t, workload.ArchARM64)
	sysroot := glibcSysroot(t)
	serveSpam(t, dir, qemu, "-L", sysroot, filepath.Join(dir, "bootstrap"))
}

// TestNativeBundleServes runs the bundle of the host's architecture
// directly, with no library path set: the executable and lib/ find each
// other through the RPATH and ONNX Runtime's $ORIGIN RUNPATH.
func TestNativeBundleServes(t *testing.T) {
	arch := workload.ArchX86_64
	if runtime.GOARCH == "arm64" {
		arch = workload.ArchARM64
	}
	dir := bundle(t, arch)
	serveSpam(t, dir, filepath.Join(dir, "bootstrap"))
}

// serveSpam starts the bundle's bootstrap (argv, possibly under an
// emulator) in HTTP mode on loopback and expects GET /health on engine
// onnxruntime and POST /predict to label spam and ham.
func serveSpam(t *testing.T, dir string, argv ...string) {
	t.Helper()
	port := testproc.FreePorts(t, 1)[0]
	p := testproc.Start(t, dir, []string{"SERVER_MODE=http", "HOST=127.0.0.1", "PORT=" + strconv.Itoa(port),
		"MODEL_DIR=" + filepath.Join(dir, "model"), "LOG_FORMAT=text", "METRICS=off"},
		argv[0], argv[1:]...)
	base := "http://" + testproc.Addr(port)
	start := time.Now()
	var health []byte
	for {
		if p.Exited() {
			t.Fatalf("%s exited: %v\n%s", argv, p.Err(), p.Out)
		}
		if time.Since(start) > 3*time.Minute {
			t.Fatalf("no answer on %s/health after 3 minutes\n%s", base, p.Out)
		}
		resp, err := http.Get(base + "/health")
		if err == nil {
			health, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("%s answered /health after %v: %s", filepath.Base(argv[0]), time.Since(start).Round(time.Millisecond), health)
	var h struct{ Engine, Status string }
	if err := json.Unmarshal(health, &h); err != nil || h.Engine != "onnxruntime" || h.Status != "ok" {
		t.Errorf("health = %s (%v), want status ok on engine onnxruntime", health, err)
	}
	body := `{"instances": ["Congratulations! You have won a FREE prize. Click here now to claim your cash reward", "Re: patch for the build script\n\nThanks, I applied it to CVS."]}`
	resp, err := http.Post(base+"/predict", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var pr struct{ Predictions []struct{ Label string } }
	if resp.StatusCode != 200 || json.Unmarshal(b, &pr) != nil || len(pr.Predictions) != 2 ||
		pr.Predictions[0].Label != "spam" || pr.Predictions[1].Label != "ham" {
		t.Fatalf("POST /predict = %d %s, want spam then ham\n%s", resp.StatusCode, b, p.Out)
	}
}

// glibcSysroot makes a directory for qemu-aarch64 -L that holds arm64
// glibc only, copied from Debian's cross package.
func glibcSysroot(t *testing.T) string {
	t.Helper()
	sysroot := t.TempDir()
	for _, d := range []string{"lib", "etc"} {
		if err := os.MkdirAll(filepath.Join(sysroot, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// An empty cache keeps the guest's loader off the host's ld.so.cache.
	if err := os.WriteFile(filepath.Join(sysroot, "etc", "ld.so.cache"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, n := range SystemLibs {
		src, err := filepath.EvalSymlinks(filepath.Join("/usr/aarch64-linux-gnu/lib", n))
		if err != nil {
			if strings.Contains(n, "x86-64") {
				continue
			}
			t.Skipf("%s missing from the arm64 sysroot: install Debian's libc6-dev-arm64-cross (make deps does)", n)
		}
		if err := copyFileMode(src, filepath.Join(sysroot, "lib", n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return sysroot
}

// TestBundledRuntimeUnderQEMU runs lambda/model's ONNX Runtime tests, built
// for arm64, under qemu-aarch64 with a glibc-only sysroot and the bundle's
// lib/: the rebuilt C++ runtime loads, and the errors ONNX Runtime raises as
// C++ exceptions (an unknown operator, a file that is not ONNX) unwind
// through it to an error status. The offline-optimized graphs made there
// are the bytes the x86_64 host makes (TestORTOptimizedServesTheReferences
// compares both with the same sha256s) and serve the references.
func TestBundledRuntimeUnderQEMU(t *testing.T) {
	qemu, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		t.Skip("qemu-aarch64 missing: install Debian's qemu-user (make deps does)")
	}
	if testing.Short() {
		t.Skip("builds and emulates lambda/model's tests; not in -short")
	}
	dir := bundle(t, workload.ArchARM64)
	env, err := NativeEnv(workload.ArchARM64)
	if err != nil {
		t.Skip(err)
	}
	testBin := filepath.Join(t.TempDir(), "model.test")
	cmd := exec.Command("go", "test", "-c", "-o", testBin, "github.com/costguard-ml/costguard/lambda/model")
	cmd.Env = append(os.Environ(), append([]string{"GOOS=linux", "GOARCH=arm64"}, env...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -c for arm64: %v\n%s", err, out)
	}
	run := exec.Command(qemu, "-L", glibcSysroot(t), testBin, "-test.run", "ONNXRuntime|LoadFailures|ORTOptimized", "-test.v")
	run.Dir = "../../lambda/model"
	run.Env = append(os.Environ(), "ONNXRUNTIME_LIB="+filepath.Join(dir, "lib", ortlib.LibName))
	out, err := run.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestLoadFailures") || !strings.Contains(string(out), "--- PASS: TestONNXRuntimeMatchesGonnx") ||
		!strings.Contains(string(out), "--- PASS: TestORTOptimizedServesTheReferences") {
		t.Fatalf("lambda/model's ONNX Runtime tests under qemu-aarch64: %v\n%s", err, out)
	}
}

// TestNativeBuildReproducible builds the x86_64 bundle a second time in
// another directory and expects the same bytes.
func TestNativeBuildReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("a second native build; not in -short")
	}
	a := bundle(t, workload.ArchX86_64)
	b := t.TempDir()
	nativeBuild(t, workload.ArchX86_64, b)
	for _, name := range []string{"bootstrap", "lib/" + ortlib.LibName} {
		ha, hb := fileSum(t, filepath.Join(a, name)), fileSum(t, filepath.Join(b, name))
		if ha != hb {
			t.Errorf("%s differs between two builds: %s vs %s", name, ha, hb)
		}
	}
}

func fileSum(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func TestNativeEnv(t *testing.T) {
	if _, err := NativeEnv("riscv64"); err == nil || err.Error() != `architecture: "riscv64" is not arm64 or x86_64` {
		t.Errorf("riscv64: %v", err)
	}
	env, err := NativeEnv(workload.ArchX86_64)
	if err != nil {
		t.Skip(err)
	}
	want := "CC=gcc"
	if runtime.GOARCH != "amd64" {
		want = "CC=x86_64-linux-gnu-gcc"
	}
	if !slices.Contains(env, want) || !slices.Contains(env, "CGO_LDFLAGS="+NativeLDFlags) || !slices.Contains(env, "CGO_ENABLED=1") {
		t.Errorf("env %q lacks %s, CGO_ENABLED=1 or the rpath", env, want)
	}
}
