package guard_test

import (
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/internal/serverbuild"
)

// The kill switch's asset hash is a fingerprint of its sources, known
// without building: the same for the same sources, different per
// architecture. (stacks' bundled-synth test builds it twice and compares
// the bytes.)
func TestKillSwitchCodeHash(t *testing.T) {
	hash := func(arch string) string {
		t.Helper()
		code, err := guard.KillSwitchCode(workloadArch(arch))
		if err != nil {
			t.Fatal(err)
		}
		cfg := code.Bind(newFixture(t, "Code"+strings.ReplaceAll(arch, "_", ""), "none", false).stack)
		return *cfg.S3Location.ObjectKey
	}
	a, b, x := hash("arm64"), hash("arm64"), hash("x86_64")
	if a != b {
		t.Errorf("two calls give %s and %s", a, b)
	}
	if a == x {
		t.Errorf("arm64 and x86_64 share the hash %s", a)
	}
	if _, err := guard.KillSwitchCode("sparc"); err == nil || err.Error() != `kill switch code: architecture: "sparc" is not arm64 or x86_64` {
		t.Errorf("bad architecture: %v", err)
	}
	t.Chdir(t.TempDir())
	if _, err := guard.KillSwitchCode("arm64"); err == nil || !strings.Contains(err.Error(), "is not inside a Go module") {
		t.Errorf("outside a module: %v", err)
	}
}

// Without KillSwitchOptions.Code the guard builds the kill switch by import
// path for its architecture: the function's code is KillSwitchCode's asset.
func TestKillSwitchDefaultCode(t *testing.T) {
	f := newFixture(t, "DefaultCode", workload.FrontDoorREST, false)
	p := f.props(workload.FrontDoorREST)
	p.KillSwitch = &guard.KillSwitchOptions{Architecture: workload.ArchX86_64}
	guard.NewCostGuard(f.stack, "CostGuard", p)
	want, err := guard.KillSwitchCode(workload.ArchX86_64)
	if err != nil {
		t.Fatal(err)
	}
	key := *want.Bind(f.stack).S3Location.ObjectKey
	tmpl := cdktest.Template(t, f.stack)
	var found []string
	for _, fn := range resources(tmpl, "AWS::Lambda::Function") {
		if strings.Contains(toJSON(fn["Description"]), "kill switch") {
			found = append(found, toJSON(fn["Code"]))
		}
	}
	if len(found) != 1 || !strings.Contains(found[0], key) {
		t.Errorf("kill switch code %v, want the asset %s", found, key)
	}
}

// A module that requires costguard for this package can build the kill
// switch: this package imports every package the kill switch does.
func TestKillSwitchDepsImported(t *testing.T) {
	for _, arch := range []workload.Architecture{workload.ArchARM64, workload.ArchX86_64} {
		missing, err := serverbuild.MissingDeps("", arch, guard.KillSwitchPackage, "github.com/costguard-ml/costguard/constructs/guard")
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%s: the kill switch imports %v, which constructs/guard does not; add a blank import to deps.go", arch, missing)
		}
	}
}

// Outside a Go module the default kill switch code cannot be built: the
// guard fails as a configuration error that says so, not with a stack
// trace from the build.
func TestKillSwitchDefaultCodeOutsideModule(t *testing.T) {
	f := newFixture(t, "NoModule", workload.FrontDoorREST, false)
	p := f.props(workload.FrontDoorREST)
	p.KillSwitch = &guard.KillSwitchOptions{}
	t.Chdir(t.TempDir())
	g := guard.NewCostGuard(f.stack, "CostGuard", p)
	cdktest.CheckReported(t, g, "KillSwitch.Code: not given, and building the default failed: kill switch code: dir: ", "is not inside a Go module")
}
