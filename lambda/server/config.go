package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/costguard-ml/costguard/lambda/model"
)

// Face is the transport a server answers on.
type Face string

// The faces.
const (
	FaceLambda    Face = "lambda"
	FaceHTTP      Face = "http"
	FaceSageMaker Face = "sagemaker"
)

// Defaults.
const (
	DefaultPort           = 8080
	DefaultMaxBodyBytes   = 6 << 20 // Lambda's synchronous payload limit
	DefaultMaxInstances   = 64
	DefaultDeadlineMargin = 50 * time.Millisecond
	// SageMakerPort is the port the SageMaker container contract listens on.
	SageMakerPort = 8080
)

// Config is the validated start-up configuration.
type Config struct {
	Face           Face
	ModelDir       string
	Engine         string // empty: the manifest's, else model.DefaultEngine
	IntraOpThreads int    // threads one inference may use (model.IntraOpThreads)
	LogLevel       slog.Level
	LogFormat      string // json or text
	Host           string
	Port           int
	MaxBodyBytes   int64
	MaxInstances   int
	DeadlineMargin time.Duration
	RequestTimeout time.Duration // HTTP faces only; 0 means none
	Metrics        bool          // CloudWatch EMF lines on stdout
}

// EnvVar documents one environment variable.
type EnvVar struct {
	Name, Default, Allowed, Doc string
}

// EnvVars lists every variable ConfigFromEnv reads, for docs and -help.
var EnvVars = []EnvVar{
	{"MODEL_DIR", "model next to the executable (/var/task/model on Lambda)", "a directory with manifest.json and model.onnx", "model to serve"},
	{"SERVER_MODE", "lambda when AWS_LAMBDA_RUNTIME_API is set, sagemaker when started with the argument serve, else http", "lambda, http, sagemaker", "which face to run"},
	{"ENGINE", "the manifest's engine, else " + model.DefaultEngine, "an engine built into the binary (onnxruntime in a cgo build, plus gonnx with -tags gonnx; gonnx and gomlx with -tags purego or CGO_ENABLED=0)", "inference engine"},
	{model.IntraOpThreadsEnv, "the function's vCPUs on Lambda (memory MB / 1769, at least 1), else the machine's CPUs", "1-256", "threads one inference may use (onnxruntime)"},
	{"LOG_LEVEL", "info", "debug, info, warn, error", "slog level"},
	{"LOG_FORMAT", "json", "json, text", "slog handler"},
	{"HOST", "0.0.0.0", "an IP address or host name", "address the HTTP faces listen on"},
	{"PORT", "8080", "1-65535", "HTTP face port"},
	{"SAGEMAKER_BIND_TO_PORT", "8080", "1-65535", "SageMaker face port"},
	{"MAX_BODY_BYTES", "6291456", "1-104857600", "largest request body; larger gets 413"},
	{"MAX_INSTANCES", "64", "1-10000", "most instances per request; more gets 400"},
	{"DEADLINE_MARGIN_MS", "50", "0-60000", "answer 503 when less than this is left before the invocation deadline"},
	{"REQUEST_TIMEOUT_MS", "0 (none)", "0-3600000", "deadline given to each request on the HTTP faces"},
	{"METRICS", "emf", "emf, off", "CloudWatch Embedded Metric Format lines on stdout"},
	{"ONNXRUNTIME_LIB", "lib/libonnxruntime.so.1 next to the executable, /var/task/lib, /opt/lib, the user cache of `make deps`", "path of libonnxruntime.so.1", "ONNX Runtime library (ENGINE=onnxruntime)"},
}

// Usage writes the command line and the environment variables to w.
func Usage(w io.Writer, name string) {
	fmt.Fprintf(w, "usage: %s [serve]\n\nServes a model as an AWS Lambda function (when AWS_LAMBDA_RUNTIME_API is set),\n"+
		"a SageMaker container (argument serve) or an HTTP server (otherwise).\n\nenvironment:\n", name)
	for _, v := range EnvVars {
		fmt.Fprintf(w, "  %-22s %s\n  %-22s default: %s; allowed: %s\n", v.Name, v.Doc, "", v.Default, v.Allowed)
	}
}

