package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/server"
)

// TestVectorInstances drives the vector (image) path with the committed
// 8×8 digits model.
func TestVectorInstances(t *testing.T) {
	m, err := model.Load("../models/digits", model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(m, testConfig(server.FaceHTTP), nil, nil)
	zero := "[0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0]"
	tests := []struct {
		name, body string
		status     int
		want       string // substring of the answer
	}{
		{"a zero", `{"instances": [` + zero + `]}`, 200, `"label":"0"`},
		{"short vector", `{"instances": [` + zero + `, [1, 2, 3]]}`, 400, `"error":"instances[1]: row has 3 numbers, want 64","field":"instances[1]"`},
		{"string instead of vector", `{"instances": ["0"]}`, 400, `"error":"instances[0]: row is a string: send an array of 64 numbers","field":"instances[0]"`},
		{"nested arrays", `{"instances": [[[1]]]}`, 400, `"field":"instances[0][0]"`},
		{"number out of range", `{"instances": [[1e999]]}`, 400, `"field":"instances[0][0]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.Handle(context.Background(), server.Request{Method: http.MethodPost, Path: "/predict", ContentType: "application/json", Body: []byte(tt.body)})
			if resp.Status != tt.status || !strings.Contains(string(resp.Body), tt.want) || !json.Valid(resp.Body) {
				t.Errorf("got %d %s, want %d with %s", resp.Status, resp.Body, tt.status, tt.want)
			}
		})
	}
}
