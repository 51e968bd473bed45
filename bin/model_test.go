package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/testmodel"

	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/internal/testproc"
)

// TestSynthModelDir is the app's bring-your-own-model path: `cdk synth
// costguard-dev -c stage=dev -c modelDir=DIR -c architecture=x86_64` (also
// with -c tier=lambda) bundles an x86_64 asset that serves DIR's model
// under the Lambda Runtime Interface Emulator.
func TestSynthModelDir(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CDK CLI and builds the model server")
	}
	model := testmodel.UserModel(t, cdktest.ModuleRoot(t))
	event, err := os.ReadFile(filepath.Join(cdktest.ModuleRoot(t), "lambda", "server", "testdata", "events", "rest_v1_predict.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		extra []string
	}{
		{"stage tier", nil},
		{"tier lambda", []string{"-c", "tier=lambda"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outdir := t.TempDir()
			args := append([]string{"synth", "costguard-dev", "--quiet", "--output", outdir,
				"-c", "stage=dev", "-c", "modelDir=" + model, "-c", "architecture=x86_64"}, tc.extra...)
			if out, err := cdk(t, args...); err != nil {
				t.Fatalf("cdk synth: %v\n%s", err, out)
			}
			asset := testproc.ModelServerAsset(t, outdir, "costguard-dev")
			raw, err := os.ReadFile(filepath.Join(outdir, "costguard-dev.template.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), `"x86_64"`) || strings.Contains(string(raw), `"arm64"`) {
				t.Error("the template's functions are not all x86_64")
			}
			url, p := testproc.StartRIE(t, filepath.Join(asset, "bootstrap"))
			status, body := testproc.Invoke(t, url, event)
			testmodel.CheckUserModelAnswer(t, status, body, p.Out.String())
		})
	}
}

// TestSynthRejectsBadModelDir: a model directory that does not exist fails
// synth with one line naming it, and no stack trace.
func TestSynthRejectsBadModelDir(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CDK CLI")
	}
	missing := filepath.Join(t.TempDir(), "nope")
	out, err := cdk(t, "synth", "--quiet", "--output", t.TempDir(), "-c", "stage=dev", "-c", "modelDir="+missing, "-c", "architecture=x86_64")
	if err == nil {
		t.Fatalf("cdk synth succeeded, want a failure:\n%s", out)
	}
	want := "\nstage dev: modelDir: \"" + missing + "\" is not a directory (want one that holds manifest.json and the ONNX file it names)\n"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	for _, trace := range []string{"goroutine ", "panic:", ".go:"} {
		if strings.Contains(out, trace) {
			t.Errorf("output holds a stack trace (%q):\n%s", trace, out)
		}
	}
}
