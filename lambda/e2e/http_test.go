package e2e

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/modelserver"
)

// image is what the container tiers' generated Dockerfile declares
// (internal/modelserver, staged for the spam model and this machine's
// architecture), and the build context it was staged in.
type image struct {
	entrypoint []string
	env        []string
	binDest    string // where the bootstrap is copied
	modelDest  string // where the model directory is copied
	libDest    string // where lib/ is copied (native builds)
	context    string
}

// readDockerfile stages the image's build context for the committed model
// called name as synth does and extracts the Dockerfile's ENTRYPOINT, ENV
// and COPY destinations, so the tests run the staged binary exactly as the
// image would.
func readDockerfile(t *testing.T, name string) image {
	t.Helper()
	arch := workload.ArchX86_64
	if runtime.GOARCH == "arm64" {
		arch = workload.ArchARM64
	}
	o, err := modelserver.Build(filepath.Join(root, "lambda", "models", name), arch)
	if err != nil {
		t.Fatal(err)
	}
	img := image{}
	if img.context, _, err = modelserver.StageImage(o); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(img.context, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	copyRe := regexp.MustCompile(`^COPY\s+(\S+)\s+(\S+)$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "ENTRYPOINT "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "ENTRYPOINT ")), &img.entrypoint); err != nil {
				t.Fatalf("ENTRYPOINT must be exec form: %v", err)
			}
		case strings.HasPrefix(line, "ENV "):
			img.env = append(img.env, strings.Fields(strings.TrimPrefix(line, "ENV "))...)
		case copyRe.MatchString(line):
			m := copyRe.FindStringSubmatch(line)
			switch m[1] {
			case "bootstrap":
				img.binDest = m[2]
			case "model/":
				img.modelDest = strings.TrimSuffix(m[2], "/")
			case "lib/":
				img.libDest = strings.TrimSuffix(m[2], "/")
			}
		}
	}
	if len(img.entrypoint) == 0 || img.binDest == "" || img.modelDest == "" {
		t.Fatalf("generated Dockerfile: cannot find ENTRYPOINT and the bootstrap and model COPY lines: %+v", img)
	}
	if img.entrypoint[0] != img.binDest {
		t.Fatalf("ENTRYPOINT %q does not run the copied bootstrap %q", img.entrypoint[0], img.binDest)
	}
	return img
}

// imageRoot lays out the image's files under a temporary root.
func imageRoot(t *testing.T, img image) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, img.binDest)
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(img.context, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := copyDir(filepath.Join(img.context, "model"), filepath.Join(dir, img.modelDest)); err != nil {
		t.Fatal(err)
	}
	if img.libDest != "" {
		if err := copyDir(filepath.Join(img.context, "lib"), filepath.Join(dir, img.libDest)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDockerfileEntrypoint runs the image's ENTRYPOINT with the image's ENV,
// without and with SageMaker's "serve" argument, over loopback. Only the
// listen address is overridden (HOST, and PORT or SAGEMAKER_BIND_TO_PORT),
// so the test never binds a public interface or a fixed port.
func TestDockerfileEntrypoint(t *testing.T) {
	needSetup(t)
	img := readDockerfile(t, "spam")
	dir := imageRoot(t, img)
	entry := append([]string{filepath.Join(dir, img.entrypoint[0])}, img.entrypoint[1:]...)
	spam := `{"instances": ["WIN a FREE vacation! Click here now to claim your prize, limited time offer, reply REMOVE to be removed from our list", "Re: patch for the build script\n\nThanks, I applied it to CVS. The tests pass on my machine now."]}`
	tests := []struct {
		name, predict, health string
		args, env             []string
		portVar               string
	}{
		{name: "http", predict: "/predict", health: "/health", portVar: "PORT",
			env: []string{"MAX_BODY_BYTES=4096"}},
		{name: "sagemaker", predict: "/invocations", health: "/ping", portVar: "SAGEMAKER_BIND_TO_PORT",
			args: []string{"serve"}, env: []string{"MAX_BODY_BYTES=4096"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port := freePort(t)
			env := append(append(append([]string{}, img.env...), tt.env...), "HOST=127.0.0.1", tt.portVar+"="+itoa(port))
			p := start(t, dir, env, entry[0], append(entry[1:], tt.args...)...)
			waitTCP(t, p, addr(port))
			base := "http://" + addr(port)

			status, body := do(t, http.MethodGet, base+tt.health, "", nil)
			if status != 200 || !strings.Contains(string(body), `"face":"`+tt.name+`"`) {
				t.Fatalf("GET %s = %d %s", tt.health, status, body)
			}
			status, body = do(t, http.MethodPost, base+tt.predict, "application/json", []byte(spam))
			var pred struct {
				Predictions []struct{ Label string } `json:"predictions"`
			}
			if err := json.Unmarshal(body, &pred); err != nil || status != 200 ||
				len(pred.Predictions) != 2 || pred.Predictions[0].Label != "spam" || pred.Predictions[1].Label != "ham" {
				t.Fatalf("POST %s = %d %s, want [spam ham]", tt.predict, status, body)
			}

			errCases := []struct {
				name, method, path, ct, body string
				status                       int
				field                        string
			}{
				{"malformed", "POST", tt.predict, "application/json", `{"instances": [`, 400, "body"},
				{"wrong shape", "POST", tt.predict, "application/json", `{"instances": {"a": 1}}`, 400, "instances"},
				{"empty", "POST", tt.predict, "application/json", `{"instances": []}`, 400, "instances"},
				{"too many", "POST", tt.predict, "application/json", `{"instances": [` + strings.Repeat(`"a",`, 64) + `"a"]}`, 400, "instances"},
				{"not a string", "POST", tt.predict, "application/json", `{"instances": [null]}`, 400, "instances[0]"},
				{"too large", "POST", tt.predict, "application/json", `{"instances": ["` + strings.Repeat("a", 5000) + `"]}`, 413, "body"},
				{"content type", "POST", tt.predict, "text/csv", "a,b\n", 415, "content-type"},
				{"unknown path", "GET", "/nope", "", "", 404, "path"},
				{"wrong method", "GET", tt.predict, "", "", 405, "method"},
			}
			for _, ec := range errCases {
				t.Run(ec.name, func(t *testing.T) {
					status, body := do(t, ec.method, base+ec.path, ec.ct, []byte(ec.body))
					var e struct {
						Error *string `json:"error"`
						Field *string `json:"field"`
					}
					if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || e.Field == nil {
						t.Fatalf("want {\"error\",\"field\"}, got %d %s", status, body)
					}
					if status != ec.status || *e.Field != ec.field {
						t.Errorf("got %d field %q (%s), want %d field %q", status, *e.Field, *e.Error, ec.status, ec.field)
					}
				})
			}
			if p.Exited() {
				t.Fatalf("server exited: %v\n%s", p.Err(), p.Out)
			}
		})
	}
}

// TestStartupErrors runs the binary with bad settings: it must exit
// non-zero before serving, with one line naming the variable and value.
func TestStartupErrors(t *testing.T) {
	needSetup(t)
	tests := []struct {
		name string
		env  []string
		args []string
		want []string
	}{
		{"bad log level", []string{"LOG_LEVEL=loud"}, nil, []string{`LOG_LEVEL="loud"`, "debug, info, warn or error"}},
		{"bad port and body limit", []string{"PORT=99999", "MAX_BODY_BYTES=-1"}, nil, []string{`PORT="99999"`, `MAX_BODY_BYTES="-1"`}},
		{"bad mode", []string{"SERVER_MODE=batch"}, nil, []string{`SERVER_MODE="batch"`, "lambda, http or sagemaker"}},
		{"bad argument", nil, []string{"train"}, []string{`argument "train"`}},
		{"missing model", []string{"MODEL_DIR=/nonexistent/model", "HOST=127.0.0.1", "PORT=1"}, nil, []string{`MODEL_DIR="/nonexistent/model"`, "manifest.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := start(t, taskDir, tt.env, bootstrap, tt.args...)
			if p.Err() == nil {
				t.Fatalf("exited 0, want a failure\n%s", p.Out)
			}
			for _, w := range tt.want {
				if !strings.Contains(p.Out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, p.Out)
				}
			}
		})
	}
}

func itoa(n int) string { return strings.TrimPrefix(addr(n), "127.0.0.1:") }
