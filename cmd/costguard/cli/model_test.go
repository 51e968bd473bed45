package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
)

const models = "../../../lambda/models"

// TestModelInitEachExport runs `costguard model init` on every committed
// export as a user would (flags only, the graph read for the rest), then
// `model check --json`, and compares the manifest init writes with the
// committed one: init is what made them.
func TestModelInitEachExport(t *testing.T) {
	for _, tt := range []struct {
		name, flags string
	}{
		{"mobilenet", "--task image-classification --labels @" + models + "/mobilenet/labels.txt"},
		{"mobilenet17", "--task image-classification --labels @" + models + "/mobilenet17/labels.txt"},
		{"cnn", "--task image-classification --labels @" + models + "/cnn/labels.txt --mean 0.5,0.5,0.5 --std 0.5,0.5,0.5"},
		{"bert", "--task text-classification --labels @" + models + "/bert/labels.txt --tokenizer " + models + "/bert/tokenizer.json --max-length 128"},
		{"bert13", "--task text-classification --labels @" + models + "/bert13/labels.txt --tokenizer " + models + "/bert13/tokenizer.json --max-length 128"},
		{"iris-linear", "--task tabular --labels @" + models + "/iris-linear/labels.txt"},
		{"wine-forest", "--task tabular --labels @" + models + "/wine-forest/labels.txt --output probabilities"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tt.name)
			stdout, stderr, code := run(t, "costguard model init --onnx "+models+"/"+tt.name+"/model.onnx --out "+out+" "+tt.flags)
			if code != 0 {
				t.Fatalf("init exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "wrote "+filepath.Join(out, "manifest.json")) {
				t.Errorf("init output %q does not name the manifest", stdout)
			}
			got, err := model.ReadManifest(out)
			if err != nil {
				t.Fatal(err)
			}
			want, err := model.ReadManifest(filepath.Join(models, tt.name))
			if err != nil {
				t.Fatal(err)
			}
			// What the graph decides must agree with the committed manifest.
			if got.Task != want.Task || got.Output != want.Output || got.Scores != want.Scores ||
				got.ONNX.SHA256 != want.ONNX.SHA256 || strings.Join(got.Labels, ",") != strings.Join(want.Labels, ",") {
				t.Errorf("init wrote task %s output %s (%s) sha %s labels %v; committed: %s %s (%s) %s %v",
					got.Task, got.Output, got.Scores, got.ONNX.SHA256, got.Labels, want.Task, want.Output, want.Scores, want.ONNX.SHA256, want.Labels)
			}
			stdout, stderr, code = run(t, "costguard model check "+out+" --json --runs 3 --batch-sizes 1,2")
			if code != 0 {
				t.Fatalf("check exit %d: %s", code, stderr)
			}
			var r model.CheckReport
			dec := json.NewDecoder(strings.NewReader(stdout))
			if err := dec.Decode(&r); err != nil {
				t.Fatalf("check --json is not JSON: %v\n%s", err, stdout)
			}
			if dec.More() {
				t.Error("check --json printed more than one JSON document")
			}
			if r.Model != tt.name || len(r.Timings) != 2 || r.Timings[1].BatchSize != 2 || r.LoadMs <= 0 || r.PeakMemoryMiB <= 0 || r.P99Ms <= 0 {
				t.Errorf("check report %+v lacks the measurements", r.Profile)
			}
			if _, err := os.Stat(filepath.Join(out, model.ProfileFile)); err != nil {
				t.Errorf("check wrote no profile: %v", err)
			}
		})
	}
}

