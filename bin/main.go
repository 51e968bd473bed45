// Command bin is the costguard CDK app: one stack per stage (dev, staging,
// prod), each a cost-guarded inference API. cdk.json runs it with
// `go run ./bin`.
//
// Context: -c stage=NAME builds one stage only; -c KEY=VALUE overrides a
// stage field for every stage built (see stacks.OverrideKeys), for example
// -c modelDir=/abs/path/to/model -c architecture=x86_64 to serve another
// model on any tier. A bad configuration prints one line per problem and
// exits 1.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/internal/modroot"
	"github.com/costguard-ml/costguard/stacks"
)

func main() {
	code := run()
	jsii.Close()
	os.Exit(code)
}

func run() int {
	app := awscdk.NewApp(nil)
	root, err := moduleRoot()
	if err != nil {
		return fail(err)
	}
	keysErr := checkContextKeys(app)
	opts := stacks.AppOptions{Root: root, Overrides: map[string]string{}}
	if v := contextString(app, stacks.StageContextKey); v != "" {
		opts.Stage = v
	}
	for _, k := range stacks.OverrideKeys() {
		if v := contextString(app, k); v != "" {
			opts.Overrides[k] = v
		}
	}
	var pricesErr error
	if v := contextString(app, stacks.PricesFileContextKey); v != "" {
		opts.PriceList, pricesErr = loadPriceList(root, v)
	}
	if _, err := stacks.BuildApp(app, opts); err != nil || keysErr != nil || pricesErr != nil {
		return fail(errors.Join(keysErr, pricesErr, err))
	}
	stacks.AddChecks(app)
	if err := synth(app); err != nil {
		// cdk-nag findings and CDK validation errors were printed above
		// the panic by the CDK; the Go stack trace would add nothing.
		fmt.Fprintln(os.Stderr, "costguard: synth failed:", err)
		return 1
	}
	return 0
}

// synth synthesizes the app, turning the CDK's validation panic (an
// unsuppressed cdk-nag finding, for example) into an error.
func synth(app awscdk.App) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	app.Synth(nil)
	return nil
}

// fail prints every problem on its own line, without a stack trace.
func fail(err error) int {
	fmt.Fprintln(os.Stderr, "costguard: invalid configuration:")
	fmt.Fprintln(os.Stderr, err)
	return 1
}

// checkContextKeys fails on a context key that is neither the app's
// (stage, an override) nor the CDK's own (feature flags "@aws-cdk/...",
// "aws:cdk:...", "aws-cdk:...", cdk.json's and cdk.context.json's keys
// such as "acknowledged-issue-numbers" or lookups "availability-zones:..."),
// naming the nearest known key: a misspelt override (-c memorymib=2048)
// would otherwise be ignored silently.
func checkContextKeys(app awscdk.App) error {
	all, _ := app.Node().GetAllContext(nil).(map[string]interface{})
	known := append([]string{stacks.StageContextKey, stacks.PricesFileContextKey}, stacks.OverrideKeys()...)
	var errs []error
	for k := range all {
		if slices.Contains(known, k) || cdkContextKey(k) {
			continue
		}
		errs = append(errs, fmt.Errorf("-c %s: not a context key of this app (did you mean %s? known: %s)", k, nearest(k, known), strings.Join(known, ", ")))
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// cdkContextKey reports whether k is one of the CDK's own context keys.
func cdkContextKey(k string) bool {
	for _, p := range []string{"@aws-cdk", "aws:cdk:", "aws-cdk:", "cdk-", "@aws-cdk-containers/"} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	// cdk.context.json's cached lookups ("availability-zones:account=...")
	// and the CLI's own settings.
	return strings.Contains(k, ":") || k == "acknowledged-issue-numbers" || k == "cli-telemetry"
}

// nearest returns the known key closest to k (case-insensitive edit distance).
func nearest(k string, known []string) string {
	best, bestD := "", -1
	for _, c := range known {
		if d := editDistance(strings.ToLower(k), strings.ToLower(c)); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// contextString returns a context value as a string ("" when unset).
func contextString(app awscdk.App, key string) string {
	v := app.Node().TryGetContext(jsii.String(key))
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return fmt.Sprint(t)
	case bool:
		return fmt.Sprint(t)
	}
	return fmt.Sprint(v)
}

// moduleRoot finds go.mod above the working directory (cdk runs the app
// from the directory holding cdk.json).
func moduleRoot() (string, error) {
	root, err := modroot.Find()
	if errors.Is(err, modroot.ErrNotFound) {
		return "", fmt.Errorf("%w; run cdk from the repository root", err)
	}
	return root, err
}

// loadPriceList reads the comma-separated AWS Price List files of
// -c pricesFile (relative paths from the module root, where cdk runs the
// app).
func loadPriceList(root, value string) (*pricing.PriceList, error) {
	var files []string
	for _, f := range strings.Split(value, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if !filepath.IsAbs(f) {
			f = filepath.Join(root, f)
		}
		files = append(files, f)
	}
	pl, err := pricing.LoadPriceList(files...)
	if err != nil {
		return nil, fmt.Errorf("-c %s=%s: %w", stacks.PricesFileContextKey, value, err)
	}
	return pl, nil
}
