package cdktest

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/internal/modroot"
	"github.com/costguard-ml/costguard/internal/validation"
)

// Update is set by the -update flag: golden files are rewritten instead of
// compared.
var Update = flag.Bool("update", false, "rewrite golden files in testdata/ instead of comparing with them")

// BundlingStacksContext is the context key that lists the stacks whose
// assets are bundled; an empty list skips every bundling step.
const BundlingStacksContext = "aws:cdk:bundling-stacks"

var (
	rootOnce sync.Once
	root     string
	rootErr  error
)

// ModuleRoot returns the directory holding the module's go.mod, found by
// walking up from the test's working directory.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() { root, rootErr = modroot.Find() })
	if rootErr != nil {
		t.Fatalf("cdktest: %v", rootErr)
	}
	return root
}

// cdkJSON is the part of cdk.json the CLI turns into app context.
type cdkJSON struct {
	Context          map[string]any `json:"context"`
	PathMetadata     *bool          `json:"pathMetadata"`
	AssetMetadata    *bool          `json:"assetMetadata"`
	VersionReporting *bool          `json:"versionReporting"`
}

// Context returns the context `cdk synth` gives the app: cdk.json's
// "context" block plus the CLI settings that change the template (path
// metadata, asset metadata and version reporting, with the CLI's defaults
// when cdk.json does not set them). The map is a fresh copy.
func Context(t testing.TB) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(ModuleRoot(t), "cdk.json"))
	if err != nil {
		t.Fatalf("cdktest: %v", err)
	}
	var c cdkJSON
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("cdktest: cdk.json: %v", err)
	}
	ctx := make(map[string]any, len(c.Context)+4)
	for k, v := range c.Context {
		ctx[k] = v
	}
	orTrue := func(b *bool) bool { return b == nil || *b }
	ctx["aws:cdk:enable-path-metadata"] = orTrue(c.PathMetadata)
	ctx["aws:cdk:enable-asset-metadata"] = orTrue(c.AssetMetadata)
	ctx["aws:cdk:version-reporting"] = orTrue(c.VersionReporting)
	return ctx
}

// NewApp returns an app with cdk.json's context that skips bundling.
func NewApp(t testing.TB) awscdk.App {
	t.Helper()
	return NewAppWithContext(t, nil)
}

// NewAppWithContext is [NewApp] with extra context, which wins over
// cdk.json's. Setting [BundlingStacksContext] in extra turns bundling back
// on (for example []string{"**"}).
func NewAppWithContext(t testing.TB, extra map[string]any) awscdk.App {
	t.Helper()
	return NewAppIn(t, t.TempDir(), extra)
}

// NewAppIn is [NewAppWithContext] writing its cloud assembly to outdir. An
// app shared by several tests needs an outdir that outlives the test that
// creates it (t.TempDir is removed when that test ends): create one in
// TestMain, or with [SharedDir].
func NewAppIn(t testing.TB, outdir string, extra map[string]any) awscdk.App {
	t.Helper()
	ctx := Context(t)
	ctx[BundlingStacksContext] = []any{}
	for k, v := range extra {
		ctx[k] = v
	}
	return awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: &outdir})
}

var (
	sharedOnce sync.Once
	sharedDir  string
	sharedErr  error
)

// SharedDir returns a directory that lives until the test binary exits,
// for the cloud assemblies of apps shared across tests. Call
// [RemoveSharedDir] from TestMain after m.Run to delete it.
func SharedDir(t testing.TB) string {
	t.Helper()
	sharedOnce.Do(func() { sharedDir, sharedErr = os.MkdirTemp("", "cdktest-") })
	if sharedErr != nil {
		t.Fatalf("cdktest: %v", sharedErr)
	}
	d, err := os.MkdirTemp(sharedDir, "app-")
	if err != nil {
		t.Fatalf("cdktest: %v", err)
	}
	return d
}

