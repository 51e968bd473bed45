package guard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"

	"github.com/costguard-ml/costguard/cost/workload"
)

// KillSwitchPackage is the kill switch's main package, relative to the
// module root.
const KillSwitchPackage = "./cmd/killswitch"

// killSwitchBuildFlags make the build reproducible: no cgo, no paths, no
// build id, no VCS stamp, stripped.
var killSwitchBuildFlags = []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid="}

// KillSwitchCode returns the kill switch's deployment package, built from
// [KillSwitchPackage] under the module root by a local Go build (no
// Docker) when the app bundles. Its asset hash fingerprints what goes into
// the build (toolchain, target, flags, module versions, the main module's
// source files the package imports), so synthesizing twice, or in tests
// that skip bundling, gives the same hash, and `cdk diff` stays quiet when
// nothing changed.
//
// It reads the caller's files, so the app (bin/ or stacks/) calls it, never
// a construct.
func KillSwitchCode(root string, arch workload.Architecture) (awslambda.Code, error) {
	b := killSwitchBuild{root: root, goarch: "arm64"}
	switch arch {
	case workload.ArchARM64, "":
	case workload.ArchX86_64:
		b.goarch = "amd64"
	default:
		return nil, fmt.Errorf("kill switch architecture: %q is not arm64 or x86_64", arch)
	}
	hash, err := b.sourceHash()
	if err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(ptr(filepath.Join(root, KillSwitchPackage)), &awss3assets.AssetOptions{
		AssetHash:     ptr(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			// Used only if the local build fails; costguard never needs Docker.
			Image:   awscdk.DockerImage_FromRegistry(ptr("public.ecr.aws/docker/library/golang:1.26-bookworm")),
			Command: &[]*string{ptr("false")},
			Local:   &b,
		},
	}), nil
}

type killSwitchBuild struct{ root, goarch string }

func (b *killSwitchBuild) env() []string {
	return append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+b.goarch, "GOFLAGS=-mod=readonly")
}

// TryBundle builds bootstrap into outputDir (awscdk.ILocalBundling).
func (b *killSwitchBuild) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	args := append(append([]string(nil), killSwitchBuildFlags...), "-o", filepath.Join(*outputDir, "bootstrap"), KillSwitchPackage)
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = b.root, b.env()
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "costguard: building the kill switch failed: go %s: %v\n%s", strings.Join(args, " "), err, out)
		return ptr(false)
	}
	return ptr(true)
}

func (b *killSwitchBuild) sourceHash() (string, error) {
	cmd := exec.Command("go", "list", "-deps", "-f",
		`{{if not .Standard}}{{.ImportPath}}|{{.Dir}}|{{with .Module}}{{.Path}}@{{.Version}}|{{.Main}}{{end}}|{{join .GoFiles ","}}{{end}}`,
		KillSwitchPackage)
	cmd.Dir, cmd.Env = b.root, b.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %v: %s", KillSwitchPackage, err, strings.TrimSpace(stderr.String()))
	}
	sum := sha256.New()
	fmt.Fprintf(sum, "costguard killswitch v1\n%s\nlinux/%s\n%q\n", runtime.Version(), b.goarch, killSwitchBuildFlags)
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(l, "|")
		if len(f) != 5 {
			return "", fmt.Errorf("go list: unexpected line %q", l)
		}
		fmt.Fprintf(sum, "pkg %s %s\n", f[0], f[2])
		if f[3] != "true" || f[4] == "" {
			continue
		}
		files := strings.Split(f[4], ",")
		sort.Strings(files)
		for _, name := range files {
			h := sha256.New()
			fh, err := os.Open(filepath.Join(f[1], name))
			if err != nil {
				return "", err
			}
			_, err = io.Copy(h, fh)
			fh.Close()
			if err != nil {
				return "", err
			}
			fmt.Fprintf(sum, "file %s/%s %x\n", f[0], name, h.Sum(nil))
		}
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}
