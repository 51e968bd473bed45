package server_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/costguard-ml/costguard/lambda/model"
	"github.com/costguard-ml/costguard/lambda/server"
)

// Every face ends in Handle: a transport-neutral request in, a complete
// JSON answer out.
func ExampleServer_Handle() {
	m, err := model.Load("../models/spam", model.Options{})
	if err != nil {
		log.Fatal(err)
	}
	s := server.New(m, server.Config{Face: server.FaceHTTP}, nil, nil)
	for _, body := range []string{`{"instances": ["WIN a FREE prize, click here now"]}`, `{"instances": []}`} {
		resp := s.Handle(context.Background(), server.Request{Method: "POST", Path: "/predict", ContentType: "application/json", Body: []byte(body)})
		fmt.Println(resp.Status)
		os.Stdout.Write(append(resp.Body, '\n'))
	}
	// Output:
	// 200
	// {"predictions":[{"label":"spam","score":0.994314,"scores":{"ham":0.005686,"spam":0.994314}}],"model":{"name":"spam","version":"1.0.0"}}
	// 400
	// {"error":"instances is empty: send at least one","field":"instances"}
}
