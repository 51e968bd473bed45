package service

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/testmodel"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
	"github.com/costguard-ml/costguard/internal/testproc"
)

// dockerfile is what a generated Dockerfile declares.
type dockerfile struct {
	from       string
	copies     map[string]string // context path → image path
	env        []string
	entrypoint []string
}

func readDockerfile(t *testing.T, path string) dockerfile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := dockerfile{copies: map[string]string{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		switch fields[0] {
		case "FROM":
			d.from = fields[1]
		case "COPY":
			d.copies[strings.TrimSuffix(fields[1], "/")] = strings.TrimSuffix(fields[2], "/")
		case "ENV":
			d.env = append(d.env, fields[1:]...)
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(strings.TrimPrefix(sc.Text(), "ENTRYPOINT ")), &d.entrypoint); err != nil {
				t.Fatalf("ENTRYPOINT is not exec form: %v", err)
			}
		}
	}
	return d
}

// imageContexts synthesizes the stack's app and returns the staged
// contexts of its image assets.
func imageContexts(t *testing.T, stack awscdk.Stack) []string {
	t.Helper()
	asm := awscdk.Stage_Of(stack).Synth(nil)
	dirs, _ := filepath.Glob(filepath.Join(*asm.Directory(), "asset.*"))
	var out []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "Dockerfile")); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// The Fargate and SageMaker images carry the caller's model, not spam, and
// the model server built for the task's architecture; the staged server
// answers in the face each tier starts it in, over loopback.
func TestModelServerImage(t *testing.T) {
	dir := testmodel.UserModel(t, cdktest.ModuleRoot(t))
	image, err := ModelServerImage(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tier                  workload.Tier
		args                  []string
		face, health, predict string
		portVar               string
	}{
		{workload.TierFargate, nil, "http", "/health", "/predict", "PORT"},
		{workload.TierSageMakerServerless, []string{"serve"}, "sagemaker", "/ping", "/invocations", "SAGEMAKER_BIND_TO_PORT"},
	} {
		t.Run(string(tt.tier), func(t *testing.T) {
			stack := newStack(t, "Image"+strings.ReplaceAll(string(tt.tier), "-", ""))
			// x86_64 so this machine runs the staged server; SageMaker is
			// x86_64 anyway.
			NewInferenceService(stack, "Inference", &InferenceServiceProps{
				Profile: textModel, Tier: tt.tier, Architecture: workload.ArchX86_64, ContainerImage: image,
			})
			ctxs := imageContexts(t, stack)
			if len(ctxs) != 1 {
				t.Fatalf("%d image contexts staged, want 1", len(ctxs))
			}
			ctx := ctxs[0]
			man, err := os.ReadFile(filepath.Join(ctx, "model", "manifest.json"))
			if err != nil || !strings.Contains(string(man), `"name": "my-model"`) {
				t.Fatalf("the image's model/manifest.json is not the caller's (%v):\n%.200s", err, man)
			}
			df := readDockerfile(t, filepath.Join(ctx, "Dockerfile"))
			// The native build: ONNX Runtime and its C++ runtime in lib/, next to the bootstrap (RPATH $ORIGIN/lib).
			want := map[string]string{"bootstrap": "/opt/costguard/bootstrap", "model": "/opt/costguard/model", "lib": "/opt/costguard/lib"}
			if len(df.copies) != len(want) || df.copies["bootstrap"] != want["bootstrap"] || df.copies["model"] != want["model"] || df.copies["lib"] != want["lib"] {
				t.Fatalf("Dockerfile copies %v, want %v", df.copies, want)
			}
			if len(df.entrypoint) != 1 || df.entrypoint[0] != "/opt/costguard/bootstrap" || df.from == "" {
				t.Fatalf("Dockerfile FROM %q ENTRYPOINT %q, want a base and the bootstrap alone", df.from, df.entrypoint)
			}
			b, err := os.ReadFile(filepath.Join(ctx, "bootstrap"))
			if err != nil || len(b) < 20 || string(b[1:4]) != "ELF" || b[18] != 62 {
				t.Fatalf("bootstrap is not an x86-64 executable (%v)", err)
			}

			// Run it as the image would: the bootstrap next to model/, the
			// Dockerfile's ENV and ENTRYPOINT, the tier's argument; only
			// the listen address is the test's.
			port := testproc.FreePorts(t, 1)[0]
			env := append(append([]string{}, df.env...), "HOST=127.0.0.1", tt.portVar+"="+strconv.Itoa(port))
			p := testproc.Start(t, ctx, env, filepath.Join(ctx, "bootstrap"), tt.args...)
			testproc.WaitTCP(t, p, testproc.Addr(port))
			base := "http://" + testproc.Addr(port)
			status, body := get(t, http.MethodGet, base+tt.health, "")
			if status != 200 || !strings.Contains(body, `"face":"`+tt.face+`"`) || !strings.Contains(body, `"name":"my-model"`) {
				t.Fatalf("GET %s = %d %s, want the %s face serving my-model", tt.health, status, body, tt.face)
			}
			status, body = get(t, http.MethodPost, base+tt.predict, `{"instances": ["WIN a FREE vacation! Click here now to claim your prize"]}`)
			if status != 200 || !strings.Contains(body, `"label":"spam"`) || !strings.Contains(body, `"name":"my-model"`) {
				t.Fatalf("POST %s = %d %s", tt.predict, status, body)
			}
		})
	}
}

func get(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A broken model directory fails before any construct is built, in one
// line naming it.
func TestModelServerImageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := ModelServerImage(missing); err == nil || err.Error() != `modelDir: "`+missing+`" is not a directory (want one that holds manifest.json and the ONNX file it names)` {
		t.Errorf("missing directory: %v", err)
	}
}
