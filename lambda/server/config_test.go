package server_test

import (
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/server"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name  string
		env   func(string) string
		args  []string
		check func(t *testing.T, c server.Config)
	}{
		{"defaults are the HTTP face", env(), nil, func(t *testing.T, c server.Config) {
			if c.Face != server.FaceHTTP || c.Port != 8080 || c.ModelDir != "/var/task/model" || c.MaxBodyBytes != 6<<20 ||
				c.MaxInstances != 64 || c.DeadlineMargin != 50*time.Millisecond || c.LogLevel != slog.LevelInfo || c.LogFormat != "json" || !c.Metrics {
				t.Errorf("defaults: %+v", c)
			}
		}},
		{"runtime API selects Lambda", env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"), nil, func(t *testing.T, c server.Config) {
			if c.Face != server.FaceLambda {
				t.Errorf("face %s", c.Face)
			}
		}},
		{"serve selects SageMaker on 8080", env("PORT", "9000"), []string{"serve"}, func(t *testing.T, c server.Config) {
			if c.Face != server.FaceSageMaker || c.Port != 8080 {
				t.Errorf("face %s port %d", c.Face, c.Port)
			}
		}},
		{"SageMaker bind port", env("SAGEMAKER_BIND_TO_PORT", "9090"), []string{"serve"}, func(t *testing.T, c server.Config) {
			if c.Port != 9090 {
				t.Errorf("port %d", c.Port)
			}
		}},
		{"explicit mode wins", env("SERVER_MODE", "sagemaker"), nil, func(t *testing.T, c server.Config) {
			if c.Face != server.FaceSageMaker {
				t.Errorf("face %s", c.Face)
			}
		}},
		{"every setting", env("MODEL_DIR", "/m", "LOG_LEVEL", "debug", "LOG_FORMAT", "text", "HOST", "127.0.0.1", "PORT", "9000",
			"MAX_BODY_BYTES", "1024", "MAX_INSTANCES", "8", "DEADLINE_MARGIN_MS", "0", "REQUEST_TIMEOUT_MS", "250", "METRICS", "off"), nil,
			func(t *testing.T, c server.Config) {
				want := server.Config{Face: server.FaceHTTP, ModelDir: "/m", IntraOpThreads: runtime.NumCPU(), LogLevel: slog.LevelDebug, LogFormat: "text",
					Host: "127.0.0.1", Port: 9000, MaxBodyBytes: 1024, MaxInstances: 8, RequestTimeout: 250 * time.Millisecond}
				if c != want {
					t.Errorf("got %+v\nwant %+v", c, want)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := server.ConfigFromEnv(tt.env, tt.args, "/var/task")
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

// TestConfigFromEnvErrors has a row per rule; each message names the
// variable, its value and what is allowed.
func TestConfigFromEnvErrors(t *testing.T) {
	tests := []struct {
		name string
		env  func(string) string
		args []string
		want []string
	}{
		{"mode", env("SERVER_MODE", "batch"), nil, []string{`SERVER_MODE="batch" is not allowed: want lambda, http or sagemaker`}},
		{"lambda without runtime", env("SERVER_MODE", "lambda"), nil, []string{"needs AWS_LAMBDA_RUNTIME_API"}},
		{"argument", env(), []string{"train"}, []string{`argument "train" is not allowed`}},
		{"engine", env("ENGINE", "tensorrt"), nil, []string{`ENGINE="tensorrt" is not allowed: want one of ` + strings.Join(model.Engines(), ", ")}},
		{"log level", env("LOG_LEVEL", "verbose"), nil, []string{`LOG_LEVEL="verbose" is not allowed: want debug, info, warn or error`}},
		{"log level offset", env("LOG_LEVEL", "info+2"), nil, []string{`LOG_LEVEL="info+2"`}},
		{"log format", env("LOG_FORMAT", "xml"), nil, []string{`LOG_FORMAT="xml" is not allowed: want json or text`}},
		{"host", env("HOST", "a b"), nil, []string{`HOST="a b"`}},
		{"port", env("PORT", "http"), nil, []string{`PORT="http" is not allowed: want an integer from 1 to 65535`}},
		{"sagemaker port", env("SAGEMAKER_BIND_TO_PORT", "0"), []string{"serve"}, []string{`SAGEMAKER_BIND_TO_PORT="0"`}},
		{"body", env("MAX_BODY_BYTES", "0"), nil, []string{`MAX_BODY_BYTES="0" is not allowed: want an integer from 1 to 104857600`}},
		{"instances", env("MAX_INSTANCES", "1e3"), nil, []string{`MAX_INSTANCES="1e3"`}},
		{"margin", env("DEADLINE_MARGIN_MS", "-5"), nil, []string{`DEADLINE_MARGIN_MS="-5"`}},
		{"timeout", env("REQUEST_TIMEOUT_MS", "soon"), nil, []string{`REQUEST_TIMEOUT_MS="soon"`}},
		{"metrics", env("METRICS", "prometheus"), nil, []string{`METRICS="prometheus" is not allowed: want emf or off`}},
		{"all problems together", env("PORT", "-1", "METRICS", "x", "LOG_FORMAT", "y"), nil, []string{`PORT="-1"`, `METRICS="x"`, `LOG_FORMAT="y"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := server.ConfigFromEnv(tt.env, tt.args, "/var/task")
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if line == "" || strings.HasSuffix(line, ".") {
					t.Errorf("badly formed error line %q", line)
				}
			}
		})
	}
}

// TestEnvVarsDocumented keeps EnvVars (printed by bootstrap -h and copied
// into docs/model-server.md) in step with what ConfigFromEnv reads.
func TestEnvVarsDocumented(t *testing.T) {
	read := map[string]bool{}
	getenv := func(k string) string { read[k] = true; return "" }
	for _, args := range [][]string{nil, {"serve"}} {
		if _, err := server.ConfigFromEnv(getenv, args, "/var/task"); err != nil {
			t.Fatal(err)
		}
	}
	delete(read, "AWS_LAMBDA_RUNTIME_API")          // set by Lambda, not by users
	delete(read, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE") // set by Lambda, not by users
	documented := map[string]bool{}
	for _, v := range server.EnvVars {
		documented[v.Name] = true
	}
	for k := range read {
		if !documented[k] {
			t.Errorf("%s is read but missing from EnvVars", k)
		}
	}
	for k := range documented {
		if !read[k] && k != "ONNXRUNTIME_LIB" {
			t.Errorf("%s is documented but never read", k)
		}
	}
}
