// Package e2e holds the model server's end-to-end tests and benchmarks. They
// build the real bootstrap binary (with the Lambda build flags), then drive
// it over loopback sockets only: under the AWS Lambda Runtime Interface
// Emulator (aws-lambda-rie, installed by `make deps`), as the plain HTTP face
// and as the SageMaker face, the last two started the way the container
// tiers' generated Dockerfile (internal/modelserver) starts them.
package e2e