// TestModelRefusals: what the server cannot serve is refused in one line
// that names the problem, with exit 1 for a model and 2 for a flag.
func TestModelRefusals(t *testing.T) {
	tmp := t.TempDir()
	broken := filepath.Join(tmp, "broken")
	if _, _, code := run(t, "costguard model init --onnx "+models+"/iris-linear/model.onnx --out "+broken+" --task tabular"); code != 0 {
		t.Fatal("init of a good export failed")
	}
	onnx, err := os.ReadFile(filepath.Join(broken, "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	onnx[len(onnx)-1] ^= 1
	if err := os.WriteFile(filepath.Join(broken, "model.onnx"), onnx, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, cmd string
		code      int
		want      string
	}{
		{"no task", "costguard model init --onnx x.onnx --out " + tmp + "/a", 2, "--task is required"},
		{"bad task", "costguard model init --onnx x.onnx --out " + tmp + "/a --task audio", 2, `--task: "audio" is not one of`},
		{"missing file", "costguard model init --onnx " + tmp + "/none.onnx --out " + tmp + "/a --task tabular", 1, "no such file"},
		{"not onnx", "costguard model init --onnx " + models + "/iris-linear/labels.txt --out " + tmp + "/a --task tabular", 1, "not an ONNX model"},
		{"labels do not match", "costguard model init --onnx " + models + "/cnn/model.onnx --out " + tmp + "/a --task image-classification --labels a,b", 1, `labels: 2 given, output "logits" has 10 columns`},
		{"wrong task for the input", "costguard model init --onnx " + models + "/cnn/model.onnx --out " + tmp + "/a --task tabular", 1, "a tabular model takes [N,features]"},
		{"text without tokenizer", "costguard model init --onnx " + models + "/bert/model.onnx --out " + tmp + "/a --task text-classification", 1, "needs --tokenizer"},
		{"image flag on text", "costguard model init --onnx " + models + "/bert/model.onnx --out " + tmp + "/a --task text-classification --mean 1,2,3", 2, "--image-size, --mean, --std and --resize-shorter are for --task image-classification"},
		{"two float outputs need --output", "costguard model init --onnx " + models + "/wine-forest/model.onnx --out " + tmp + "/a --task tabular --output label", 1, `output "label" is int64; scores must be float32`},
		{"features count", "costguard model init --onnx " + models + "/wine-forest/model.onnx --out " + tmp + "/a --task tabular --features a,b", 1, "features: 2 names given, input \"input\" has 13 columns"},
		{"bad mean", "costguard model init --onnx x.onnx --out " + tmp + "/a --task image-classification --mean 1,2", 2, `--mean: "1,2" has 2 values, want 3`},
		{"std zero", "costguard model init --onnx x.onnx --out " + tmp + "/a --task image-classification --std 1,0,1", 2, "--std: \"1,0,1\" must be three numbers above 0"},
		{"operator the chosen engine lacks", "costguard model init --onnx " + models + "/mobilenet/model.onnx --out " + tmp + "/a --task image-classification --engine gonnx", 1, `engine "gonnx" cannot run operator Clip`},
		{"unknown engine", "costguard model init --onnx x.onnx --out " + tmp + "/a --task tabular --engine tensorrt", 2, `--engine: "tensorrt" is not one of`},
		{"check sha256", "costguard model check " + broken, 1, "model.onnx has sha256"},
		{"check no dir", "costguard model check " + tmp + "/none", 1, "read manifest"},
		{"check two dirs", "costguard model check a b", 2, "takes one model directory"},
		{"unknown subcommand", "costguard model train", 2, `"train" is not a subcommand`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := run(t, tt.cmd)
			if code != tt.code || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestModelInitPureGoEngine: a CLI built with cgo still checks a model for
// a pure-Go engine it does not carry (the server build for that manifest
// is static and cgo-free).
func TestModelInitPureGoEngine(t *testing.T) {
	out := filepath.Join(t.TempDir(), "shapes")
	_, stderr, code := run(t, "costguard model init --onnx "+models+"/mobilenet17/model.onnx --out "+out+" --task image-classification --labels circle,square,triangle --engine gomlx")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := model.ReadManifest(out)
	if err != nil || m.Engine != "gomlx" {
		t.Fatalf("manifest engine %v (%v), want gomlx", m, err)
	}
}
