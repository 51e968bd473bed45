// Command hello is the cold-start baseline: a Go Lambda handler that loads
// nothing and answers an API Gateway event with a fixed body.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, _ json.RawMessage) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"hello":"world"}`}, nil
	})
}