// ConfigFromEnv reads the configuration. getenv is os.Getenv in production;
// args are the program's arguments after its name; exeDir is the directory
// of the executable. All problems are reported together, one line each,
// naming the variable, the bad value and what is allowed.
func ConfigFromEnv(getenv func(string) string, args []string, exeDir string) (Config, error) {
	c := Config{
		ModelDir: filepath.Join(exeDir, "model"),
		LogLevel: slog.LevelInfo, LogFormat: "json", Host: "0.0.0.0", Port: DefaultPort,
		MaxBodyBytes: DefaultMaxBodyBytes, MaxInstances: DefaultMaxInstances,
		DeadlineMargin: DefaultDeadlineMargin, Metrics: true,
	}
	var errs []error
	bad := func(name, val, allowed string) {
		errs = append(errs, fmt.Errorf("%s=%q is not allowed: want %s", name, val, allowed))
	}
	intVar := func(name string, lo, hi int64, set func(int64)) {
		v := getenv(name)
		if v == "" {
			return
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < lo || n > hi {
			bad(name, v, fmt.Sprintf("an integer from %d to %d", lo, hi))
			return
		}
		set(n)
	}

	switch mode := getenv("SERVER_MODE"); mode {
	case "":
		switch {
		case getenv("AWS_LAMBDA_RUNTIME_API") != "":
			c.Face = FaceLambda
		case len(args) > 0 && args[0] == "serve":
			c.Face = FaceSageMaker
		default:
			c.Face = FaceHTTP
		}
	case string(FaceLambda), string(FaceHTTP), string(FaceSageMaker):
		c.Face = Face(mode)
	default:
		bad("SERVER_MODE", mode, "lambda, http or sagemaker")
	}
	if c.Face == FaceLambda && getenv("AWS_LAMBDA_RUNTIME_API") == "" {
		errs = append(errs, errors.New("SERVER_MODE=\"lambda\" needs AWS_LAMBDA_RUNTIME_API, which the Lambda runtime (or the emulator) sets"))
	}
	if len(args) > 0 && args[0] != "serve" {
		errs = append(errs, fmt.Errorf("argument %q is not allowed: want none, or serve (SageMaker)", args[0]))
	}
	if v := getenv("MODEL_DIR"); v != "" {
		c.ModelDir = v
	}
	if v := getenv("ENGINE"); v != "" {
		if !model.HasEngine(v) {
			bad("ENGINE", v, fmt.Sprintf("one of %s", strings.Join(model.Engines(), ", ")))
		}
		c.Engine = v
	}
	if n, err := model.IntraOpThreads(getenv); err != nil {
		errs = append(errs, err)
	} else {
		c.IntraOpThreads = n
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil || !slicesContains([]string{"debug", "info", "warn", "error"}, strings.ToLower(v)) {
			bad("LOG_LEVEL", v, "debug, info, warn or error")
		}
	}
	if v := getenv("LOG_FORMAT"); v != "" {
		if v != "json" && v != "text" {
			bad("LOG_FORMAT", v, "json or text")
		}
		c.LogFormat = v
	}
	if v := getenv("HOST"); v != "" {
		if strings.ContainsAny(v, " /") {
			bad("HOST", v, "an IP address or host name")
		}
		c.Host = v
	}
	intVar("PORT", 1, 65535, func(n int64) { c.Port = int(n) })
	if c.Face == FaceSageMaker {
		c.Port = SageMakerPort
		intVar("SAGEMAKER_BIND_TO_PORT", 1, 65535, func(n int64) { c.Port = int(n) })
	}
	intVar("MAX_BODY_BYTES", 1, 100<<20, func(n int64) { c.MaxBodyBytes = n })
	intVar("MAX_INSTANCES", 1, 10000, func(n int64) { c.MaxInstances = int(n) })
	intVar("DEADLINE_MARGIN_MS", 0, 60000, func(n int64) { c.DeadlineMargin = time.Duration(n) * time.Millisecond })
	intVar("REQUEST_TIMEOUT_MS", 0, 3600000, func(n int64) { c.RequestTimeout = time.Duration(n) * time.Millisecond })
	switch v := getenv("METRICS"); v {
	case "", "emf":
	case "off":
		c.Metrics = false
	default:
		bad("METRICS", v, "emf or off")
	}
	return c, errors.Join(errs...)
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
