package modelserver

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/serverbuild"
)

// The Dockerfile copies what the build wrote and starts the server; a cgo
// build gets a base with glibc and libstdc++ and its lib/ directory.
func TestDockerfile(t *testing.T) {
	for _, tt := range []struct {
		name    string
		o       serverbuild.Options
		entries []string
		want    []string
	}{
		{"static", serverbuild.Options{Package: Package, Arch: workload.ArchX86_64}, []string{"bootstrap", "model"}, []string{
			"FROM " + StaticBaseImage + "\n",
			"COPY bootstrap /opt/costguard/bootstrap\nCOPY model/ /opt/costguard/model/\n",
			"linux/x86_64",
			"ENTRYPOINT [\"/opt/costguard/bootstrap\"]\n",
		}},
		{"cgo", serverbuild.Options{Package: Package, CGO: true}, []string{"bootstrap", "lib", "model"}, []string{
			"FROM " + CgoBaseImage + "\n",
			"COPY lib/ /opt/costguard/lib/\n",
			"linux/arm64",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Dockerfile(tt.o, tt.entries)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Dockerfile lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// A second StageImage of the same build reuses the staged context.
func TestStageImageCache(t *testing.T) {
	t.Setenv("COSTGUARD_CACHE_DIR", t.TempDir())
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	o, err := Build(filepath.Join(wd, "..", "..", "lambda", "models", "spam"), workload.ArchX86_64)
	if err != nil {
		t.Fatal(err)
	}
	dir, fp, err := StageImage(o)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != fp || !strings.HasPrefix(dir, os.Getenv("COSTGUARD_CACHE_DIR")) {
		t.Errorf("context %s, want CacheDir()/%s", dir, fp)
	}
	marker := filepath.Join(dir, "model", "marker")
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	again, fp2, err := StageImage(o)
	if err != nil || again != dir || fp2 != fp {
		t.Fatalf("second StageImage = %s, %s, %v; want %s, %s", again, fp2, err, dir, fp)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Error("the second StageImage rebuilt the context")
	}
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if len(ents) != 1 {
		t.Errorf("cache holds %d entries, want the context only (no temporary left)", len(ents))
	}
}

// TestNativeBuildLinksNoPureGoEngine: the native build serves with ONNX
// Runtime alone; gonnx's dependency tree (gorgonia, gonum, arrow, two
// protobuf runtimes) and aws-lambda-go's RPC mode (net/rpc, encoding/gob)
// would cost every cold start their package init and a larger executable.
func TestNativeBuildLinksNoPureGoEngine(t *testing.T) {
	o, err := Build(filepath.Join("..", "..", "lambda", "models", "mobilenet"), workload.ArchX86_64)
	if err != nil {
		t.Fatal(err)
	}
	if !o.CGO {
		t.Fatal("the MobileNet model's build is not the native one")
	}
	cmd := exec.Command("go", "list", "-deps", "-tags="+strings.Join(o.Tags, ","), Package)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOOS=linux", "GOARCH=amd64")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, bad := range []string{"github.com/advancedclimatesystems/gonnx", "gorgonia.org/", "github.com/gomlx/", "net/rpc", "encoding/gob"} {
			if strings.HasPrefix(pkg, bad) {
				t.Errorf("the native model server links %s", pkg)
			}
		}
	}
}
