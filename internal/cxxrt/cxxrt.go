// Package cxxrt builds the C++ runtime (libstdc++.so.6 and libgcc_s.so.1)
// that the native Lambda bundle carries in lib/ next to libonnxruntime.so.1.
//
// Why build it: provided.al2023 has glibc 2.34, and Debian 12's own
// libstdc++.so.6 and libgcc_s.so.1 (GCC 12) need glibc 2.36 (arc4random, for
// std::random_device) and 2.35 (_dl_find_object, for the unwinder). So the
// runtime is relinked from GCC 12's static archives (libstdc++.a,
// libgcc.a, libgcc_eh.a, the same code as the shared libraries) with:
//
//   - the symbol versions of Debian's shared libraries (a version script
//     generated from their dynamic symbol tables), so libonnxruntime.so.1
//     binds exactly as it would to the system's runtime;
//   - arc4random and _dl_find_object defined inside (getrandom, glibc 2.25,
//     and dl_iterate_phdr, which GCC's unwinder used before glibc 2.35), so
//     neither library refers to glibc past 2.34;
//   - libgcc's symbols made visible again (its static archives hide them);
//   - a thunk for each symbol libonnxruntime.so.1 needs at a compatibility
//     version that only Debian's shared library defines
//     (std::condition_variable::wait@GLIBCXX_3.4.11).
//
// [Build] does this with the target's C compiler (gcc, or Debian's
// aarch64-linux-gnu-gcc) and binutils' ar; `make deps` runs it for both
// architectures into the user cache, and internal/serverbuild ships the
// result. The output is the same bytes for the same inputs (no build id,
// stripped).
package cxxrt

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/costguard-ml/costguard/internal/ortlib"
)

// Libs are the sonames Build writes.
var Libs = []string{"libgcc_s.so.1", "libstdc++.so.6"}

// toolchain names the C compiler and the Debian package for a target.
func toolchain(goarch string) (cc, ar, pkg string) {
	if goarch == runtime.GOARCH {
		return "gcc", "ar", "g++"
	}
	if goarch == "arm64" {
		return "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "libstdc++-12-dev-arm64-cross"
	}
	return "x86_64-linux-gnu-gcc", "x86_64-linux-gnu-ar", "libstdc++-12-dev-amd64-cross"
}

// Dir is where Build keeps arch's libraries in the user cache.
func Dir(arch string) (string, error) {
	goarch, err := ortlib.Arch(arch)
	if err != nil {
		return "", err
	}
	d, err := ortlib.CacheDir()
	if err != nil {
		return "", err
	}
	// The thunks depend on what the pinned ONNX Runtime imports.
	return filepath.Join(filepath.Dir(d), "cxxrt-gcc12-ort"+ortlib.Version, goarch), nil
}

// Ensure builds arch's runtime into Dir(arch) unless both libraries are
// there, and returns the directory.
func Ensure(arch string) (string, error) {
	dir, err := Dir(arch)
	if err != nil {
		return "", err
	}
	if haveAll(dir) {
		return dir, nil
	}
	return dir, Build(arch, dir)
}

func haveAll(dir string) bool {
	for _, l := range Libs {
		if _, err := os.Stat(filepath.Join(dir, l)); err != nil {
			return false
		}
	}
	return true
}

