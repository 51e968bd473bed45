package guard_test

import (
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// The kill switch's asset hash is a fingerprint of its sources, known
// without building: the same for the same sources, different per
// architecture. (stacks' bundled-synth test builds it twice and compares
// the bytes.)
func TestKillSwitchCodeHash(t *testing.T) {
	root := cdktest.ModuleRoot(t)
	hash := func(arch string) string {
		t.Helper()
		code, err := guard.KillSwitchCode(root, workloadArch(arch))
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
	if _, err := guard.KillSwitchCode(root, "sparc"); err == nil || !strings.Contains(err.Error(), `kill switch architecture: "sparc" is not arm64 or x86_64`) {
		t.Errorf("bad architecture: %v", err)
	}
	if _, err := guard.KillSwitchCode(t.TempDir(), "arm64"); err == nil || !strings.Contains(err.Error(), "go list ./cmd/killswitch") {
		t.Errorf("no module: %v", err)
	}
}
