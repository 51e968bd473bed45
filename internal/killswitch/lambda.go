package killswitch

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// KindLambda is the kind of a Lambda function target.
const KindLambda = "lambda"

// LambdaAPI is the part of the Lambda client the driver uses.
type LambdaAPI interface {
	GetFunctionConcurrency(ctx context.Context, in *lambda.GetFunctionConcurrencyInput, opts ...func(*lambda.Options)) (*lambda.GetFunctionConcurrencyOutput, error)
	PutFunctionConcurrency(ctx context.Context, in *lambda.PutFunctionConcurrencyInput, opts ...func(*lambda.Options)) (*lambda.PutFunctionConcurrencyOutput, error)
	DeleteFunctionConcurrency(ctx context.Context, in *lambda.DeleteFunctionConcurrencyInput, opts ...func(*lambda.Options)) (*lambda.DeleteFunctionConcurrencyOutput, error)
}

// LambdaPrevious is what the Lambda driver records: the function's reserved
// concurrency before the trip, nil when it had none.
type LambdaPrevious struct {
	ReservedConcurrency *int32 `json:"reservedConcurrency"`
}

// LambdaDriver stops a function by setting its reserved concurrency to 0,
// which makes every invocation fail with a throttle (API Gateway answers
// 429/502 at no Lambda cost) until restored. Provisioned concurrency stays
// allocated: it is billed until the stack removes it, and the trip notice
// says so.
type LambdaDriver struct {
	Client LambdaAPI
}

// Current records the function's reserved concurrency.
func (d LambdaDriver) Current(ctx context.Context, name string) (json.RawMessage, error) {
	out, err := d.Client.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("get concurrency of %s: %w", name, err)
	}
	return json.Marshal(LambdaPrevious{ReservedConcurrency: out.ReservedConcurrentExecutions})
}

// Stop sets the reserved concurrency to 0 unless it is 0 already.
func (d LambdaDriver) Stop(ctx context.Context, name string) (string, error) {
	out, err := d.Client.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("get concurrency of %s: %w", name, err)
	}
	if out.ReservedConcurrentExecutions != nil && *out.ReservedConcurrentExecutions == 0 {
		return "", nil
	}
	if _, err := d.Client.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName:                 aws.String(name),
		ReservedConcurrentExecutions: aws.Int32(0),
	}); err != nil {
		return "", fmt.Errorf("set concurrency of %s to 0: %w", name, err)
	}
	return fmt.Sprintf("lambda %s: reserved concurrency %s -> 0", name, describe(out.ReservedConcurrentExecutions)), nil
}

// Restore puts back the recorded reserved concurrency, or removes it where
// the function had none.
func (d LambdaDriver) Restore(ctx context.Context, name string, previous json.RawMessage) (string, error) {
	var p LambdaPrevious
	if err := json.Unmarshal(previous, &p); err != nil {
		return "", fmt.Errorf("restore %s: recorded value %s: %w", name, previous, err)
	}
	if p.ReservedConcurrency == nil {
		if _, err := d.Client.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(name)}); err != nil {
			return "", fmt.Errorf("remove reserved concurrency of %s: %w", name, err)
		}
	} else if _, err := d.Client.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName:                 aws.String(name),
		ReservedConcurrentExecutions: p.ReservedConcurrency,
	}); err != nil {
		return "", fmt.Errorf("set concurrency of %s to %d: %w", name, *p.ReservedConcurrency, err)
	}
	return fmt.Sprintf("lambda %s: reserved concurrency 0 -> %s", name, describe(p.ReservedConcurrency)), nil
}

func describe(rc *int32) string {
	if rc == nil {
		return "none"
	}
	return fmt.Sprint(*rc)
}
