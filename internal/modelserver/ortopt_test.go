package modelserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/testmodel"
	"github.com/costguard-ml/costguard/lambda/model"
)

// TestORTOptimizedFiles: the packaging's optimized graph is made once per
// model (a second call finds it in the cache), is the graph ortoptimize
// writes, and a model the optimizer refuses fails in one line naming it.
func TestORTOptimizedFiles(t *testing.T) {
	t.Setenv("COSTGUARD_CACHE_DIR", t.TempDir())
	dir := testmodel.Copy(t, "../..", "digits", nil)
	man, err := model.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := ortOptimizedFiles(dir, man)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "model/"+model.ORTOptimizedFile || files[1].Name != "model/"+model.ORTOptimizedInfoFile {
		t.Fatalf("files %+v", files)
	}
	first, err := os.Stat(files[0].Source)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ortOptimizedFiles(dir, man)
	if err != nil {
		t.Fatal(err)
	}
	if second, err := os.Stat(again[0].Source); err != nil || !os.SameFile(first, second) {
		t.Errorf("second call made %s again (%v)", again[0].Source, err)
	}

	// The optimizer checks the file against the manifest itself.
	if err := os.WriteFile(filepath.Join(dir, man.ONNX.File), []byte("not the model"), 0o644); err != nil {
		t.Fatal(err)
	}
	man.ONNX.SHA256 = strings.Repeat("1", 64) // another cache entry
	_, err = ortOptimizedFiles(dir, man)
	if err == nil || !strings.Contains(err.Error(), OptimizerPackage) || !strings.Contains(err.Error(), "sha256") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error = %v, want one line naming the optimizer and the sha256", err)
	}
}