// Build writes libgcc_s.so.1 and libstdc++.so.6 for arch into dir.
func Build(arch, dir string) error {
	goarch, err := ortlib.Arch(arch)
	if err != nil {
		return err
	}
	cc, ar, pkg := toolchain(goarch)
	for _, tool := range []string{cc, ar} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("building the C++ runtime for %s needs %s: install Debian's %s (make deps does)", goarch, tool, pkg)
		}
	}
	ort, err := ortlib.Find(goarch)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "cxxrt-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b := &builder{cc: cc, ar: ar, goarch: goarch, tmp: tmp}
	paths := map[string]string{}
	for _, f := range []string{"libgcc.a", "libgcc_eh.a", "libstdc++.a", "libstdc++.so.6", "libgcc_s.so.1"} {
		p, err := b.out(cc, "-print-file-name="+f)
		if err != nil {
			return err
		}
		p = strings.TrimSpace(p)
		if !filepath.IsAbs(p) {
			return fmt.Errorf("%s has no %s: install Debian's %s (make deps does)", cc, f, pkg)
		}
		if paths[f], err = filepath.EvalSymlinks(p); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "shim.c"), []byte(shimC), 0o644); err != nil {
		return err
	}
	if _, err := b.out(cc, "-O2", "-fPIC", "-c", "shim.c", "-o", "shim.o"); err != nil {
		return err
	}
	// libgcc_s.so.1: the unwinder (libgcc_eh.a, whole) and the members of
	// libgcc.a that define an exported symbol (not, say, x86's decimal
	// float library), symbols unhidden.
	eh, err := b.extract(paths["libgcc_eh.a"], "eh")
	if err != nil {
		return err
	}
	gcc, err := b.extract(paths["libgcc.a"], "gcc")
	if err != nil {
		return err
	}
	if err := unhide(append(slices.Clone(eh), gcc...)); err != nil {
		return err
	}
	if _, err := b.out(ar, append([]string{"rcD", "libgcc_unhidden.a"}, gcc...)...); err != nil {
		return err
	}
	exported, err := writeVersionScript(paths["libgcc_s.so.1"], filepath.Join(tmp, "gcc_s.map"))
	if err != nil {
		return err
	}
	link := []string{"-shared", "-nostdlib", "-s", "-o", "libgcc_s.so.1", "-Wl,-soname,libgcc_s.so.1",
		"-Wl,--build-id=none", "-Wl,--version-script=gcc_s.map"}
	link = append(link, eh...)
	link = append(link, "shim.o")
	for _, sym := range exported {
		link = append(link, "-Wl,-u,"+sym)
	}
	if _, err := b.out(cc, append(link, "libgcc_unhidden.a", "-lc")...); err != nil {
		return err
	}
	// libstdc++.so.6: the whole archive, against the new libgcc_s.
	if _, err := writeVersionScript(paths["libstdc++.so.6"], filepath.Join(tmp, "stdcxx.map")); err != nil {
		return err
	}
	thunks, err := thunkAsm(goarch, ort, paths["libstdc++.so.6"])
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "thunks.s"), []byte(thunks), 0o644); err != nil {
		return err
	}
	if _, err := b.out(cc, "-c", "thunks.s", "-o", "thunks.o"); err != nil {
		return err
	}
	if _, err := b.out(cc, "-shared", "-nodefaultlibs", "-s", "-o", "libstdc++.so.6", "-Wl,-soname,libstdc++.so.6",
		"-Wl,--build-id=none", "-Wl,--version-script=stdcxx.map",
		"-Wl,--whole-archive", paths["libstdc++.a"], "-Wl,--no-whole-archive", "shim.o", "thunks.o",
		"-L.", "-lgcc_s", paths["libgcc.a"], "-lm", "-lc"); err != nil {
		return err
	}
	for _, l := range Libs {
		data, err := os.ReadFile(filepath.Join(tmp, l))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, l+".tmp"), data, 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(dir, l+".tmp"), filepath.Join(dir, l)); err != nil {
			return err
		}
	}
	return nil
}

type builder struct{ cc, ar, goarch, tmp string }

// out runs a tool in the build directory and returns its standard output.
func (b *builder) out(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = b.tmp
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	o, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(o), nil
}

// extract unpacks an archive's members into tmp/sub and lists them sorted.
func (b *builder) extract(archive, sub string) ([]string, error) {
	d := filepath.Join(b.tmp, sub)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return nil, err
	}
	cmd := exec.Command(b.ar, "x", archive)
	cmd.Dir = d
	if o, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s x %s: %w: %s", b.ar, archive, err, o)
	}
	names, err := filepath.Glob(filepath.Join(d, "*.o"))
	sort.Strings(names)
	return names, err
}

