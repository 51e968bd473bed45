package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/costguard-ml/costguard/lambda/model"
)

// NewLogger returns the slog logger cfg asks for, writing to w.
func NewLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// Run loads the model and serves the configured face until ctx ends (the
// Lambda face runs until the runtime stops the process). A model that cannot
// be loaded or fails its warm-up inference is returned as an error before
// anything is served, so the cold start fails loudly.
func Run(ctx context.Context, cfg Config, stdout io.Writer) error {
	log := NewLogger(cfg, stdout)
	m, err := model.Load(cfg.ModelDir, model.Options{Engine: cfg.Engine, IntraOpThreads: cfg.IntraOpThreads})
	if err != nil {
		err = fmt.Errorf("load model from MODEL_DIR=%q: %w", cfg.ModelDir, err)
		log.Error("model load failed", "model_dir", cfg.ModelDir, "error", err.Error())
		if cfg.Face == FaceLambda {
			// Tell the Lambda service why init failed, so the caller and
			// the console see the reason, not only "Runtime exited".
			if rerr := reportInitError(os.Getenv("AWS_LAMBDA_RUNTIME_API"), err); rerr != nil {
				log.Error("reporting the init error failed", "error", rerr.Error())
			}
		}
		return err
	}
	var metrics *EMF
	if cfg.Metrics {
		metrics = NewEMF(stdout)
		metrics.ModelLoad(m.Manifest.Name, cfg.Face, m.LoadTime)
	}
	log.Info("model loaded", "face", string(cfg.Face), "model", m.Manifest.Name, "version", m.Manifest.Version,
		"engine", m.EngineName, "graph", m.Graph, "load_ms", float64(m.LoadTime.Microseconds())/1000, "sha256", m.Manifest.ONNX.SHA256)
	s := New(m, cfg, log, metrics)
	if cfg.Face == FaceLambda {
		lambda.StartWithOptions(s.HandleLambda, lambda.WithContext(ctx))
		return nil
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("listening", "face", string(cfg.Face), "addr", ln.Addr().String())
	err = s.Serve(ctx, ln)
	log.Info("stopped", "face", string(cfg.Face), "error", fmt.Sprint(err))
	return err
}

// InitErrorType is the error type reported to the Lambda Runtime API when
// the model cannot be loaded.
const InitErrorType = "Runtime.ModelLoadError"

// reportInitError posts err to the Runtime API's init/error endpoint.
func reportInitError(runtimeAPI string, err error) error {
	body, _ := json.Marshal(map[string]any{"errorMessage": err.Error(), "errorType": InitErrorType})
	req, rerr := http.NewRequest(http.MethodPost, "http://"+runtimeAPI+"/2018-06-01/runtime/init/error", bytes.NewReader(body))
	if rerr != nil {
		return rerr
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Lambda-Runtime-Function-Error-Type", InitErrorType)
	resp, rerr := (&http.Client{Timeout: 2 * time.Second}).Do(req)
	if rerr != nil {
		return rerr
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("runtime API answered %s", resp.Status)
	}
	return nil
}
