package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/costguard-ml/costguard/lambda/model"
)

// Request is a transport-neutral HTTP request.
type Request struct {
	Method      string
	Path        string
	ContentType string
	Body        []byte
	// BodyTooLarge is set by a transport that stopped reading the body at
	// the limit.
	BodyTooLarge bool
	RequestID    string
}

// Response is always a complete JSON document.
type Response struct {
	Status int
	Body   []byte
}

// ErrorBody is the JSON of every error answer.
type ErrorBody struct {
	Error string `json:"error"`
	Field string `json:"field"`
}

// PredictResponse is the JSON of a successful prediction.
type PredictResponse struct {
	Predictions []model.Prediction `json:"predictions"`
	Model       ModelRef           `json:"model"`
}

// ModelRef names the model that answered.
type ModelRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// HealthResponse is the JSON of GET /health and GET /ping.
type HealthResponse struct {
	Status      string   `json:"status"`
	Model       ModelRef `json:"model"`
	Description string   `json:"description,omitempty"`
	Task        string   `json:"task"`
	Inputs      []string `json:"inputs"`
	Labels      []string `json:"labels"`
	Engine      string   `json:"engine"`
	LoadMillis  float64  `json:"load_ms"`
	LoadedAt    string   `json:"loaded_at"`
	Face        Face     `json:"face"`
}

// Server answers requests for one loaded model.
type Server struct {
	model    *model.Model
	cfg      Config
	log      *slog.Logger
	metrics  *EMF
	health   []byte
	batches  sync.Pool
	loadedAt time.Time
}

// New returns a server for m. metrics may be nil.
func New(m *model.Model, cfg Config, log *slog.Logger, metrics *EMF) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxInstances == 0 {
		cfg.MaxInstances = DefaultMaxInstances
	}
	s := &Server{model: m, cfg: cfg, log: log, metrics: metrics, loadedAt: time.Now().UTC()}
	s.batches.New = func() any { return m.NewBatch(4) }
	man := m.Manifest
	s.health = mustJSON(HealthResponse{
		Status: "ok", Model: ModelRef{man.Name, man.Version}, Description: man.Description,
		Task: man.Task, Inputs: m.InputNames(), Labels: man.Labels, Engine: m.EngineName,
		LoadMillis: float64(m.LoadTime.Microseconds()) / 1000, LoadedAt: s.loadedAt.Format(time.RFC3339), Face: cfg.Face,
	})
	return s
}

// Config returns the server's configuration.
func (s *Server) Config() Config { return s.cfg }

type route int

const (
	routeNone route = iota
	routePredict
	routeHealth
)

// lookup maps a face's path and method to a route. SageMaker's paths are
// /ping and /invocations; the others use /health and /predict.
func (s *Server) lookup(method, path string) (route, *apiError) {
	predict, health := "/predict", "/health"
	if s.cfg.Face == FaceSageMaker {
		predict, health = "/invocations", "/ping"
	}
	switch path {
	case predict:
		if method != http.MethodPost {
			return routeNone, &apiError{http.StatusMethodNotAllowed, "method " + method + " is not allowed on " + path + ": use POST", "method"}
		}
		return routePredict, nil
	case health:
		if method != http.MethodGet && method != http.MethodHead {
			return routeNone, &apiError{http.StatusMethodNotAllowed, "method " + method + " is not allowed on " + path + ": use GET", "method"}
		}
		return routeHealth, nil
	}
	return routeNone, &apiError{http.StatusNotFound, fmt.Sprintf("no route for %s %s: use POST %s or GET %s", method, path, predict, health), "path"}
}

// apiError is an answer with status and field.
type apiError struct {
	status int
	msg    string
	field  string
}

func (e *apiError) response() Response {
	return Response{Status: e.status, Body: mustJSON(ErrorBody{Error: e.msg, Field: e.field})}
}

// Handle answers one request. It never panics on input: any panic in the
// model path is recovered and answered with 500.
func (s *Server) Handle(ctx context.Context, req Request) (resp Response) {
	start := time.Now()
	var instances int
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(ctx, "panic while serving", "request_id", req.RequestID, "panic", fmt.Sprint(p))
			resp = (&apiError{http.StatusInternalServerError, "internal error", ""}).response()
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("request_id", req.RequestID), slog.String("face", string(s.cfg.Face)),
			slog.String("method", req.Method), slog.String("path", req.Path),
			slog.Int("status", resp.Status), slog.Int("instances", instances),
			slog.Int64("duration_us", time.Since(start).Microseconds()))
	}()
	rt, aerr := s.lookup(req.Method, req.Path)
	if aerr != nil {
		return aerr.response()
	}
	if rt == routeHealth {
		return Response{Status: http.StatusOK, Body: s.health}
	}
	if aerr := checkContentType(req.ContentType); aerr != nil {
		return aerr.response()
	}
	if req.BodyTooLarge || int64(len(req.Body)) > s.cfg.MaxBodyBytes {
		return (&apiError{http.StatusRequestEntityTooLarge,
			fmt.Sprintf("request body is larger than %d bytes", s.cfg.MaxBodyBytes), "body"}).response()
	}
	b := s.batches.Get().(*model.Batch)
	defer func() {
		b.Reset()
		s.batches.Put(b)
	}()
	n, aerr := decodePredict(req.Body, s.model, b, s.cfg.MaxInstances)
	instances = n
	if aerr != nil {
		return aerr.response()
	}
	if dl, ok := ctx.Deadline(); ok {
		if time.Until(dl) < s.cfg.DeadlineMargin {
			return (&apiError{http.StatusServiceUnavailable,
				fmt.Sprintf("not enough time left before the deadline: answering needs at least %s (DEADLINE_MARGIN_MS)", s.cfg.DeadlineMargin), ""}).response()
		}
	}
	inferStart := time.Now()
	preds, err := s.model.Predict(b)
	inferDur := time.Since(inferStart)
	if err != nil {
		s.log.ErrorContext(ctx, "inference failed", "request_id", req.RequestID, "error", err.Error())
		return (&apiError{http.StatusInternalServerError, "inference failed", ""}).response()
	}
	if s.metrics != nil {
		s.metrics.Inference(s.model.Manifest.Name, s.cfg.Face, req.RequestID, inferDur, n)
	}
	man := s.model.Manifest
	return Response{Status: http.StatusOK, Body: mustJSON(PredictResponse{Predictions: preds, Model: ModelRef{man.Name, man.Version}})}
}

// checkContentType accepts application/json, any +json type and an absent
// header (curl -d and some SDKs send none or a default); anything else is 415.
func checkContentType(ct string) *apiError {
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return nil
	}
	return &apiError{http.StatusUnsupportedMediaType, fmt.Sprintf("content type %q is not supported: use application/json", ct), "content-type"}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own types reach here; a failure is a programming error.
		panic(err)
	}
	return b
}
