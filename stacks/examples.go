package stacks

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
)

// Example is a model that outgrows Lambda, served by an InferenceService
// in a stack of its own, so `make synth` shows the sibling tiers next to
// the stages' Lambda tier and `costguard report` prices them.
type Example struct {
	// Name is the stack's stage; the stack is costguard-example-<Name>.
	Name        string
	Description string
	Profile     service.Profile
	Traffic     workload.Traffic
	// MonthlyBudgetUSD is the example's budget, enforced by its cost guard.
	MonthlyBudgetUSD float64
	// Tier overrides placement; empty lets placement choose.
	Tier workload.Tier
}

// Examples are the tier examples: a 12 GB model that placement puts on
// Fargate and a GPU model that it puts on SageMaker real-time.
var Examples = []Example{
	{
		Name:        "large",
		Description: "a 12 GB model that no longer fits Lambda's 10,240 MB, placed on Fargate",
		Profile: service.Profile{ArtifactMB: 9000, PeakMemoryMB: 12288, P99LatencyMs: 400, AvgLatencyMs: 150,
			PayloadBytes: 64 << 10},
		Traffic:          workload.Traffic{RequestsPerMonth: 3_000_000},
		MonthlyBudgetUSD: 400,
	},
	{
		Name:        "gpu",
		Description: "a GPU model, placed on SageMaker real-time",
		Profile: service.Profile{ArtifactMB: 2000, PeakMemoryMB: 6000, P99LatencyMs: 80, AvgLatencyMs: 40, GPU: true,
			PayloadBytes: 256 << 10},
		Traffic:          workload.Traffic{RequestsPerMonth: 2_000_000},
		MonthlyBudgetUSD: 1500,
	},
}

// StackName returns the example's stack name.
func (e Example) StackName() string { return Application + "-example-" + e.Name }

// stage is the example's stage tag and guard stage.
func (e Example) stage() string { return "example-" + e.Name }

// BuildExamples adds one stack per example to scope, each an
// InferenceService with the full cost guard, tagged and described like the
// stages' stacks, serving DefaultModelDir under root (the examples stand for
// bigger models; their profiles, not the model, drive placement). Every
// example's problems are reported together.
func BuildExamples(scope constructs.Construct, root string) ([]awscdk.Stack, error) {
	image, err := service.ModelServerImage(filepath.Join(root, DefaultModelDir))
	if err != nil {
		return nil, err
	}
	var built []awscdk.Stack
	var errs []error
	for _, e := range Examples {
		s, err := newExampleStack(scope, e, image)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		built = append(built, s)
	}
	return built, errors.Join(errs...)
}

// newExampleStack builds one example and returns the problems its
// constructs reported. Unlike a stage, an example attaches its guard
// through InferenceService's Guard prop, under the service, where it was
// first deployed: moving it to the stack's root would change the logical
// ids of its alarms, whose names are fixed, and CloudFormation would
// replace them (create the new one under the old name, then delete it).
func newExampleStack(scope constructs.Construct, e Example, image service.ImageFunc) (awscdk.Stack, error) {
	stack := newCostedStack(scope, e.StackName(), &awscdk.StackProps{
		Description: jsii.String(fmt.Sprintf("costguard example: %s", e.Description)),
	}, workload.Stack{Version: workload.SchemaVersion, Stage: e.stage(), MonthlyBudgetUSD: e.MonthlyBudgetUSD}, "ml-platform-examples")
	svc := service.NewInferenceService(stack, "Inference", &service.InferenceServiceProps{
		Profile:          e.Profile,
		Traffic:          e.Traffic,
		MonthlyBudgetUSD: e.MonthlyBudgetUSD,
		Tier:             e.Tier,
		ContainerImage:   image,
		Guard:            &guard.CostGuardProps{Stage: e.stage(), EmailSubscribers: []string{"ml-platform-examples@example.com"}},
	})
	if err := svc.Err(); err != nil {
		return nil, err
	}
	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{
		Value: svc.URL(), Description: jsii.String("Invoke URL of the API (POST predict)"),
	})
	awscdk.NewCfnOutput(stack, jsii.String("Tier"), &awscdk.CfnOutputProps{
		Value: jsii.String(string(svc.Tier())), Description: jsii.String("Where placement put the model"),
	})
	return stack, nil
}
