package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/costguard-ml/costguard/lambda/model"
)

// predictRequest is the body of POST /predict.
type predictRequest struct {
	Instances *[]json.RawMessage `json:"instances"`
}

// decodePredict parses body, checks its shape and featurizes every instance
// into b. It returns the number of instances it saw and a 400 on any problem.
func decodePredict(body []byte, m *model.Model, b *model.Batch, maxInstances int) (int, *apiError) {
	bad := func(field, format string, args ...any) *apiError {
		return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...), field}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return 0, bad("body", "request body is empty: send {\"instances\": [...]}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var req predictRequest
	if err := dec.Decode(&req); err != nil {
		var typeErr *json.UnmarshalTypeError
		var synErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field == "":
			return 0, bad("body", "request body must be a JSON object, got %s", typeErr.Value)
		case errors.As(err, &typeErr):
			return 0, bad(typeErr.Field, "%s must be an array, got %s", typeErr.Field, typeErr.Value)
		case errors.As(err, &synErr):
			return 0, bad("body", "malformed JSON at byte %d: %s", synErr.Offset, synErr.Error())
		case errors.Is(err, io.ErrUnexpectedEOF):
			return 0, bad("body", "malformed JSON: unexpected end of input")
		default:
			if name, ok := unknownField(err); ok {
				return 0, bad(name, "unknown field %q: the body holds only \"instances\"", name)
			}
			return 0, bad("body", "malformed JSON: %s", err.Error())
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return 0, bad("body", "malformed JSON: data after the top-level object")
	}
	if req.Instances == nil {
		return 0, bad("instances", "instances is missing: send {\"instances\": [...]}")
	}
	insts := *req.Instances
	if len(insts) == 0 {
		return 0, bad("instances", "instances is empty: send at least one")
	}
	if len(insts) > maxInstances {
		return len(insts), bad("instances", "instances has %d items, at most %d are allowed", len(insts), maxInstances)
	}
	for i, raw := range insts {
		if err := m.Add(b, raw); err != nil {
			field := fmt.Sprintf("instances[%d]", i)
			return len(insts), bad(field+model.ErrorField(err), "%s: %s", field, err.Error())
		}
	}
	return len(insts), nil
}

// unknownField extracts the name from encoding/json's unknown-field error,
// which has no exported type.
func unknownField(err error) (string, bool) {
	var name string
	if _, scanErr := fmt.Sscanf(err.Error(), "json: unknown field %q", &name); scanErr == nil {
		return name, true
	}
	return "", false
}
