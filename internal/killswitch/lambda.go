package killswitch

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// KindLambda is the kind of a Lambda function target.
const KindLambda = "lambda"

// LambdaAPI is the part of the Lambda client the driver uses.
type LambdaAPI interface {
	GetFunctionConcurrency(ctx context.Context, in *lambda.GetFunctionConcurrencyInput, opts ...func(*lambda.Options)) (*lambda.GetFunctionConcurrencyOutput, error)
	PutFunctionConcurrency(ctx context.Context, in *lambda.PutFunctionConcurrencyInput, opts ...func(*lambda.Options)) (*lambda.PutFunctionConcurrencyOutput, error)
	DeleteFunctionConcurrency(ctx context.Context, in *lambda.DeleteFunctionConcurrencyInput, opts ...func(*lambda.Options)) (*lambda.DeleteFunctionConcurrencyOutput, error)
	ListProvisionedConcurrencyConfigs(ctx context.Context, in *lambda.ListProvisionedConcurrencyConfigsInput, opts ...func(*lambda.Options)) (*lambda.ListProvisionedConcurrencyConfigsOutput, error)
	PutProvisionedConcurrencyConfig(ctx context.Context, in *lambda.PutProvisionedConcurrencyConfigInput, opts ...func(*lambda.Options)) (*lambda.PutProvisionedConcurrencyConfigOutput, error)
	DeleteProvisionedConcurrencyConfig(ctx context.Context, in *lambda.DeleteProvisionedConcurrencyConfigInput, opts ...func(*lambda.Options)) (*lambda.DeleteProvisionedConcurrencyConfigOutput, error)
}

// LambdaPrevious is what the Lambda driver records: the function's reserved
// concurrency before the trip (nil when it had none), the provisioned
// concurrency of its aliases and versions, and the scalable targets that
// manage it.
type LambdaPrevious struct {
	ReservedConcurrency *int32 `json:"reservedConcurrency"`
	// Provisioned lists the provisioned-concurrency configurations.
	Provisioned []Provisioned `json:"provisioned,omitempty"`
	// Scaling lists the provisioned concurrency's scalable targets
	// (function:NAME:QUALIFIER), with their suspended state.
	Scaling []Bounds `json:"scaling,omitempty"`
}

// Provisioned is one alias's or version's provisioned concurrency.
type Provisioned struct {
	Qualifier string `json:"qualifier"`
	Requested int32  `json:"requested"`
}

// LambdaDriver stops a function by setting its reserved concurrency to 0,
// which makes every invocation fail with a throttle (API Gateway answers
// 429/502 at no Lambda cost) until restored.
//
// Lambda refuses a reserved concurrency below the provisioned concurrency
// allocated to the function's aliases and versions ("You can't allocate
// more provisioned concurrency than reserved concurrency for a function",
// https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html),
// so a trip first holds the provisioned concurrency's scalable targets at
// 0..0 with scheduled and dynamic scaling suspended (a scheduled scale-up
// would otherwise fail, or start billing, after the trip), removes every
// provisioned-concurrency configuration (which also stops its bill), and
// only then sets the reserved concurrency to 0. Restore puts back the
// reserved concurrency first, then the configurations, then the targets'
// bounds and suspended state.
type LambdaDriver struct {
	Client LambdaAPI
	// AutoScaling reads and holds the provisioned concurrency's scalable
	// targets; nil skips them (a function without scaling).
	AutoScaling AutoScalingAPI
}

const lambdaPCDimension = aastypes.ScalableDimensionLambdaFunctionProvisionedConcurrency

func (d LambdaDriver) reserved(ctx context.Context, name string) (*int32, error) {
	out, err := d.Client.GetFunctionConcurrency(ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("get concurrency of %s: %w", name, err)
	}
	return out.ReservedConcurrentExecutions, nil
}

func (d LambdaDriver) provisioned(ctx context.Context, name string) ([]Provisioned, error) {
	var out []Provisioned
	var marker *string
	for {
		page, err := d.Client.ListProvisionedConcurrencyConfigs(ctx, &lambda.ListProvisionedConcurrencyConfigsInput{FunctionName: aws.String(name), Marker: marker})
		if err != nil {
			return nil, fmt.Errorf("list provisioned concurrency of %s: %w", name, err)
		}
		for _, c := range page.ProvisionedConcurrencyConfigs {
			arn := aws.ToString(c.FunctionArn)
			q := arn[strings.LastIndexByte(arn, ':')+1:]
			out = append(out, Provisioned{Qualifier: q, Requested: aws.ToInt32(c.RequestedProvisionedConcurrentExecutions)})
		}
		if marker = page.NextMarker; marker == nil {
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Qualifier < out[j].Qualifier })
	return out, nil
}

