// Package server serves a loaded model through three faces that share one
// request path and one JSON contract:
//
//   - FaceLambda: API Gateway REST (v1) and HTTP API (v2) proxy events and
//     Lambda Function URL events, including base64 bodies, via
//     github.com/aws/aws-lambda-go; routes POST /predict and GET /health.
//   - FaceHTTP: a plain HTTP server (Fargate) with the same routes.
//   - FaceSageMaker: the SageMaker inference-container contract, GET /ping
//     and POST /invocations on port 8080.
//
// Every face turns its input into a [Request] and answers with the
// [Response] of [Server.Handle], which never panics on input and always
// writes a complete JSON body: predictions, or {"error": ..., "field": ...}
// with status 400, 404, 405, 413, 415, 500 or 503.
//
// [ConfigFromEnv] reads and validates the environment once at start-up.
package server