// RemoveSharedDir deletes what [SharedDir] created.
func RemoveSharedDir() {
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
}

// Template synthesizes stack and returns its template as plain JSON values.
func Template(t testing.TB, stack awscdk.Stack) map[string]any {
	t.Helper()
	m := assertions.Template_FromStack(stack, nil).ToJSON()
	if m == nil {
		t.Fatal("cdktest: empty template")
	}
	return *m
}

// NagFindings returns the cdk-nag findings left on stack as errors or
// warnings, one "LEVEL PATH: MESSAGE" string each, for rule ids starting
// with prefix (for example "AwsSolutions-"). The stack's app must have the
// checks applied before its first synth.
func NagFindings(t testing.TB, stack awscdk.Stack, prefix string) []string {
	t.Helper()
	a := assertions.Annotations_FromStack(stack)
	match := assertions.Match_StringLikeRegexp(jsii.String(regexp.QuoteMeta(prefix) + ".*"))
	var out []string
	for level, found := range map[string]*[]*cxapi.SynthesisMessage{ //lint:ignore SA1019 the assertions API returns this type
		"error":   a.FindError(jsii.String("*"), match),
		"warning": a.FindWarning(jsii.String("*"), match),
	} {
		for _, m := range *found {
			//lint:ignore SA1019 the assertions API returns this type
			out = append(out, fmt.Sprintf("%s %s: %v", level, *m.Id, m.Entry.Data))
		}
	}
	slices.Sort(out)
	return out
}

// assetHash matches an asset hash: 64 lowercase hex digits.
var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

// versionID matches the logical id of a function's current version,
// whose suffix hashes the function's configuration, code included.
var versionID = regexp.MustCompile(`(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}`)

// NormalizedHash replaces asset hashes; NormalizedVersion replaces the
// code-derived suffix of a Lambda version's logical id.
const (
	NormalizedHash    = "<asset-hash>"
	NormalizedVersion = "<version-hash>"
)

// Normalize returns the template's JSON, indented, with every asset hash
// replaced by [NormalizedHash] and every Lambda version logical id's
// code-derived suffix by [NormalizedVersion], so a change to the model
// server's source does not fail a golden test, while every other change does.
func Normalize(template map[string]any) string {
	s := assetHash.ReplaceAllString(MarshalTemplate(template), NormalizedHash)
	return versionID.ReplaceAllString(s, "${1}"+NormalizedVersion)
}

// MarshalTemplate returns the template's JSON, indented like the CLI writes it.
func MarshalTemplate(template map[string]any) string {
	b, err := json.MarshalIndent(template, "", " ")
	if err != nil {
		panic(fmt.Sprintf("cdktest: marshal template: %v", err))
	}
	return string(b) + "\n"
}

// AssetHashes returns the asset hashes that occur in the template, sorted
// and deduplicated.
func AssetHashes(template map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range assetHash.FindAllString(MarshalTemplate(template), -1) {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}

// Golden compares template with the golden file path (relative to the
// test's package directory, conventionally testdata/NAME.template.json),
// asset hashes normalised on both sides. With -update it writes the
// template as synthesized instead, real asset hashes included, so the file
// is a template `cdk diff --template` accepts.
func Golden(t testing.TB, path string, template map[string]any) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("cdktest: %v", err)
		}
		if err := os.WriteFile(path, []byte(MarshalTemplate(template)), 0o644); err != nil {
			t.Fatalf("cdktest: %v", err)
		}
		t.Logf("updated %s", path)
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cdktest: %v (run go test with -update to create it)", err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("cdktest: %s: %v", path, err)
	}
	got, exp := Normalize(template), Normalize(want)
	if got != exp {
		t.Errorf("template differs from %s (asset hashes ignored); review and run go test with -update to accept:\n%s", path, Diff(exp, got))
	}
}

