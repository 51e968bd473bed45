package modelserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/serverbuild"
	"github.com/costguard-ml/costguard/lambda/model"
)

// OptimizerPackage writes a model's offline-optimized graph for ONNX
// Runtime (model.ORTOptimizedFile): the native build ships it so that a
// cold start skips ONNX Runtime's graph optimizations.
const OptimizerPackage = "github.com/costguard-ml/costguard/lambda/cmd/ortoptimize"

// ortOptimizedFiles returns the offline-optimized graph of the checked
// model directory dir (its manifest man) and the graph's record, as files
// of the output's model/ directory. They are made once per model and
// optimizer: [OptimizerPackage] is built for this machine (with the native
// build's ONNX Runtime and C++ runtime in lib/ next to it) and run on the
// model, and both are kept in the cache under names derived from the
// optimizer's fingerprint and the model's sha256. The graph is the same
// bytes on any machine (see model.ORTOptimizedFile), so the files are
// hashed by content into the asset's fingerprint like the model's own.
func ortOptimizedFiles(dir string, man *model.Manifest) ([]serverbuild.File, error) {
	exe, fp, err := optimizer()
	if err != nil {
		return nil, fmt.Errorf("optimizing the model for ONNX Runtime: %w", err)
	}
	key := sha256.Sum256([]byte("costguard ortoptimize v1\n" + fp + "\n" + man.ONNX.SHA256))
	out := filepath.Join(cacheRoot(), "ortoptimized", hex.EncodeToString(key[:]))
	err = stage(out, model.ORTOptimizedInfoFile, func(tmp string) error {
		cmd := exec.Command(exe, dir, tmp)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %v: %s", OptimizerPackage, err, strings.ReplaceAll(strings.TrimSpace(stderr.String()), "\n", "; "))
		}
		for _, name := range []string{model.ORTOptimizedFile, model.ORTOptimizedInfoFile} {
			p := filepath.Join(tmp, name)
			if err := os.Chtimes(p, serverbuild.ModTime, serverbuild.ModTime); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("optimizing the model for ONNX Runtime: %w", err)
	}
	var files []serverbuild.File
	for _, name := range []string{model.ORTOptimizedFile, model.ORTOptimizedInfoFile} {
		files = append(files, serverbuild.File{Name: path.Join(ModelPrefix, name), Source: filepath.Join(out, name)})
	}
	return files, nil
}

// optimizers holds the optimizers built in this process, by working
// directory (the module it is built in) and cache directory.
var optimizers struct {
	sync.Mutex
	built map[[2]string][2]string // → executable, fingerprint
}

// optimizer builds [OptimizerPackage] for this machine once per process
// and module (kept in the cache by its fingerprint across processes) and
// returns the executable and the build's fingerprint.
func optimizer() (exe, fingerprint string, err error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	key := [2]string{wd, cacheRoot()}
	optimizers.Lock()
	defer optimizers.Unlock()
	if b, ok := optimizers.built[key]; ok {
		if _, err := os.Stat(b[0]); err == nil {
			return b[0], b[1], nil
		}
	}
	arch, err := hostArch()
	if err != nil {
		return "", "", err
	}
	env, err := serverbuild.NativeEnv(arch)
	if err != nil {
		return "", "", err
	}
	libs, err := serverbuild.SharedLibs(arch)
	if err != nil {
		return "", "", err
	}
	o := serverbuild.Options{Package: OptimizerPackage, Dir: wd, Arch: arch, Output: "ortoptimize", CGO: true, Env: env, ExtraFiles: libs}
	fp, err := o.Fingerprint()
	if err != nil {
		return "", "", err
	}
	dir := filepath.Join(cacheRoot(), "tools", fp)
	if err := stage(dir, o.Output, o.Build); err != nil {
		return "", "", err
	}
	if optimizers.built == nil {
		optimizers.built = map[[2]string][2]string{}
	}
	exe = filepath.Join(dir, o.Output)
	optimizers.built[key] = [2]string{exe, fp}
	return exe, fp, nil
}

// hostArch is the architecture of this machine, where the optimizer runs.
func hostArch() (workload.Architecture, error) {
	if runtime.GOOS == "linux" {
		switch runtime.GOARCH {
		case "amd64":
			return workload.ArchX86_64, nil
		case "arm64":
			return workload.ArchARM64, nil
		}
	}
	return "", fmt.Errorf("it runs ONNX Runtime on the machine that synthesizes, which must be Linux on amd64 or arm64, not %s/%s", runtime.GOOS, runtime.GOARCH)
}