// unhide makes the hidden global and weak definitions of relocatable
// objects default-visible (libgcc's archives hide them for static linking);
// the version script then decides what is exported.
func unhide(objs []string) error {
	for _, p := range objs {
		f, err := elf.Open(p)
		if err != nil {
			return err
		}
		var patches []int64
		for _, s := range f.Sections {
			if s.Type != elf.SHT_SYMTAB || s.Entsize != 24 {
				continue
			}
			data, err := s.Data()
			if err != nil {
				f.Close()
				return err
			}
			for off := 0; off+24 <= len(data); off += 24 {
				info, other := data[off+4], data[off+5]
				shndx := f.ByteOrder.Uint16(data[off+6:])
				bind := elf.SymBind(info >> 4)
				if (bind == elf.STB_GLOBAL || bind == elf.STB_WEAK) && shndx != 0 && elf.SymVis(other&3) == elf.STV_HIDDEN {
					patches = append(patches, int64(s.Offset)+int64(off)+5)
				}
			}
		}
		f.Close()
		if len(patches) == 0 {
			continue
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, at := range patches {
			raw[at] &^= 3
		}
		if err := os.WriteFile(p, raw, 0o644); err != nil {
			return err
		}
	}
	return nil
}

var versionRE = regexp.MustCompile(`^(GLIBCXX|CXXABI|CXXABI_TM|GCC)_([0-9.]+)$`)

// writeVersionScript writes a linker version script that gives every symbol
// the real library exports at its default version that version, with the
// version nodes chained per family in numeric order, and returns those
// symbols.
func writeVersionScript(real, out string) ([]string, error) {
	f, err := elf.Open(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		return nil, err
	}
	var all []string
	byVer := map[string][]string{}
	for _, s := range syms {
		if s.Section == elf.SHN_UNDEF || !s.HasVersion || s.VersionIndex.IsHidden() || !versionRE.MatchString(s.Version) || s.Name == s.Version {
			continue
		}
		byVer[s.Version] = append(byVer[s.Version], s.Name)
		all = append(all, s.Name)
	}
	vers := make([]string, 0, len(byVer))
	for v := range byVer {
		vers = append(vers, v)
	}
	// Version nodes with no default symbol still exist (compatibility
	// symbols refer to them).
	for _, s := range syms {
		if s.HasVersion && versionRE.MatchString(s.Version) && !slices.Contains(vers, s.Version) {
			vers = append(vers, s.Version)
		}
	}
	sort.Slice(vers, func(i, j int) bool { return versionLess(vers[i], vers[j]) })
	var w strings.Builder
	prev := map[string]string{}
	for i, v := range vers {
		fam := versionRE.FindStringSubmatch(v)[1]
		fmt.Fprintf(&w, "%s {\n", v)
		names := byVer[v]
		sort.Strings(names)
		if len(names) > 0 || i == 0 {
			w.WriteString("  global:\n")
		}
		for _, n := range names {
			fmt.Fprintf(&w, "    \"%s\";\n", n)
		}
		if i == 0 {
			w.WriteString("  local: *;\n")
		}
		if p := prev[fam]; p != "" {
			fmt.Fprintf(&w, "} %s;\n", p)
		} else {
			w.WriteString("};\n")
		}
		prev[fam] = v
	}
	sort.Strings(all)
	return all, os.WriteFile(out, []byte(w.String()), 0o644)
}

// versionLess orders GLIBCXX_3.4.9 before GLIBCXX_3.4.10, family first.
func versionLess(a, b string) bool {
	ma, mb := versionRE.FindStringSubmatch(a), versionRE.FindStringSubmatch(b)
	if ma[1] != mb[1] {
		return ma[1] < mb[1]
	}
	pa, pb := strings.Split(ma[2], "."), strings.Split(mb[2], ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		var x, y int
		fmt.Sscan(pa[i], &x)
		fmt.Sscan(pb[i], &y)
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// thunkAsm writes, for each function ort needs at a version that the real
// library defines only as a hidden (compatibility) version, a thunk that
// jumps to the default-version function and carries the old version.
func thunkAsm(goarch, ort, real string) (string, error) {
	f, err := elf.Open(real)
	if err != nil {
		return "", err
	}
	syms, err := f.DynamicSymbols()
	f.Close()
	if err != nil {
		return "", err
	}
	type key struct{ name, ver string }
	hiddenOnly := map[key]bool{}
	for _, s := range syms {
		if s.Section != elf.SHN_UNDEF && s.HasVersion && s.VersionIndex.IsHidden() && elf.ST_TYPE(s.Info) == elf.STT_FUNC {
			hiddenOnly[key{s.Name, s.Version}] = true
		}
	}
	o, err := elf.Open(ort)
	if err != nil {
		return "", err
	}
	imps, err := o.ImportedSymbols()
	o.Close()
	if err != nil {
		return "", err
	}
	var w strings.Builder
	w.WriteString("\t.text\n")
	n := 0
	seen := map[key]bool{}
	for _, s := range imps {
		k := key{s.Name, s.Version}
		if !hiddenOnly[k] || seen[k] {
			continue
		}
		seen[k] = true
		t := fmt.Sprintf("cg_thunk_%d", n)
		n++
		jump := "jmp " + s.Name + "@PLT"
		if goarch == "arm64" {
			jump = "b " + s.Name
		}
		fmt.Fprintf(&w, "\t.globl %s\n\t.type %s, %%function\n%s:\n\t%s\n\t.size %s, .-%s\n\t.symver %s, %s@%s\n",
			t, t, t, jump, t, t, t, s.Name, s.Version)
	}
	w.WriteString("\t.section .note.GNU-stack,\"\",%progbits\n")
	return w.String(), nil
}

// ErrMissing is returned by Find when Build has not run for an arch.
var ErrMissing = errors.New("the C++ runtime for the bundle is not built: run `make deps`")

// Find returns the directory holding arch's built runtime.
func Find(arch string) (string, error) {
	dir, err := Dir(arch)
	if err != nil {
		return "", err
	}
	if !haveAll(dir) {
		return "", fmt.Errorf("%w (looked in %s)", ErrMissing, dir)
	}
	return dir, nil
}