func (d LambdaDriver) scaling(ctx context.Context, name string) ([]Bounds, error) {
	if d.AutoScaling == nil {
		return nil, nil
	}
	prefix := "function:" + name + ":"
	var out []Bounds
	var token *string
	for {
		page, err := d.AutoScaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{
			ServiceNamespace: aastypes.ServiceNamespaceLambda, ScalableDimension: lambdaPCDimension, NextToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("describe provisioned-concurrency scalable targets of %s: %w", name, err)
		}
		for _, t := range page.ScalableTargets {
			if id := aws.ToString(t.ResourceId); strings.HasPrefix(id, prefix) {
				out = append(out, Bounds{ResourceID: id, Min: aws.ToInt32(t.MinCapacity), Max: aws.ToInt32(t.MaxCapacity), Suspended: suspendedFrom(t.SuspendedState)})
			}
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ResourceID < out[j].ResourceID })
	return out, nil
}

// Current records the function's reserved concurrency, provisioned
// concurrency and its scalable targets.
func (d LambdaDriver) Current(ctx context.Context, name string) (json.RawMessage, error) {
	rc, err := d.reserved(ctx, name)
	if err != nil {
		return nil, err
	}
	pc, err := d.provisioned(ctx, name)
	if err != nil {
		return nil, err
	}
	sc, err := d.scaling(ctx, name)
	if err != nil {
		return nil, err
	}
	return json.Marshal(LambdaPrevious{ReservedConcurrency: rc, Provisioned: pc, Scaling: sc})
}

// Stop holds the provisioned concurrency's scalable targets at 0..0,
// removes the provisioned concurrency, then sets the reserved concurrency
// to 0; each step only where it is not done already.
func (d LambdaDriver) Stop(ctx context.Context, name string) (string, error) {
	var changes []string
	sc, err := d.scaling(ctx, name)
	if err != nil {
		return "", err
	}
	for _, b := range sc {
		if b.held(0) {
			continue
		}
		if err := register(ctx, d.AutoScaling, aastypes.ServiceNamespaceLambda, lambdaPCDimension, Bounds{ResourceID: b.ResourceID, Suspended: allSuspended}); err != nil {
			return "", err
		}
		changes = append(changes, fmt.Sprintf("%s %d..%d -> 0..0, suspended", b.ResourceID, b.Min, b.Max))
	}
	pc, err := d.provisioned(ctx, name)
	if err != nil {
		return "", err
	}
	for _, p := range pc {
		if _, err := d.Client.DeleteProvisionedConcurrencyConfig(ctx, &lambda.DeleteProvisionedConcurrencyConfigInput{FunctionName: aws.String(name), Qualifier: aws.String(p.Qualifier)}); err != nil {
			return "", fmt.Errorf("remove provisioned concurrency of %s:%s: %w", name, p.Qualifier, err)
		}
		changes = append(changes, fmt.Sprintf("provisioned concurrency %s:%s %d -> 0", name, p.Qualifier, p.Requested))
	}
	rc, err := d.reserved(ctx, name)
	if err != nil {
		return "", err
	}
	if rc == nil || *rc != 0 {
		if _, err := d.Client.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
			FunctionName:                 aws.String(name),
			ReservedConcurrentExecutions: aws.Int32(0),
		}); err != nil {
			return "", fmt.Errorf("set concurrency of %s to 0: %w", name, err)
		}
		changes = append(changes, fmt.Sprintf("reserved concurrency %s -> 0", describe(rc)))
	}
	if len(changes) == 0 {
		return "", nil
	}
	return "lambda " + name + ": " + strings.Join(changes, ", "), nil
}

// Restore puts back the recorded reserved concurrency (or removes it where
// the function had none), then the provisioned concurrency, then the
// scalable targets' bounds and suspended state.
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
	changes := []string{"reserved concurrency 0 -> " + describe(p.ReservedConcurrency)}
	for _, pc := range p.Provisioned {
		if _, err := d.Client.PutProvisionedConcurrencyConfig(ctx, &lambda.PutProvisionedConcurrencyConfigInput{
			FunctionName: aws.String(name), Qualifier: aws.String(pc.Qualifier), ProvisionedConcurrentExecutions: aws.Int32(pc.Requested),
		}); err != nil {
			return "", fmt.Errorf("set provisioned concurrency of %s:%s to %d: %w", name, pc.Qualifier, pc.Requested, err)
		}
		changes = append(changes, fmt.Sprintf("provisioned concurrency %s:%s 0 -> %d", name, pc.Qualifier, pc.Requested))
	}
	for _, b := range p.Scaling {
		if d.AutoScaling == nil {
			return "", fmt.Errorf("restore %s: scalable target %s recorded, but no Application Auto Scaling client", name, b.ResourceID)
		}
		if err := register(ctx, d.AutoScaling, aastypes.ServiceNamespaceLambda, lambdaPCDimension, b); err != nil {
			return "", err
		}
		changes = append(changes, fmt.Sprintf("%s -> %d..%d", b.ResourceID, b.Min, b.Max))
	}
	return "lambda " + name + ": " + strings.Join(changes, ", "), nil
}

func describe(rc *int32) string {
	if rc == nil {
		return "none"
	}
	return fmt.Sprint(*rc)
}
