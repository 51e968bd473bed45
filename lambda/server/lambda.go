package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// probe holds just enough of an event to tell its kind.
// lambdaEvent holds the fields of every event the handler accepts, so an
// invocation's payload (up to 6 MB) is decoded once: API Gateway REST proxy
// events (payload 1.0), HTTP API and Function URL events (payload 2.0), and
// a direct {"instances": [...]} call.
type lambdaEvent struct {
	// Payload 1.0.
	HTTPMethod        string              `json:"httpMethod"`
	Path              string              `json:"path"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	// Payload 2.0.
	RawPath        string `json:"rawPath"`
	RequestContext struct {
		Stage string `json:"stage"`
		HTTP  struct {
			Method string `json:"method"`
		} `json:"http"`
	} `json:"requestContext"`
	// Both.
	Headers         map[string]string `json:"headers"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
	// A direct invocation.
	Instances json.RawMessage `json:"instances"`
}

// ErrUnknownEvent is returned for an event that is neither an API Gateway
// (v1 or v2) or Function URL event nor a direct {"instances": ...} call.
var ErrUnknownEvent = errors.New("unsupported event: want an API Gateway REST or HTTP API proxy event, a Function URL event or {\"instances\": [...]}")

var jsonHeaders = map[string]string{"Content-Type": "application/json"}

// HandleLambda answers one Lambda invocation. API Gateway REST events get an
// events.APIGatewayProxyResponse; HTTP API and Function URL events (payload
// 2.0) get an events.APIGatewayV2HTTPResponse. A direct invocation with a
// predict body ({"instances": [...]}) gets the response body itself.
func (s *Server) HandleLambda(ctx context.Context, event json.RawMessage) (any, error) {
	var e lambdaEvent
	if err := json.Unmarshal(event, &e); err != nil {
		return nil, ErrUnknownEvent
	}
	reqID := ""
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		reqID = lc.AwsRequestID
	}
	switch {
	case e.HTTPMethod != "":
		ct := header(e.Headers, "content-type")
		if ct == "" {
			if v := e.MultiValueHeaders[canonicalKey(e.MultiValueHeaders, "content-type")]; len(v) > 0 {
				ct = v[0]
			}
		}
		resp := s.handleEvent(ctx, e.HTTPMethod, e.Path, ct, e.Body, e.IsBase64Encoded, reqID)
		return events.APIGatewayProxyResponse{StatusCode: resp.Status, Headers: jsonHeaders, Body: string(resp.Body)}, nil
	case e.RequestContext.HTTP.Method != "":
		// HTTP API payload 2.0 and Function URL events share this shape.
		path := e.RawPath
		// HTTP APIs with a named stage put it in front of the route.
		if st := e.RequestContext.Stage; st != "" && st != "$default" {
			if rest, ok := strings.CutPrefix(path, "/"+st+"/"); ok {
				path = "/" + rest
			}
		}
		resp := s.handleEvent(ctx, e.RequestContext.HTTP.Method, path, header(e.Headers, "content-type"), e.Body, e.IsBase64Encoded, reqID)
		return events.APIGatewayV2HTTPResponse{StatusCode: resp.Status, Headers: jsonHeaders, Body: string(resp.Body)}, nil
	case e.Instances != nil:
		resp := s.Handle(ctx, Request{Method: http.MethodPost, Path: s.predictPath(), ContentType: "application/json", Body: event, RequestID: reqID})
		return json.RawMessage(resp.Body), nil
	}
	return nil, ErrUnknownEvent
}

func (s *Server) predictPath() string {
	if s.cfg.Face == FaceSageMaker {
		return "/invocations"
	}
	return "/predict"
}

func (s *Server) handleEvent(ctx context.Context, method, path, ct, body string, b64 bool, reqID string) Response {
	raw := []byte(body)
	if b64 {
		// Check the size before decoding: the decoded body is 3/4 as long.
		if int64(base64.StdEncoding.DecodedLen(len(body))) > s.cfg.MaxBodyBytes+3 {
			return s.Handle(ctx, Request{Method: method, Path: path, ContentType: ct, BodyTooLarge: true, RequestID: reqID})
		}
		dec, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			if _, aerr := s.lookup(method, path); aerr != nil {
				return aerr.response()
			}
			return (&apiError{http.StatusBadRequest, "body is marked base64 but is not valid base64", "body"}).response()
		}
		raw = dec
	}
	return s.Handle(ctx, Request{Method: method, Path: path, ContentType: ct, Body: raw, RequestID: reqID})
}

// header looks a header up case-insensitively (REST events keep the
// client's case, HTTP API events lower-case it).
func header(h map[string]string, name string) string {
	if v, ok := h[name]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func canonicalKey(h map[string][]string, name string) string {
	for k := range h {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}