// Diff returns a short line diff of want and got: the first differing
// lines with a little context.
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	// Trim the common prefix and suffix, then show what is left.
	p := 0
	for p < len(w) && p < len(g) && w[p] == g[p] {
		p++
	}
	sw, sg := len(w), len(g)
	for sw > p && sg > p && w[sw-1] == g[sg-1] {
		sw--
		sg--
	}
	const context, maxLines = 3, 60
	var b strings.Builder
	start := max(p-context, 0)
	fmt.Fprintf(&b, "@@ line %d @@\n", start+1)
	for _, l := range w[start:p] {
		b.WriteString("  " + l + "\n")
	}
	n := 0
	for _, l := range w[p:sw] {
		if n++; n > maxLines {
			b.WriteString("  ...\n")
			break
		}
		b.WriteString("- " + l + "\n")
	}
	n = 0
	for _, l := range g[p:sg] {
		if n++; n > maxLines {
			b.WriteString("  ...\n")
			break
		}
		b.WriteString("+ " + l + "\n")
	}
	return b.String()
}

// AddNagChecks applies cdk-nag's AWS Solutions rules, verbose, to scope
// (a stack, usually); call it before the stack is synthesized.
func AddNagChecks(scope constructs.IConstruct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// AwsSolutionsFindings is [NagFindings] for the "AwsSolutions-" rules that
// also reports a failed synth: cdk-nag fails synthesis when errors remain,
// and that failure comes back as one finding holding the validation
// report, so the caller sees the rule ids.
func AwsSolutionsFindings(t testing.TB, stack awscdk.Stack) (out []string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if i := strings.Index(msg, "found in: "); i >= 0 {
				if b, err := os.ReadFile(strings.TrimSpace(msg[i+len("found in: "):])); err == nil {
					msg += "\n" + string(b)
				}
			}
			out = append(out, msg)
		}
	}()
	return NagFindings(t, stack, "AwsSolutions-")
}

// GoldenAssets fails when the golden file's asset hashes differ from the
// template's. Golden ignores them, so a stale hash would pass it; but `cdk
// diff` against a golden compares them, and a stale one shows every
// function's code and image as changed on a fresh clone. Stacks whose
// assets are built from the checkout (real fingerprints, not test stubs)
// check both.
func GoldenAssets(t testing.TB, path string, template map[string]any) {
	t.Helper()
	if *Update {
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cdktest: %v", err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("cdktest: %s: %v", path, err)
	}
	if got, exp := AssetHashes(template), AssetHashes(want); !slices.Equal(got, exp) {
		t.Errorf("%s holds asset hashes %v, the checkout builds %v: the golden is stale (run make golden and review)", path, exp, got)
	}
}

// Reported is a costguard construct as a validation test sees it.
type Reported interface {
	constructs.IConstruct
	Err() error
}

// CheckReported fails t unless c reported its bad props the costguard way:
// Err returns a *validation.Error whose message has every want, one line
// per problem each starting with the construct path, and c carries one CDK
// error annotation per problem (so synth fails listing them). It returns
// the error's message.
func CheckReported(t testing.TB, c Reported, want ...string) string {
	t.Helper()
	err := c.Err()
	var ve *validation.Error
	if !errors.As(err, &ve) {
		t.Fatalf("Err() = %v, want a *validation.Error", err)
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("Err() = %q, want it to contain %q", msg, w)
		}
	}
	for _, line := range strings.Split(msg, "\n") {
		if !strings.HasPrefix(line, ve.Path+": ") {
			t.Errorf("line %q does not start with the construct path %q", line, ve.Path)
		}
	}
	var annotated []string
	for _, m := range *c.Node().Metadata() {
		if *m.Type == "aws:cdk:error" {
			annotated = append(annotated, fmt.Sprint(m.Data))
		}
	}
	if len(annotated) != len(ve.Problems) {
		t.Errorf("%d error annotations on %s, want %d (one per problem): %q", len(annotated), ve.Path, len(ve.Problems), annotated)
	}
	return msg
}
